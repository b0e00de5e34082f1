import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

export default defineConfig(packageConfig({ entry: ['src/index.ts', 'src/bin.ts'], shims: true }));
