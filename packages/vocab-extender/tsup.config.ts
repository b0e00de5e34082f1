import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

// Two entries (browser-safe main, Node file I/O); one shared chunk so classes are the same objects in both.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/node.ts'], splitting: true }));
