import { defineConfig } from 'vitest/config';
import { packageTestConfig } from '../../tools/vitest.shared.ts';

export default defineConfig(packageTestConfig());
