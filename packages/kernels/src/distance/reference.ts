/**
 * Plain TypeScript reference of the distance kernels: direct differences
 * (no ‖x‖² − 2x·c + ‖c‖² expansion, so no cancellation), double-precision
 * sums, ties to the lowest centroid index. Every other backend is checked
 * against it.
 */
import { checkNearestArgs, rowCount, type DistanceMatrixArgs, type NearestArgs, type NearestResult } from './types.js';

export function nearestReference(args: NearestArgs): NearestResult {
  const { points, dim, centroids, k, rows } = args;
  checkNearestArgs(args, centroids, k);
  const count = rowCount(args);
  const labels = new Int32Array(count);
  const distances = new Float32Array(count);
  const second = args.second ? new Float32Array(count) : undefined;
  let inertia = 0;
  for (let i = 0; i < count; i++) {
    const off = (rows ? rows[i] : i) * dim;
    let best = Infinity;
    let next = Infinity;
    let arg = 0;
    for (let j = 0; j < k; j++) {
      const co = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const diff = points[off + d] - centroids[co + d];
        s += diff * diff;
      }
      if (s < best) {
        next = best;
        best = s;
        arg = j;
      } else if (s < next) {
        next = s;
      }
    }
    labels[i] = arg;
    distances[i] = best;
    if (second) second[i] = next;
    inertia += best;
  }
  return { labels, distances, second, inertia };
}

export function distanceMatrixReference(args: DistanceMatrixArgs): Float32Array {
  const { points, dim, centers, m, rows } = args;
  checkNearestArgs(args, centers, m, 'centers');
  const count = rowCount(args);
  const out = new Float32Array(count * m);
  for (let i = 0; i < count; i++) {
    const off = (rows ? rows[i] : i) * dim;
    for (let j = 0; j < m; j++) {
      const co = j * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const diff = points[off + d] - centers[co + d];
        s += diff * diff;
      }
      out[i * m + j] = s;
    }
  }
  return out;
}
