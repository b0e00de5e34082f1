/** The one interface every code scheme implements. */
import type { EmbeddingTable } from '@meta-id/core';
import type { ClustererCodebook } from './codebook.js';
import type { KMeansOptions, Metric } from './kmeans.js';

/** Options every scheme reads; each default is documented. */
export interface SchemeOptions {
  /** Coarse clusters. Default 100 (the paper's Beauty setting). */
  k?: number;
  /** `cosine` (spherical k-means, as in the paper) or `euclidean`. Default `cosine`. */
  metric?: Metric;
  /** Seed of all random draws. Default 42. */
  seed?: number;
  /** Lloyd iteration cap per k-means. Default 300. */
  maxIter?: number;
  /** scikit-learn-style relative tolerance. Default 1e-4. */
  tol?: number;
  /** Distance backend, see {@link KMeansOptions.backend}. Default `auto`. */
  backend?: KMeansOptions['backend'];
  /** Hamerly bounds in Lloyd iterations: true, false or `auto` (default; see {@link KMeansOptions.bounds}). */
  bounds?: KMeansOptions['bounds'];
  /** Progress lines on stderr. Default: for steps longer than 3 s. */
  progress?: KMeansOptions['progress'];
  /** Print the codebook statistics to stderr when done. Default true. */
  printStats?: boolean;
}

/** A way of turning entity vectors into unique token codes. */
export interface CodeScheme<O extends SchemeOptions = SchemeOptions> {
  name: string;
  fit(table: EmbeddingTable, options?: O): Promise<ClustererCodebook>;
}

/** k-means options from scheme options. */
export function kmeansOptions(o: SchemeOptions, k: number, ids?: readonly string[]): KMeansOptions {
  return {
    k,
    metric: o.metric ?? 'cosine',
    seed: o.seed ?? 42,
    maxIter: o.maxIter,
    tol: o.tol,
    backend: o.backend,
    bounds: o.bounds,
    progress: o.progress,
    ids,
  };
}
