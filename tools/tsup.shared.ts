import type { Options } from 'tsup';

/** The build every meta-id package shares: ESM + CJS + .d.ts, Node 20 target. */
export function packageConfig(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    // Optional and native dependencies stay imports, never bundled.
    external: [/^@tensorflow\//, 'gpu.js', /^@meta-id\//, /^@huggingface\//],
    ...overrides,
  };
}
