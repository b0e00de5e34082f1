/**
 * Hand-tuned TypeScript backend: the ‖x‖² − 2x·c + ‖c‖² form with four
 * centroids per pass over a point (each x[d] is loaded once for four
 * multiply-adds), so V8 keeps the accumulators in registers. Distances carry
 * the float cancellation error of that form (~1e-6 of ‖x‖² here); they are
 * clamped at 0.
 */
import { checkNearestArgs, rowCount, type DistanceMatrixArgs, type NearestArgs, type NearestResult } from './types.js';

/** ‖c_j‖² for every row of `c`. */
export function rowNorms(c: Float32Array, m: number, dim: number): Float64Array {
  const out = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    const o = j * dim;
    for (let d = 0; d < dim; d++) s += c[o + d] * c[o + d];
    out[j] = s;
  }
  return out;
}

/** Fills `out[0..m)` with x·c_j for the point at offset `xo`. */
function dots(x: Float32Array, xo: number, c: Float32Array, m: number, dim: number, out: Float64Array): void {
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const o0 = j * dim;
    const o1 = o0 + dim;
    const o2 = o1 + dim;
    const o3 = o2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let d = 0; d < dim; d++) {
      const v = x[xo + d];
      s0 += v * c[o0 + d];
      s1 += v * c[o1 + d];
      s2 += v * c[o2 + d];
      s3 += v * c[o3 + d];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < m; j++) {
    const o = j * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[xo + d] * c[o + d];
    out[j] = s;
  }
}

export function nearestTypescript(args: NearestArgs): NearestResult {
  const { points, dim, centroids, k, rows } = args;
  checkNearestArgs(args, centroids, k);
  const count = rowCount(args);
  const cn = rowNorms(centroids, k, dim);
  const dot = new Float64Array(k);
  const labels = new Int32Array(count);
  const distances = new Float32Array(count);
  const second = args.second ? new Float32Array(count) : undefined;
  let inertia = 0;
  for (let i = 0; i < count; i++) {
    const xo = (rows ? rows[i] : i) * dim;
    let xn = 0;
    for (let d = 0; d < dim; d++) xn += points[xo + d] * points[xo + d];
    dots(points, xo, centroids, k, dim, dot);
    let best = Infinity;
    let next = Infinity;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const s = cn[j] - 2 * dot[j];
      if (s < best) {
        next = best;
        best = s;
        arg = j;
      } else if (s < next) {
        next = s;
      }
    }
    const b = Math.max(0, best + xn);
    labels[i] = arg;
    distances[i] = b;
    if (second) second[i] = Math.max(0, next + xn);
    inertia += b;
  }
  return { labels, distances, second, inertia };
}

export function distanceMatrixTypescript(args: DistanceMatrixArgs): Float32Array {
  const { points, dim, centers, m, rows } = args;
  checkNearestArgs(args, centers, m, 'centers');
  const count = rowCount(args);
  const cn = rowNorms(centers, m, dim);
  const dot = new Float64Array(m);
  const out = new Float32Array(count * m);
  for (let i = 0; i < count; i++) {
    const xo = (rows ? rows[i] : i) * dim;
    let xn = 0;
    for (let d = 0; d < dim; d++) xn += points[xo + d] * points[xo + d];
    dots(points, xo, centers, m, dim, dot);
    for (let j = 0; j < m; j++) out[i * m + j] = Math.max(0, xn + cn[j] - 2 * dot[j]);
  }
  return out;
}
