/**
 * @meta-id/token-clusterer: spherical / Euclidean k-means (k-means++ seeds,
 * distances through @meta-id/kernels), OOV token code schemes (META ID's
 * cluster + rank codes, bounded hierarchical residual codes), cold-start
 * codes for new entities, and the codebook artifact with its statistics.
 */
export * from './kmeans.js';
export { kmeansPlusPlus, searchSorted, type PlusPlusResult } from './kmeans-plusplus.js';
export { SMALL_PROBLEM, type NearestChoice } from './backends.js';
export * from './codebook.js';
export * from './stats.js';
export * from './scheme.js';
export { metaIdScheme, clusterToken, fineToken, type MetaIdSchemeOptions } from './schemes/meta-id.js';
export { hierarchicalScheme, levelToken, type HierarchicalSchemeOptions } from './schemes/hierarchical.js';
export * from './cold-start.js';
export * from './build.js';
export { checkTable, subsetByType } from './table.js';
export * from './id-schemes/index.js';
export * from './id-schemes/index.js';
