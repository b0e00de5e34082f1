/**
 * k-means: Lloyd iterations (Lloyd 1982) from greedy k-means++ seeds, in two
 * metrics: `cosine` is spherical k-means (Dhillon & Modha 2001: points
 * L2-normalised, each centroid the renormalised mean of its members), which
 * the META ID paper uses on the skip-gram vectors; `euclidean` is plain
 * k-means. Convergence follows scikit-learn 1.2 (`KMeans(algorithm='lloyd')`):
 * stop when no label changes, or when the summed squared centroid shift is at
 * most `tol × mean per-feature variance of the points`; a run that stopped on
 * the shift or the cap gets one more assignment so labels match the final
 * centroids. Empty clusters are re-seeded with the points farthest from their
 * centroids, as scikit-learn does.
 *
 * Departure, for speed only: by default the assignment step computes only
 * the point-centroid distances that Elkan's (2003) triangle-inequality bounds
 * cannot rule out (the `elkan-assign` kernel of @meta-id/kernels, whose first
 * two steps, and any step after one that computed over a quarter of them, are
 * one blocked pass over all of them; Hamerly's (2010) single bound, or none,
 * on request); the assignments are those of plain Lloyd (up to exact ties and
 * float32 rounding of near-ties), which `bounds: false` runs.
 */
import { ConfigError, DataFormatError, MetaIdError, Rng, requireOption } from '@meta-id/core';
import { rowNorms, squaredDistance, type ElkanSession, type NearestResult } from '@meta-id/kernels';
import { kmeansPlusPlus } from './kmeans-plusplus.js';
import { resolveNearest, resolveSeeding, type NearestChoice } from './backends.js';
import { resolveElkan } from './kmeans-elkan.js';

export type Metric = 'cosine' | 'euclidean';

/** Above this fraction of points recomputed in a bounded step, `bounds: 'auto'` switches to plain Lloyd. */
export const BOUNDS_PAY_OFF = 0.4;

/** Options of {@link kmeans}; every field but `k` has a documented default. */
export interface KMeansOptions {
  /** Number of clusters, 1 ≤ k ≤ number of points. Required. */
  k: number;
  /** `cosine` (spherical k-means) or `euclidean`. Default `cosine`. */
  metric?: Metric;
  /** Seed of every random draw (k-means++). Default 42. */
  seed?: number;
  /** Cap on Lloyd iterations. Default 300 (scikit-learn's). */
  maxIter?: number;
  /**
   * Relative tolerance: stop when Σ_j ‖c_j(new) − c_j(old)‖² ≤ tol × mean
   * per-feature variance of the (normalised) points. Default 1e-4
   * (scikit-learn's definition and default). 0 = run until labels are stable.
   */
  tol?: number;
  /** `k-means++` (greedy, default), `random` (k distinct points) or explicit `k × dim` centroids. */
  init?: 'k-means++' | 'random' | Float32Array;
  /** Candidates per greedy k-means++ step. Default 2 + floor(ln k), as scikit-learn. */
  localTrials?: number;
  /**
   * Triangle-inequality bounds that skip distances which cannot change an assignment (same assignments as
   * plain Lloyd, up to exact ties). `auto` (default): Elkan's bounds (one lower bound per point and
   * centroid, n·k float32; on the 64-d Beauty vectors at k = 100 they skip 85-99% of the distances after the
   * first few iterations) whenever n·k·dim ≥ 2e7, the WebAssembly kernel runs here and the bounds fit in
   * 1 GiB; otherwise Hamerly's single bound while it pays (dropped to plain Lloyd from the third iteration
   * when more than 40% of the points still need a full recomputation). `elkan`: Elkan whenever possible;
   * `true`: Hamerly throughout; `false`: plain Lloyd.
   */
  bounds?: boolean | 'auto' | 'elkan';
  /** Distance backend: `auto` (default; small problems on the TypeScript loop, larger ones raced once), a backend name, or a kernel. */
  backend?: NearestChoice;
  /** Progress lines on stderr: true, false, or a sink. Default: only for runs longer than 3 s. */
  progress?: boolean | ((line: string) => void);
  /** Entity names, used only in error messages. */
  ids?: readonly string[];
}

export interface KMeansResult {
  k: number;
  dim: number;
  metric: Metric;
  /** `k × dim`; unit length under `cosine`. */
  centroids: Float32Array;
  /** Cluster of each point. */
  labels: Int32Array;
  /** Exact squared Euclidean distance of each point to its centroid. */
  distances: Float64Array;
  /** Σ distances: the k-means objective (under cosine, Σ (2 − 2 cos) on unit vectors). */
  inertia: number;
  /** Lloyd iterations run (scikit-learn's `n_iter_`). */
  iterations: number;
  stop: 'labels-stable' | 'tolerance' | 'max-iter';
  /** Times an empty cluster was re-seeded. */
  emptyClustersRepaired: number;
  /** The points clustered (L2-normalised copies under cosine). */
  points: Float32Array;
  /** Which kernels ran. */
  backend: { nearest: string; matrix: string };
  /** Point-centroid distances evaluated by the assignment kernel (n·k per pass without bounds). */
  distanceEvaluations: number;
  /** Points sent to the assignment kernel in each assignment step (all of them without bounds). */
  recomputed: number[];
  /** With `bounds: 'auto'`: the iteration (1-based) from which plain Lloyd ran because bounds pruned too little. */
  boundsDroppedAt?: number;
  timings: { initMs: number; lloydMs: number };
}

/** L2-normalised copy of `vectors`; a zero or non-finite row is an error naming the entity. */
export function normaliseRows(vectors: Float32Array, n: number, dim: number, ids?: readonly string[]): Float32Array {
  return scanPoints(vectors, n, dim, true, ids).points;
}

/**
 * Mean over features of the per-feature variance (scikit-learn's `_tolerance` scale): float64 sums of
 * x − x_0 (shifted by the first point, so a large common offset does not cancel the variance away).
 */
export function meanVariance(points: Float32Array, n: number, dim: number): number {
  return scanPoints(points, n, dim, false).meanVariance;
}

/**
 * One pass over the points for everything k-means needs of them before it starts: with `normalise`, the
 * L2-normalised copy (else the input itself, checked finite); scikit-learn's tolerance scale (the mean
 * per-feature variance, of the normalised rows when normalising); and max ‖x‖² (k-means++'s float margin).
 * A zero row (when normalising) or a non-finite value is an error naming the entity. One pass, not four: in
 * JavaScript each pass over Beauty's 2.2M floats took 7-20 ms.
 */
function scanPoints(vectors: Float32Array, n: number, dim: number, normalise: boolean, ids?: readonly string[]): { points: Float32Array; meanVariance: number; maxSquaredNorm: number } {
  const out = normalise ? new Float32Array(n * dim) : vectors.subarray(0, n * dim);
  const sum = new Float64Array(dim);
  let spread = 0;
  let maxSquaredNorm = 0;
  for (let i = 0, o = 0; i < n; i++, o += dim) {
    let s0 = 0;
    let s1 = 0;
    let d = 0;
    for (; d + 1 < dim; d += 2) {
      const a = vectors[o + d];
      const b = vectors[o + d + 1];
      s0 += a * a;
      s1 += b * b;
    }
    if (d < dim) s0 += vectors[o + d] * vectors[o + d];
    const s = s0 + s1;
    if (!Number.isFinite(s) || (normalise && s === 0)) {
      const where = { source: 'embeddings', line: i + 1, column: ids?.[i] ?? `row ${i}` };
      if (Number.isFinite(s)) throw new DataFormatError(where, 'zero vector has no direction: cosine k-means cannot place it (use metric "euclidean" or drop the entity)');
      let bad = 0;
      while (bad < dim - 1 && Number.isFinite(vectors[o + bad])) bad++;
      throw new DataFormatError(where, 'vector has a non-finite value', vectors[o + bad]);
    }
    if (normalise) {
      const inv = 1 / Math.sqrt(s);
      let q = 0;
      for (let e = 0; e < dim; e++) {
        const x = (out[o + e] = vectors[o + e] * inv);
        q += x * x;
      }
      if (q > maxSquaredNorm) maxSquaredNorm = q;
    } else if (s > maxSquaredNorm) maxSquaredNorm = s;
    // mean per-feature variance = (mean ‖x − x_0‖² − ‖mean (x − x_0)‖²) / dim: one scalar and one array sum
    let r = 0;
    for (let e = 0; e < dim; e++) {
      const x = out[o + e] - out[e];
      sum[e] += x;
      r += x * x;
    }
    spread += r;
  }
  let centre = 0;
  for (let e = 0; e < dim; e++) centre += (sum[e] / n) ** 2;
  return { points: out, meanVariance: Math.max(0, spread / n - centre) / dim, maxSquaredNorm };
}

function makeLogger(progress: KMeansOptions['progress']): (line: string, force?: boolean) => void {
  if (progress === false) return () => {};
  const sink = typeof progress === 'function' ? progress : (s: string) => process.stderr.write(`[meta-id] ${s}\n`);
  const start = performance.now();
  let last = 0;
  return (line, force) => {
    const now = performance.now();
    if (progress === true || typeof progress === 'function' || now - start > 3000) {
      if (force || now - last > 2000) {
        last = now;
        sink(line);
      }
    }
  };
}

/**
 * Clusters `n` row vectors of length `dim` into `k` groups.
 *
 * @example
 * const vectors = new Float32Array([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]);
 * const r = await kmeans(vectors, 4, 2, { k: 2, metric: 'cosine', seed: 1 });
 * console.log(r.labels, r.inertia); // two clusters: rows {0,1} and {2,3}
 */
export async function kmeans(vectors: Float32Array, n: number, dim: number, options: KMeansOptions): Promise<KMeansResult> {
  const metric = options.metric ?? 'cosine';
  const k = options.k;
  const maxIter = options.maxIter ?? 300;
  const tol = options.tol ?? 1e-4;
  const adaptive = options.bounds === undefined || options.bounds === 'auto';
  let useBounds = options.bounds !== false && options.bounds !== 'elkan';
  let boundsDroppedAt: number | undefined;
  let iteration = 0;
  requireOption(metric === 'cosine' || metric === 'euclidean', 'metric', 'must be "cosine" or "euclidean"', metric);
  requireOption(Number.isInteger(n) && n >= 1, 'points', 'need at least one point', n);
  requireOption(Number.isInteger(dim) && dim >= 1, 'dim', 'must be a positive integer', dim);
  requireOption(Number.isInteger(k) && k >= 1, 'k', 'must be an integer ≥ 1', k);
  requireOption(k <= n, 'k', `cannot exceed the number of points (${n})`, k);
  requireOption(Number.isInteger(maxIter) && maxIter >= 1, 'maxIter', 'must be an integer ≥ 1', maxIter);
  requireOption(tol >= 0 && Number.isFinite(tol), 'tol', 'must be a finite number ≥ 0', tol);
  if (vectors.length < n * dim) throw new ConfigError('vectors', `has ${vectors.length} values, need n × dim = ${n * dim}`);
  const log = makeLogger(options.progress);
  const quiet = options.progress === false;

  const scan = scanPoints(vectors, n, dim, metric === 'cosine', options.ids);
  const points = scan.points;
  const elkan = await resolveElkan(options.bounds ?? 'auto', options.backend ?? 'auto', n, k, dim, quiet);
  const nearest = elkan ? { backend: `elkan-${elkan.backend}`, run: undefined } : await resolveNearest(options.backend ?? 'auto', n, k, dim, quiet);
  const rng = new Rng(options.seed ?? 42);
  // The Elkan session before the seeding: its kernel starts optimising its code for this shape meanwhile.
  const session: ElkanSession | undefined = elkan?.kernel({ points, n, dim, k });

  // ---- initial centroids
  const t0 = performance.now();
  let matrixBackend = 'none';
  let centroids: Float32Array;
  const init = options.init ?? 'k-means++';
  if (init instanceof Float32Array) {
    requireOption(init.length === k * dim, 'init', `explicit centroids must have k × dim = ${k * dim} values`, init.length);
    centroids = Float32Array.from(init);
    if (metric === 'cosine') centroids = normaliseRows(centroids, k, dim, Array.from({ length: k }, (_, j) => `initial centroid ${j}`));
  } else if (init === 'random') {
    const idx = rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, k);
    centroids = new Float32Array(k * dim);
    idx.forEach((p, j) => centroids.set(points.subarray(p * dim, p * dim + dim), j * dim));
  } else if (init === 'k-means++') {
    const seeding = await resolveSeeding(options.backend ?? 'auto', n, dim, quiet);
    matrixBackend = seeding.backend;
    const pp = await kmeansPlusPlus(points, n, dim, k, rng, seeding, options.localTrials, (c) => log(`k-means++: ${c}/${k} centres`), scan.maxSquaredNorm);
    centroids = pp.centers;
  } else {
    throw new ConfigError('init', 'must be "k-means++", "random" or a Float32Array of k × dim centroids', init);
  }
  const initMs = performance.now() - t0;

  // ---- Lloyd
  const t1 = performance.now();
  const tolAbs = tol * scan.meanVariance;
  const labels = new Int32Array(n).fill(-1);
  // labels at the end of the last iteration, for the convergence test (without Elkan: an O(n) compare)
  const labelsOld = session ? new Int32Array(0) : new Int32Array(n).fill(-1);
  // with Elkan: the points whose label the last assignment changed, and their labels before
  const changedAt = session ? new Int32Array(n) : new Int32Array(0);
  const changedFrom = session ? new Int32Array(n) : new Int32Array(0);
  let changes = 0;
  const upper = new Float64Array(n); // ≥ distance to own centroid
  const lower = new Float64Array(n); // ≤ distance to any other centroid
  let haveBounds = false;
  let evaluations = 0;
  const recomputed: number[] = [];
  let repaired = 0;
  const counts = new Int32Array(k);
  const sums = new Float64Array(k * dim);
  const shift = new Float64Array(k);
  const half = new Float64Array(k);
  const run = nearest.run!;

  // ‖x‖² for the float-error margins of the bound kernels; the Elkan session keeps its own
  const norms = elkan ? new Float64Array(0) : rowNorms(points, n, dim);
  let sumsValid = false; // sums/counts follow the labels incrementally once computed

  /** Assignment step: labels, distance bounds in `upper`/`lower`, and the cluster sums kept in step. */
  const assign = async (): Promise<void> => {
    if (elkan) {
      // the first call is the session's exact pass, which has no use for the (zero) shifts
      const r = session!.assign(centroids, shift);
      evaluations += r.evaluations;
      recomputed.push(n);
      const move = sumsValid ? { sums, counts, points, dim } : undefined;
      // the kernel lists the points it moved on its bounded steps; after a full pass every label is compared
      changes = r.changed ? takeChanged(r.changed, r.labels, labels, move, changedAt, changedFrom) : takeLabels(r.labels, labels, move, changedAt, changedFrom);
      return;
    }
    if (!useBounds || !haveBounds) {
      const r = await run({ points, n, dim, centroids, k, second: useBounds });
      evaluations += n * k;
      recomputed.push(n);
      applyAssignments(r, undefined, labels, upper, lower, norms, sumsValid ? { sums, counts, points, dim } : undefined);
      haveBounds = useBounds;
      return;
    }
    centroidHalfGaps(centroids, k, dim, half);
    const rows = boundedCandidates(points, n, dim, centroids, labels, upper, lower, half);
    if (adaptive && iteration >= 2 && rows.length > BOUNDS_PAY_OFF * n) {
      // The bounds prune too little here to pay for the dearer pass they need (second distances, gathered
      // rows): plain Lloyd from now on.
      useBounds = false;
      haveBounds = false;
      boundsDroppedAt = iteration + 1;
      return assign();
    }
    recomputed.push(rows.length);
    if (rows.length === 0) return;
    const r = await run({ points, n, dim, centroids, k, rows, second: true });
    evaluations += rows.length * k;
    applyAssignments(r, rows, labels, upper, lower, norms, sumsValid ? { sums, counts, points, dim } : undefined);
  };

  let iterations = 0;
  let stop: KMeansResult['stop'] = 'max-iter';
  for (let it = 0; it < maxIter; it++) {
    iteration = it;
    await assign();
    iterations = it + 1;
    // ---- update step
    if (!sumsValid || it % 100 === 0) {
      // full sums at the start and now and then, so incremental float error cannot build up (moving float32
      // values in and out of float64 sums is exact unless a sum exceeds 2^52 float32 ulps of a value)
      accumulate(points, n, dim, labels, counts, sums);
      sumsValid = true;
    }
    let start: Int32Array | undefined; // labels at the start of the iteration, when a repair follows the assignment
    if (session && counts.includes(0)) {
      start = labels.slice();
      for (let c = 0; c < changes; c++) start[changedAt[c]] = changedFrom[c];
      // the repair ranks points by distance to their centroid: Elkan's upper bounds, then tells the kernel who moved
      const before = labels.slice();
      upper.set(session.upperBounds());
      repaired += repairEmpty(points, dim, k, labels, upper, counts, sums, lower);
      for (let i = 0; i < n; i++) if (labels[i] !== before[i]) session.relabel(i, labels[i]);
    } else {
      repaired += repairEmpty(points, dim, k, labels, upper, counts, sums, lower);
    }
    const next = newCentroids(sums, counts, centroids, k, dim, metric);
    let shiftTotal = 0;
    let maxShift = 0;
    let maxShiftAt = -1;
    let secondShift = 0;
    for (let j = 0; j < k; j++) {
      const s2 = squaredDistance(next, j * dim, centroids, j * dim, dim);
      shiftTotal += s2;
      shift[j] = Math.sqrt(s2);
      if (shift[j] > maxShift) {
        secondShift = maxShift;
        maxShift = shift[j];
        maxShiftAt = j;
      } else if (shift[j] > secondShift) secondShift = shift[j];
    }
    if (useBounds && haveBounds) shiftBounds(labels, upper, lower, shift, maxShiftAt, maxShift, secondShift);
    centroids = next;
    const same = session ? (start ? equalLabels(labels, start) : changes === 0) : equalLabels(labels, labelsOld);
    log(`k-means: iteration ${iterations}, centroid shift ${shiftTotal.toExponential(3)} (tolerance ${tolAbs.toExponential(3)})`);
    if (same) {
      stop = 'labels-stable';
      break;
    }
    if (shiftTotal <= tolAbs) {
      stop = 'tolerance';
      break;
    }
    if (!session) labelsOld.set(labels);
  }
  if (stop !== 'labels-stable') await assign(); // labels must match the final centroids
  const distances = new Float64Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    distances[i] = squaredDistance(points, i * dim, centroids, labels[i] * dim, dim);
    inertia += distances[i];
  }
  session?.dispose?.(); // its memory may serve the next k-means of this size
  const lloydMs = performance.now() - t1;
  log(`k-means: ${iterations} iterations (${stop}), inertia ${inertia.toFixed(4)}, ${(initMs + lloydMs).toFixed(0)} ms on ${nearest.backend}`, true);
  return {
    k,
    dim,
    metric,
    centroids,
    labels,
    distances,
    inertia,
    iterations,
    stop,
    emptyClustersRepaired: repaired,
    points,
    backend: { nearest: nearest.backend, matrix: matrixBackend },
    distanceEvaluations: evaluations,
    recomputed,
    boundsDroppedAt,
    timings: { initMs, lloydMs },
  };
}

// Hot loops live in small synchronous functions: V8 optimises them far better than the same loops inside
// the long async function above.

/** Points whose bounds cannot rule out a change of centroid (Hamerly's test, then a tightened upper bound). */
function boundedCandidates(
  points: Float32Array,
  n: number,
  dim: number,
  centroids: Float32Array,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  half: Float64Array,
): Int32Array {
  const todo = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const a = labels[i];
    const m = half[a] > lower[i] ? half[a] : lower[i];
    if (upper[i] <= m) continue;
    upper[i] = Math.sqrt(squaredDistance(points, i * dim, centroids, a * dim, dim));
    if (upper[i] <= m) continue;
    todo[count++] = i;
  }
  return todo.subarray(0, count);
}

function accumulate(points: Float32Array, n: number, dim: number, labels: Int32Array, counts: Int32Array, sums: Float64Array): void {
  counts.fill(0);
  sums.fill(0);
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    counts[j]++;
    const o = j * dim;
    const p = i * dim;
    for (let d = 0; d < dim; d++) sums[o + d] += points[p + d];
  }
}

function newCentroids(sums: Float64Array, counts: Int32Array, old: Float32Array, k: number, dim: number, metric: Metric): Float32Array {
  const next = new Float32Array(k * dim);
  for (let j = 0; j < k; j++) {
    const o = j * dim;
    if (counts[j] === 0) {
      next.set(old.subarray(o, o + dim), o);
      continue;
    }
    if (metric === 'cosine') {
      let s = 0;
      for (let d = 0; d < dim; d++) s += sums[o + d] * sums[o + d];
      if (s === 0) {
        // Members cancel out exactly: no mean direction; keep the old centroid.
        next.set(old.subarray(o, o + dim), o);
        continue;
      }
      const inv = 1 / Math.sqrt(s);
      for (let d = 0; d < dim; d++) next[o + d] = sums[o + d] * inv;
    } else {
      for (let d = 0; d < dim; d++) next[o + d] = sums[o + d] / counts[j];
    }
  }
  return next;
}

/** Hamerly's bound update after the centroids moved by `shift`. */
function shiftBounds(labels: Int32Array, upper: Float64Array, lower: Float64Array, shift: Float64Array, maxAt: number, max: number, second: number): void {
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i];
    upper[i] += shift[a];
    lower[i] -= a === maxAt ? second : max;
  }
}

/** New labels from a kernel; moves changed points between the cluster sums when they are kept. */
type CentroidSums = { sums: Float64Array; counts: Int32Array; points: Float32Array; dim: number };

/** Moves point i's contribution from cluster `from` to cluster `to` in the running centroid sums. */
function movePoint(move: CentroidSums, i: number, from: number, to: number): void {
  const { sums, counts, points, dim } = move;
  counts[from]--;
  counts[to]++;
  const p = i * dim;
  const fo = from * dim;
  const dest = to * dim;
  for (let d = 0; d < dim; d++) {
    const v = points[p + d];
    sums[fo + d] -= v;
    sums[dest + d] += v;
  }
}

/** Takes every label from `next`; the points that changed (and their old labels) go to `at`/`from`; returns how many. */
function takeLabels(next: Int32Array, labels: Int32Array, move: CentroidSums | undefined, at: Int32Array, from: Int32Array): number {
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const j = next[i];
    const old = labels[i];
    if (old === j) continue;
    if (move && old >= 0) movePoint(move, i, old, j);
    labels[i] = j;
    at[count] = i;
    from[count++] = old;
  }
  return count;
}

/** As {@link takeLabels}, for the points a kernel listed as changed only: O(changes), not O(n). */
function takeChanged(changed: Int32Array, next: Int32Array, labels: Int32Array, move: CentroidSums | undefined, at: Int32Array, from: Int32Array): number {
  for (let c = 0; c < changed.length; c++) {
    const i = changed[c];
    const j = next[i];
    const old = labels[i];
    if (move && old >= 0) movePoint(move, i, old, j);
    labels[i] = j;
    at[c] = i;
    from[c] = old;
  }
  return changed.length;
}

function equalLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Takes a kernel's answer: new labels, distance bounds, and (when `move` is
 * given) the cluster sums and counts moved for every point that changed
 * cluster. The kernel may use the ‖x‖² − 2x·c + ‖c‖² form, so the bounds
 * widen its squared distances by a margin larger than that form's float
 * error before the square root: upper stays ≥ and lower ≤ the true distance.
 */
function applyAssignments(
  r: NearestResult,
  rows: Int32Array | undefined,
  labels: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
  norms: Float64Array,
  move: CentroidSums | undefined,
): void {
  const count = r.labels.length;
  const second = r.second;
  for (let t = 0; t < count; t++) {
    const i = rows ? rows[t] : t;
    const j = r.labels[t];
    const old = labels[i];
    if (move && old !== j && old >= 0) movePoint(move, i, old, j);
    labels[i] = j;
    const best = r.distances[t];
    upper[i] = Math.sqrt(best + 1e-5 * (1 + norms[i] + best));
    if (second) {
      const s2 = second[t];
      lower[i] = Number.isFinite(s2) ? Math.sqrt(Math.max(0, s2 - 1e-5 * (1 + norms[i] + s2))) : Infinity;
    }
  }
}

/** half[j] = ½ min_{j'≠j} ‖c_j − c_j'‖: a point closer than that to c_j keeps c_j (Hamerly's s(j)). */
function centroidHalfGaps(c: Float32Array, k: number, dim: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const d = Math.sqrt(squaredDistance(c, a * dim, c, b * dim, dim));
      if (d < half[a]) half[a] = d;
      if (d < half[b]) half[b] = d;
    }
  }
  for (let a = 0; a < k; a++) half[a] = 0.5 * half[a] * (1 - 1e-7);
}

/**
 * Gives every empty cluster the point farthest from its own centroid (not one
 * that is alone in its cluster), as scikit-learn's `_relocate_empty_clusters`.
 * Updates labels, counts and sums; the moved point's bounds are reset so the
 * next assignment looks at it again.
 */
function repairEmpty(
  points: Float32Array,
  dim: number,
  k: number,
  labels: Int32Array,
  dist: Float64Array,
  counts: Int32Array,
  sums: Float64Array,
  lower: Float64Array,
): number {
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length === 0) return 0;
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => dist[b] - dist[a]);
  let next = 0;
  for (const j of empty) {
    while (next < order.length && counts[labels[order[next]]] <= 1) next++;
    if (next >= order.length) throw new MetaIdError(`k-means: cannot re-seed empty cluster ${j}: no cluster has a point to spare`);
    const i = order[next++];
    const old = labels[i];
    counts[old]--;
    counts[j] = 1;
    for (let d = 0; d < dim; d++) {
      sums[old * dim + d] -= points[i * dim + d];
      sums[j * dim + d] = points[i * dim + d];
    }
    labels[i] = j;
    dist[i] = 0;
    lower[i] = 0;
  }
  return empty.length;
}
