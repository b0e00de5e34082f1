import { defineConfig } from 'tsup';
import { packageConfig } from '../../tools/tsup.shared';

export default defineConfig(packageConfig());
