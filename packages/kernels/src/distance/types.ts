/**
 * The nearest-centroid kernel: for N points and K centroids (row-major,
 * D columns) find each point's nearest centroid by squared Euclidean
 * distance, its distance, optionally the second-nearest distance (for
 * bound-based pruning), and the inertia (sum of nearest distances).
 */

export interface NearestArgs {
  /** `n * dim` values, row-major. */
  points: Float32Array;
  n: number;
  dim: number;
  /** `k * dim` values, row-major. */
  centroids: Float32Array;
  k: number;
  /**
   * Only these rows of `points` (indices in [0, n)); results follow this
   * order. Default: all rows. Lets Lloyd iterations with bounds recompute
   * only the points whose bounds failed, without copying the rest.
   */
  rows?: Int32Array;
  /** Also return the squared distance to the second-nearest centroid. Default false. */
  second?: boolean;
}

export interface NearestResult {
  /** Index of the nearest centroid, per point (or per entry of `rows`). */
  labels: Int32Array;
  /** Squared Euclidean distance to it (clamped at 0). */
  distances: Float32Array;
  /** Squared distance to the second-nearest centroid (`Infinity` when k = 1); only when asked. */
  second?: Float32Array;
  /** Sum of `distances`, accumulated in double precision. */
  inertia: number;
}

/** A runnable nearest-centroid kernel on one backend. */
export type NearestKernel = (args: NearestArgs) => Promise<NearestResult> | NearestResult;

/** Squared Euclidean distances from every point (or `rows`) to `m` centers: an `n × m` matrix. */
export interface DistanceMatrixArgs {
  points: Float32Array;
  n: number;
  dim: number;
  centers: Float32Array;
  m: number;
  rows?: Int32Array;
}

export type DistanceMatrixKernel = (args: DistanceMatrixArgs) => Promise<Float32Array> | Float32Array;

/** Checks the shapes of a call and says which argument is wrong. */
export function checkNearestArgs(a: { points: Float32Array; n: number; dim: number; rows?: Int32Array }, centers: Float32Array, k: number, centersName = 'centroids'): void {
  if (!Number.isInteger(a.n) || a.n < 0) throw new RangeError(`nearest-centroid: n must be a non-negative integer (got ${a.n})`);
  if (!Number.isInteger(a.dim) || a.dim < 1) throw new RangeError(`nearest-centroid: dim must be a positive integer (got ${a.dim})`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`nearest-centroid: need at least one of ${centersName} (got ${k})`);
  if (a.points.length < a.n * a.dim) throw new RangeError(`nearest-centroid: points has ${a.points.length} values, need n*dim = ${a.n * a.dim}`);
  if (centers.length < k * a.dim) throw new RangeError(`nearest-centroid: ${centersName} has ${centers.length} values, need ${k}*${a.dim}`);
  if (a.rows) {
    for (let i = 0; i < a.rows.length; i++) {
      const r = a.rows[i];
      if (r < 0 || r >= a.n) throw new RangeError(`nearest-centroid: rows[${i}] = ${r} is outside [0, ${a.n})`);
    }
  }
}

/** Number of rows a call covers. */
export function rowCount(a: { n: number; rows?: Int32Array }): number {
  return a.rows ? a.rows.length : a.n;
}

/** ‖a[ao..ao+dim) − b[bo..bo+dim)‖², in double precision: the one row-to-row distance the TypeScript paths share. */
export function squaredDistance(a: Float32Array, ao: number, b: Float32Array, bo: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const x = a[ao + d] - b[bo + d];
    s += x * x;
  }
  return s;
}
