import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

// Two entries: the browser-safe metrics and charts, and `node` for writing files.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/node.ts'] }));
