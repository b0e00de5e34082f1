/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the greedy
 * local trials of scikit-learn's `_kmeans_plusplus`): each new centre is the
 * best of `2 + floor(ln k)` candidates drawn with probability proportional
 * to the squared distance to the nearest centre chosen so far, "best"
 * meaning the lowest resulting potential. Distances come from the
 * distance-matrix kernel of @meta-id/kernels.
 */
import { Rng } from '@meta-id/core';
import type { DistanceMatrixKernel } from '@meta-id/kernels';

export interface PlusPlusResult {
  /** `k * dim` centres, copies of chosen points. */
  centers: Float32Array;
  /** Row index of each chosen point. */
  indices: Int32Array;
}

export async function kmeansPlusPlus(
  points: Float32Array,
  n: number,
  dim: number,
  k: number,
  rng: Rng,
  matrix: DistanceMatrixKernel,
  localTrials = 2 + Math.floor(Math.log(k)),
  onStep?: (chosen: number) => void,
): Promise<PlusPlusResult> {
  const centers = new Float32Array(k * dim);
  const indices = new Int32Array(k);
  const first = rng.int(n);
  indices[0] = first;
  centers.set(points.subarray(first * dim, first * dim + dim), 0);
  const closest = Float64Array.from(await matrix({ points, n, dim, centers: centers.subarray(0, dim), m: 1 }));
  const cumsum = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) potential += closest[i];
  const trials = Math.max(1, localTrials);
  const candCenters = new Float32Array(trials * dim);
  const cand = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    let run = 0;
    for (let i = 0; i < n; i++) {
      run += closest[i];
      cumsum[i] = run;
    }
    for (let t = 0; t < trials; t++) {
      // All points already coincide with a centre: any point is as good as another.
      cand[t] = run > 0 ? searchSorted(cumsum, rng.next() * run) : rng.int(n);
      candCenters.set(points.subarray(cand[t] * dim, cand[t] * dim + dim), t * dim);
    }
    const dist = await matrix({ points, n, dim, centers: candCenters, m: trials });
    const pots = new Float64Array(trials);
    for (let i = 0; i < n; i++) {
      const ci = closest[i];
      const o = i * trials;
      for (let t = 0; t < trials; t++) {
        const d = dist[o + t];
        pots[t] += d < ci ? d : ci;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    for (let i = 0; i < n; i++) {
      const d = dist[i * trials + best];
      if (d < closest[i]) closest[i] = d;
    }
    potential = pots[best];
    indices[c] = cand[best];
    centers.set(candCenters.subarray(best * dim, best * dim + dim), c * dim);
    onStep?.(c + 1);
  }
  void potential;
  return { centers, indices };
}

/**
 * First index whose cumulative sum exceeds `value` (numpy's searchsorted with side='right'), clipped to the
 * last index; with `value` in [0, total) it never lands on a zero-weight point.
 */
export function searchSorted(cumsum: Float64Array, value: number): number {
  let lo = 0;
  let hi = cumsum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
