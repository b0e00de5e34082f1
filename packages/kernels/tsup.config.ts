import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

// Two entries (the index and the tfjs-free wasm-asm writer) share one chunk for the writer.
export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/wasm-asm.ts'], splitting: true }));
