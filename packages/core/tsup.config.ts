import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

// splitting: one shared chunk, so error classes and IdMap are the same objects in both entries.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/node.ts'], splitting: true }));
