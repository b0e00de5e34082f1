import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/vitest.shared';

export default defineConfig(packageTestConfig());
