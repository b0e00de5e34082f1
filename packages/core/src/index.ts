/**
 * @meta-id/core: the typed interfaces every meta-id package speaks, dataset
 * readers and writers over text, splits, a seeded PRNG, errors and a synthetic
 * dataset with planted structure. Browser-safe; file access lives in
 * `@meta-id/core/node`.
 */
export * from './errors.js';
export * from './random.js';
export * from './types.js';
export * from './dataset.js';
export * from './split.js';
export * from './synthetic.js';
export { DatasetBuilder, numberedLines, parseNumberField, parseTimeField, type RawRecord } from './dataset-builder.js';
export * from './formats/p5.js';
export * from './formats/openp5.js';
export * from './formats/delimited.js';
