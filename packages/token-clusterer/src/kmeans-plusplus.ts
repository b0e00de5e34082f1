/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the greedy
 * local trials of scikit-learn's `_kmeans_plusplus`): each new centre is the
 * best of `2 + floor(ln k)` candidates drawn with probability proportional
 * to the squared distance to the nearest centre chosen so far, "best"
 * meaning the lowest resulting potential. Distances come from the
 * distance-matrix kernel of @meta-id/kernels.
 *
 * Departure, for speed only: a point whose nearest chosen centre is at least
 * 2·√D(x) from a candidate cannot get closer to that candidate (triangle
 * inequality), so only the other points' distances are computed (the
 * accelerated seeding of Elkan-style k-means++; same potentials, hence the
 * same choices, up to float rounding). It pays on clustered data; on the
 * Beauty skip-gram vectors at k = 100 it rules out almost nothing (D(x) is
 * large there: √D ≈ 0.75 on unit vectors), and costs one pass of cheap tests.
 *
 * The distances and the candidates' potentials come from a seeding kernel
 * of @meta-id/kernels (`wasm-simd` fuses them into one two-thread pass), or
 * from any distance-matrix kernel with the sums taken here.
 */
import { Rng } from '@meta-id/core';
import { rowNorms, seedingFromMatrix, squaredDistance, type DistanceMatrixKernel, type SeedingKernel } from '@meta-id/kernels';

export interface PlusPlusResult {
  /** `k * dim` centres, copies of chosen points. */
  centers: Float32Array;
  /** Row index of each chosen point. */
  indices: Int32Array;
}

/** Steps for which the triangle-inequality test is skipped once it kept over 90% of the rows. */
const PRUNE_RETRY = 8;

export async function kmeansPlusPlus(
  points: Float32Array,
  n: number,
  dim: number,
  k: number,
  rng: Rng,
  kernel: DistanceMatrixKernel | SeedingKernel,
  localTrials = 2 + Math.floor(Math.log(k)),
  onStep?: (chosen: number) => void,
  /** max ‖x‖² over the points when the caller has it (it sets the float margin of the pruning test); else computed. */
  maxSquaredNorm?: number,
): Promise<PlusPlusResult> {
  const centers = new Float32Array(k * dim);
  const indices = new Int32Array(k);
  const first = rng.int(n);
  indices[0] = first;
  centers.set(points.subarray(first * dim, first * dim + dim), 0);
  const seeding = typeof kernel === 'function' ? seedingFromMatrix(kernel) : kernel;
  const trials = Math.max(1, localTrials);
  seeding.prepare?.(dim, trials);
  const none = new Float64Array(n).fill(Infinity);
  const closest = Float64Array.from((await seeding.seed({ points, n, dim, centers: centers.subarray(0, dim), m: 1, closest: none })).column(0));
  // owner[i]: the chosen centre nearest to point i; farthest[c]: an upper bound on the squared distance of
  // c's points to c (it only shrinks as points leave, so a stale value is still a bound)
  const owner = new Int32Array(n);
  const farthest = new Float64Array(k);
  for (let i = 0; i < n; i++) if (closest[i] > farthest[0]) farthest[0] = closest[i];
  let scale = maxSquaredNorm ?? 0; // max ‖x‖²
  if (maxSquaredNorm === undefined) for (const s of rowNorms(points, n, dim)) if (s > scale) scale = s;
  // slack on the squared distances from the kernel (‖x‖² − 2x·c + ‖c‖² form): far above float32 rounding
  const slack = 1e-5 * (1 + scale);
  const cumsum = new Float64Array(n);
  const candCenters = new Float32Array(trials * dim);
  const cand = new Int32Array(trials);
  const gap = new Float64Array(trials * k); // squared distance candidate t – chosen centre c
  const needed = new Uint8Array(k);
  const rows = new Int32Array(n);
  let skipPruningUntil = 0;
  let cumsumValid = false; // the update loop of a step over every row leaves the next step's cumsum
  let run = 0;
  for (let c = 1; c < k; c++) {
    if (!cumsumValid) {
      run = 0;
      for (let i = 0; i < n; i++) {
        run += closest[i];
        cumsum[i] = run;
      }
    }
    for (let t = 0; t < trials; t++) {
      // All points already coincide with a centre: any point is as good as another.
      cand[t] = run > 0 ? searchSorted(cumsum, rng.next() * run) : rng.int(n);
      candCenters.set(points.subarray(cand[t] * dim, cand[t] * dim + dim), t * dim);
    }
    // Triangle inequality: a candidate at ≥ 2·√D(x) from x's nearest centre cannot come closer to x than
    // √D(x), so min(D(x), d(x, candidate)) = D(x) without computing it. Only the other points go to the kernel.
    // Where the test keeps nearly every row (the Beauty vectors: 98-99% at every step) it is skipped for the
    // next PRUNE_RETRY steps: computing a row costs little more than testing it.
    let count = 0;
    let all = true;
    if (c >= skipPruningUntil) {
      for (let o = 0; o < c; o++) {
        needed[o] = 0;
        for (let t = 0; t < trials; t++) {
          const s = squaredDistance(candCenters, t * dim, centers, o * dim, dim);
          gap[t * k + o] = s;
          if (s < 4 * (farthest[o] + slack)) needed[o] = 1;
        }
      }
      for (let i = 0; i < n; i++) {
        const o = owner[i];
        if (!needed[o]) continue;
        const lim = 4 * (closest[i] + slack);
        for (let t = 0; t < trials; t++) {
          if (gap[t * k + o] < lim) {
            rows[count++] = i;
            break;
          }
        }
      }
      // When the bounds keep most rows, gathering them costs more than it saves (1M × 64, 8 candidates, tfjs:
      // 401 ms for 95% of the rows against 174 ms for all of them), so the kernel then gets every row.
      all = count > n / 2;
      if (count > 0.9 * n) skipPruningUntil = c + PRUNE_RETRY;
    } else count = n;
    const sub = rows.subarray(0, count);
    const pots = new Float64Array(trials);
    let best = 0;
    if (count > 0) {
      const step = await seeding.seed(all ? { points, n, dim, centers: candCenters, m: trials, closest } : { points, n, dim, centers: candCenters, m: trials, rows: sub, closest });
      // the rows left out keep D(x) for every candidate
      let kept = 0;
      if (!all) {
        kept = run;
        for (let r = 0; r < count; r++) kept -= closest[sub[r]];
      }
      for (let t = 0; t < trials; t++) pots[t] = step.potentials[t] + kept;
      for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
      const dist = step.column(best);
      if (all) {
        run = takeCloser(dist, closest, owner, farthest, c, cumsum);
        cumsumValid = true;
      } else {
        for (let r = 0; r < count; r++) {
          const i = sub[r];
          const d = dist[r];
          if (d < closest[i]) {
            closest[i] = d;
            owner[i] = c;
            if (d > farthest[c]) farthest[c] = d;
          }
        }
        cumsumValid = false;
      }
    } else cumsumValid = false;
    indices[c] = cand[best];
    centers.set(candCenters.subarray(best * dim, best * dim + dim), c * dim);
    onStep?.(c + 1);
  }
  return { centers, indices };
}

/**
 * D(x) = min(D(x), d) for every row, owner = c and farthest[c] grown where d won; returns Σ D(x), with its
 * running sums in `cumsum` (the next step's sampling needs them: one pass instead of two).
 */
function takeCloser(dist: Float32Array, closest: Float64Array, owner: Int32Array, farthest: Float64Array, c: number, cumsum: Float64Array): number {
  let run = 0;
  let most = farthest[c];
  for (let i = 0; i < closest.length; i++) {
    const d = dist[i];
    if (d < closest[i]) {
      closest[i] = d;
      owner[i] = c;
      if (d > most) most = d;
    }
    run += closest[i];
    cumsum[i] = run;
  }
  farthest[c] = most;
  return run;
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
