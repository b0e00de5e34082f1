/**
 * The k-means++ seeding step as one kernel: for `m` candidate centres, each
 * candidate's potential Σ_r min(D(x_r), ‖x_r − c_t‖²) over the given rows,
 * and the distances themselves so the caller can update D(x) with the
 * candidate it keeps. Greedy k-means++ (scikit-learn's `_kmeans_plusplus`)
 * spends nearly all its time here.
 *
 * `seedingFromMatrix` is the reference: any distance-matrix kernel plus the
 * reduction in float64 JavaScript. The `wasm-simd` backend (wasm-simd.ts)
 * fuses the reduction into the distance pass, on two threads, so the n × m
 * block is never reduced in JavaScript.
 */
import { checkNearestArgs, rowCount, type DistanceMatrixArgs, type DistanceMatrixKernel } from './types.js';

export interface SeedingArgs extends DistanceMatrixArgs {
  /** D(x) of every point (length ≥ n): its squared distance to the nearest centre chosen so far. */
  closest: Float64Array;
}

export interface SeedingResult {
  /** `m` sums over the rows of min(closest[r], ‖x_r − c_t‖²), accumulated in float64. */
  potentials: Float64Array;
  /** ‖x_r − c_t‖² for the rows (in the order of `rows`, else 0..n−1); valid until the kernel's next call. */
  column(t: number): Float32Array;
}

export interface SeedingKernel {
  backend: string;
  seed(args: SeedingArgs): Promise<SeedingResult> | SeedingResult;
  /**
   * Optional: readies the code for `dim`-wide points and `m` candidates before the first seed call (compiled
   * kernels start optimising it; see wasm-simd.ts). Calling it is never needed for correct results.
   */
  prepare?(dim: number, m: number): void;
}

export function checkSeedingArgs(args: SeedingArgs): void {
  checkNearestArgs(args, args.centers, args.m, 'centers');
  if (args.closest.length < args.n) throw new RangeError(`k-means++ seeding: closest has ${args.closest.length} values, need n = ${args.n}`);
}

/** Column `t` of the first `count` rows of a row-major block with `stride` values a row (a fresh copy). */
export function blockColumn(block: Float32Array, count: number, stride: number, t: number): Float32Array {
  const out = new Float32Array(count);
  for (let r = 0; r < count; r++) out[r] = block[r * stride + t];
  return out;
}

/** The seeding step on top of any distance-matrix kernel (the reference for the fused backends). */
export function seedingFromMatrix(matrix: DistanceMatrixKernel, backend = 'matrix'): SeedingKernel {
  return {
    backend,
    async seed(args) {
      checkSeedingArgs(args);
      const { m, rows, closest } = args;
      const count = rowCount(args);
      const dist = count === 0 ? new Float32Array(0) : await matrix(args);
      const potentials = new Float64Array(m);
      for (let r = 0; r < count; r++) {
        const ci = closest[rows ? rows[r] : r];
        for (let t = 0; t < m; t++) {
          const d = dist[r * m + t];
          potentials[t] += d < ci ? d : ci;
        }
      }
      return { potentials, column: (t) => blockColumn(dist, count, m, t) };
    },
  };
}
