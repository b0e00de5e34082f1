/**
 * The `elkan-assign` kernel: the assignment step of Lloyd's k-means with
 * Elkan's (2003, "Using the triangle inequality to accelerate k-means")
 * bounds, as a session that keeps the bounds between steps. Each step gives
 * the same labels as a brute-force nearest-centre pass (up to exact ties)
 * while computing only the distances the bounds cannot rule out: on the 64-d
 * Beauty skip-gram vectors at k = 100 that is 84% of n·k in step 2, under
 * 15% from step 10 and under 2% near convergence (tools/bench/clusterer).
 *
 * Backends: `typescript-reference` (brute force, no bounds: the semantics),
 * `typescript` (Elkan in plain float64 loops), `wasm-simd` (Elkan in
 * WebAssembly SIMD with drift-relative lower bounds and Hamerly's single
 * bound in front of them, elkan-wasm-module.ts; its first two steps, and any
 * step after one that pruned little, are one blocked pass over every
 * distance that rewrites all the bounds: `elk` in wasm-simd-module.ts).
 * Departure from the paper in wasm-simd: when the centre-gap test rules out
 * a centre whose own bound did not, that bound is raised to ‖c_a − c_j‖ − u
 * (the triangle inequality), so the centre is not tested again next step.
 * Labels then agree with brute force up to exact ties and float32 rounding
 * of near-ties (the blocked pass uses the ‖x‖² − 2x·c + ‖c‖² form).
 * Memory: n·k lower bounds (float32 in wasm-simd, float64 in typescript).
 * wasm-simd shares each step's points out between two threads
 * (wasm-helper-thread.ts) on machines with two cores or more;
 * META_ID_KERNEL_THREADS=1 keeps it on one.
 */
import { createFromFamily, selectFastest, type KernelBackend, type Selection } from '../select.js';
import { elkanWasmBytes } from './elkan-wasm-module.js';
import { distanceModule } from './wasm-simd.js';
import { sameBits, WARM_UP_POINTS, warmUpPoints } from './wasm-internal.js';
import { rowNorms } from './typescript-fast.js';
import { SplitCalls, kernelHelperThreads } from './wasm-helper-thread.js';
import { squaredDistance } from './types.js';

export interface ElkanArgs {
  /** `n × dim`, row-major; must not change during the session. */
  points: Float32Array;
  n: number;
  dim: number;
  k: number;
}

export interface ElkanStep {
  /** Nearest centre of each point (a fresh array). */
  labels: Int32Array;
  /** Point-centre distances computed in this step. */
  evaluations: number;
  /**
   * Optional: the points whose centre differs from the one they had when this step started (after any
   * `relabel`), in no particular order; a backend that does not track them, or a step that rewrote every
   * label, leaves it out.
   */
  changed?: Int32Array;
}

export interface ElkanSession {
  /**
   * Assigns every point to its nearest centre. The first call is an exact pass; later calls need
   * `shift[j] = ‖c_j(now) − c_j(at the previous call)‖`.
   */
  assign(centroids: Float32Array, shift?: ArrayLike<number>): ElkanStep;
  /** Point `i` was moved to centre `j` outside the kernel (empty-cluster repair): its bounds are reset. */
  relabel(i: number, j: number): void;
  /** Upper bounds on each point's (not squared) distance to its centre. */
  upperBounds(): Float64Array;
  /**
   * Optional: the session is done; a backend may hand its memory to the next session of the same size (its
   * pages already mapped, its points kept when they are the same). Any later call on it throws. A session
   * that is never disposed is simply collected.
   */
  dispose?(): void;
}

export type ElkanKernel = (args: ElkanArgs) => ElkanSession;

function checkElkanArgs(a: ElkanArgs): void {
  if (!Number.isInteger(a.n) || a.n < 1) throw new RangeError(`elkan-assign: n must be a positive integer (got ${a.n})`);
  if (!Number.isInteger(a.dim) || a.dim < 1) throw new RangeError(`elkan-assign: dim must be a positive integer (got ${a.dim})`);
  if (!Number.isInteger(a.k) || a.k < 1) throw new RangeError(`elkan-assign: k must be a positive integer (got ${a.k})`);
  if (a.points.length < a.n * a.dim) throw new RangeError(`elkan-assign: points has ${a.points.length} values, need n*dim = ${a.n * a.dim}`);
}

function checkStep(k: number, dim: number, centroids: Float32Array, shift: ArrayLike<number> | undefined, started: boolean): void {
  if (centroids.length < k * dim) throw new RangeError(`elkan-assign: centroids has ${centroids.length} values, need ${k}*${dim}`);
  if (started && (!shift || shift.length < k)) throw new RangeError('elkan-assign: after the first step, assign() needs the shift of every centre');
}

/** Brute force: every distance, every step (lowest index on exact ties). */
export const elkanReference: ElkanKernel = (args) => {
  checkElkanArgs(args);
  const { points, n, dim, k } = args;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  return {
    assign(centroids) {
      checkStep(k, dim, centroids, undefined, false);
      for (let i = 0; i < n; i++) {
        let best = Infinity;
        let arg = 0;
        for (let j = 0; j < k; j++) {
          const s = squaredDistance(points, i * dim, centroids, j * dim, dim);
          if (s < best) {
            best = s;
            arg = j;
          }
        }
        labels[i] = arg;
        upper[i] = Math.sqrt(best);
      }
      return { labels: labels.slice(), evaluations: n * k };
    },
    relabel(i, j) {
      labels[i] = j;
      upper[i] = Infinity;
    },
    upperBounds: () => upper.slice(),
  };
};

/** Relative and absolute slack of every bound test, far above float32 rounding of distances ≈ 1. */
const SLACK_REL = 2e-5;
const SLACK_ABS = 1e-5;

/**
 * ½‖c_a − c_j‖ (+∞ on the diagonal) and ½ min_{j≠a}, both shrunk by the slack: the TypeScript backend's
 * centre gaps (wasm-simd has its own, `gaps` in elkan-wasm-module.ts, for the moved centres only).
 */
function centreGaps(centroids: Float32Array, k: number, dim: number, hcc: Float64Array, half: Float64Array, scale: number): void {
  for (let a = 0; a < k; a++) {
    hcc[a * k + a] = Infinity;
    for (let b = a + 1; b < k; b++) {
      const g = Math.max(0, 0.5 * Math.sqrt(squaredDistance(centroids, a * dim, centroids, b * dim, dim)) * (1 - SLACK_REL) - SLACK_ABS * scale);
      hcc[a * k + b] = g;
      hcc[b * k + a] = g;
    }
  }
  for (let a = 0; a < k; a++) {
    let m = Infinity;
    for (let b = 0; b < k; b++) if (hcc[a * k + b] < m) m = hcc[a * k + b];
    half[a] = m;
  }
}

/** max ‖x‖ over the rows. */
function maxNorm(points: Float32Array, n: number, dim: number): number {
  let most = 0;
  for (const s of rowNorms(points, n, dim)) if (s > most) most = s;
  return Math.sqrt(most);
}

/** Elkan in plain float64 TypeScript (classic form: every lower bound decreased by its centre's shift). */
export const elkanTypescript: ElkanKernel = (args) => {
  checkElkanArgs(args);
  const { points, n, dim, k } = args;
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const hcc = new Float64Array(k * k);
  const half = new Float64Array(k);
  const scale = Math.max(1e-30, maxNorm(points, n, dim));
  let started = false;
  return {
    assign(centroids, shift) {
      checkStep(k, dim, centroids, shift, started);
      let evaluations = 0;
      const dist = (i: number, j: number) => Math.sqrt(squaredDistance(points, i * dim, centroids, j * dim, dim));
      if (!started) {
        for (let i = 0; i < n; i++) {
          let best = Infinity;
          let arg = 0;
          for (let j = 0; j < k; j++) {
            const d = dist(i, j);
            lower[i * k + j] = d;
            if (d < best) {
              best = d;
              arg = j;
            }
          }
          labels[i] = arg;
          upper[i] = best;
        }
        started = true;
        return { labels: labels.slice(), evaluations: n * k };
      }
      centreGaps(centroids, k, dim, hcc, half, scale);
      const eps = SLACK_ABS * scale;
      for (let i = 0; i < n; i++) {
        const o = i * k;
        for (let j = 0; j < k; j++) lower[o + j] -= shift![j] * (1 + SLACK_REL) + eps;
        let a = labels[i];
        let u = upper[i] + shift![a] * (1 + SLACK_REL) + eps;
        if (u <= half[a]) {
          upper[i] = u;
          continue;
        }
        let tight = false;
        for (let j = 0; j < k; j++) {
          if (j === a || u <= lower[o + j] || u <= hcc[a * k + j]) continue;
          if (!tight) {
            u = dist(i, a);
            lower[o + a] = u;
            evaluations++;
            tight = true;
            if (u <= lower[o + j] || u <= hcc[a * k + j]) continue;
          }
          const d = dist(i, j);
          evaluations++;
          lower[o + j] = d;
          if (d < u) {
            a = j;
            u = d;
          }
        }
        labels[i] = a;
        upper[i] = u;
      }
      return { labels: labels.slice(), evaluations };
    },
    relabel(i, j) {
      labels[i] = j;
      upper[i] = Infinity;
    },
    upperBounds: () => upper.slice(),
  };
};

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { readonly buffer: ArrayBufferLike; grow(pages: number): number };
}
const wasm: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
const modules = new Map<string, object>();
const align = (x: number) => (x + 63) & ~63;

type Gaps = (cBase: number, hcc: number, stale: number, half: number, k: number, f: number, e: number) => void;

function elkanModule(dp: number, kv: number): object {
  const key = `${dp}:${kv}`;
  let m = modules.get(key);
  if (!m) {
    if (!wasm) throw new Error('no WebAssembly in this runtime');
    const bytes = elkanWasmBytes(dp, kv);
    if (!wasm.validate(bytes)) throw new Error('this runtime cannot run WebAssembly SIMD');
    m = new wasm.Module(bytes);
    modules.set(key, m);
  }
  return m;
}

/**
 * A step after an Elkan step that computed more than this fraction of the n·k distances computes all of them
 * on the blocked kernel instead: one blocked pass costs about as much as this fraction of the distances one at
 * a time (Beauty, 64-d, k = 100: a full pass 20-25 ms, an Elkan step at 16 distances a point 14-20 ms;
 * tools/bench/clusterer/elkan-steps.mjs prints every step).
 */
export const FULL_PASS_ABOVE = 0.25;
/**
 * The first assignments (the exact start and the step after it) are full passes: the centres move most then, and
 * Elkan's second step computes 75-83% of the distances one at a time (Beauty), 2.7x the cost of the blocked pass.
 */
export const FULL_PASSES_FIRST = 2;
/** Bound on the float32 error of ‖x‖² − 2x·c + ‖c‖² per column, relative to 1 + ‖x‖² + ‖c‖² (twice the worst case of a 2-chain sum). */
const FLOAT_ERROR_PER_COLUMN = 2.4e-7;

/** Shapes (padded dim × centre vectors) whose WebAssembly a synthetic run has started to optimise (warmElkan). */
const warmedShapes = new Set<string>();

/**
 * A few steps of a throwaway session on synthetic points of the same shape, the first time a shape is seen. V8
 * runs a new WebAssembly function on baseline (Liftoff) code and compiles optimised code in the background only
 * once it has run a while; the first k-means of a shape ran its first full passes and steps on baseline code (a
 * first run on Beauty took 0.2-0.3 s longer than the next). Made before k-means++ (kmeans.ts does), the
 * session's optimised code is ready by the first step. About 10-20 ms.
 */
function warmElkan(dim: number, k: number): void {
  const key = `${Math.ceil(dim / 4)}:${Math.ceil(k / 4)}`;
  if (warmedShapes.has(key)) return;
  warmedShapes.add(key);
  const n = warmUpPoints(Math.ceil(dim / 4) * 4 + Math.ceil(k / 4) * 4); // a row of points and one of bounds
  // cheap data (a JavaScript loop over n·dim values cost more than the warm-up saved): the centres from a
  // small generator, each point its centre plus one of 7 small offsets, copied, not computed
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  const c = new Float32Array(k * dim);
  for (let q = 0; q < c.length; q++) c[q] = next();
  const points = new Float32Array(n * dim);
  for (let i = 0; i < Math.min(n, 7 * k); i++) {
    const j = i % k;
    points.set(c.subarray(j * dim, j * dim + dim), i * dim);
    points[i * dim + (i % dim)] += 0.05 * ((i % 7) - 3);
  }
  for (let done = 7 * k; done < n; done *= 2) points.copyWithin(done * dim, 0, Math.min(done, n - done) * dim);
  const session = elkanWasmSimd({ points, n, dim, k });
  const shift = new Float64Array(k);
  session.assign(c);
  for (let step = 0; step < 4; step++) {
    // centre j moves by 0.01 along axis (j + step) mod dim
    for (let j = 0; j < k; j++) {
      c[j * dim + ((j + step) % dim)] += 0.01;
      shift[j] = 0.01;
    }
    session.assign(c, shift);
  }
}

/** A disposed session's memory and code instances, kept for the next session of the same layout (one slot). */
interface ElkanMemory {
  layout: string;
  memory: { buffer: ArrayBufferLike };
  gaps: Gaps;
  calls: SplitCalls;
  full: SplitCalls;
  /** ‖x‖² of the points the memory holds (undefined until a session has copied them in). */
  norms?: Float64Array;
}
let idleMemory: ElkanMemory | undefined;

/** Elkan on WebAssembly SIMD; throws when the runtime lacks it or the bounds would not fit in 4 GiB. */
export const elkanWasmSimd: ElkanKernel = (args) => {
  checkElkanArgs(args);
  kernelHelperThreads(); // started now, it boots while the session is laid out
  if (args.n >= WARM_UP_POINTS) warmElkan(args.dim, args.k); // small sessions (the backend race) would not gain
  const { points, n, dim, k } = args;
  const dp = Math.ceil(dim / 4) * 4;
  const kv = Math.ceil(k / 4);
  const kp = kv * 4;
  // layout
  const X = 64;
  const C = align(X + n * dp * 4);
  const LAB = align(C + kp * dp * 4);
  const UB = align(LAB + n * 4);
  const L = align(UB + n * 4);
  const DRIFT = align(L + n * kp * 4);
  const HALF = align(DRIFT + kp * 4);
  const HCC = align(HALF + kp * 4);
  const SHIFT = align(HCC + kp * kp * 4);
  const LO = align(SHIFT + kp * 4);
  const XN = align(LO + n * 4);
  const CT = align(XN + n * 4);
  const CN = align(CT + dp * kp * 4);
  const STALE = align(CN + kp * 4); // kp bytes: 1 for a centre moved since its gaps were computed
  const LIST = align(STALE + kp); // two lists of kp + 4 int32 candidate centres, one per thread
  const CHG = align(LIST + 2 * (kp + 4) * 4); // two lists of n int32: the points whose centre a step changed, one per thread
  const CNT = align(CHG + 2 * n * 4); // two int32 counters of distances, one per thread
  const NEXT = CNT + 8; // two int32: the next point of each thread's half
  const CHGN = CNT + 16; // two int32: the length of each thread's list at CHG
  const bytes = CNT + 64;
  if (bytes > 65536 * 65536) throw new RangeError(`elkan-assign wasm-simd: needs ${bytes} bytes, WebAssembly memory stops at 4 GiB (n·k too large: use plain Lloyd)`);
  // A disposed session of the same layout lends its memory: no fresh pages to fault in (~25 MB on Beauty), the
  // code instances already bound on the helper thread. Every region is written below or by the first full pass
  // before it is read, as in a fresh memory.
  const layout = `${n}:${dp}:${kv}`;
  let mem: ElkanMemory;
  if (idleMemory?.layout === layout) {
    mem = idleMemory;
    idleMemory = undefined;
  } else {
    const module = elkanModule(dp, kv);
    const memory = new wasm!.Memory({ initial: Math.ceil(bytes / 65536), maximum: 65536, shared: true });
    const inst = new wasm!.Instance(module, { env: { memory } });
    const blocked = distanceModule(dp, kv);
    mem = {
      layout,
      memory,
      gaps: inst.exports.gaps as Gaps,
      calls: new SplitCalls(module, memory, inst.exports),
      full: new SplitCalls(blocked, memory, new wasm!.Instance(blocked, { env: { memory } }).exports),
    };
  }
  const { memory, gaps, calls, full } = mem;
  const buf = memory.buffer;
  const xs = new Float32Array(buf, X, n * dp);
  const kept = mem.norms !== undefined && dp === dim && sameBits(points.subarray(0, n * dim), xs.subarray(0, n * dim));
  if (!kept) {
    if (dp === dim) xs.set(points.subarray(0, n * dim));
    else for (let i = 0; i < n; i++) xs.set(points.subarray(i * dim, i * dim + dim), i * dp);
    mem.norms = rowNorms(points, n, dim);
  }
  const cs = new Float32Array(buf, C, kp * dp);
  const lab = new Int32Array(buf, LAB, n);
  const ub = new Float32Array(buf, UB, n);
  const drift = new Float32Array(buf, DRIFT, kp);
  const half = new Float32Array(buf, HALF, kp);
  const hcc = new Float32Array(buf, HCC, kp * kp);
  const shiftView = new Float32Array(buf, SHIFT, kp);
  const cnt = new Int32Array(buf, CNT, 2);
  const chgN = new Int32Array(buf, CHGN, 2);
  const lo = new Float32Array(buf, LO, n);
  lo.fill(-Infinity); // no single bound yet: the first step reads every row
  let maxDrift = 0;
  const driftExact = new Float64Array(k);
  const norms = mem.norms!;
  let maxXn = 0;
  for (let i = 0; i < n; i++) if (norms[i] > maxXn) maxXn = norms[i];
  const scale = Math.max(1e-30, Math.sqrt(maxXn));
  const xn = new Float32Array(buf, XN, n);
  xn.set(norms);
  const ct = new Float32Array(buf, CT, dp * kp);
  const cn = new Float32Array(buf, CN, kp);
  let lastEvaluations = 0;
  let lastWasFull = true;
  let steps = 0;
  /**
   * Every distance at once on the blocked kernel (‖x‖² − 2x·c + ‖c‖², float32): labels, the L row, ub and
   * lo, each widened by that form's float error bound so they stay bounds.
   */
  const fullPass = () => {
    ct.fill(0);
    cn.fill(Infinity);
    let maxCn = 0;
    for (let j = 0; j < k; j++) {
      let q = 0;
      for (let d = 0; d < dim; d++) {
        const c = cs[j * dp + d];
        ct[d * kp + j] = -2 * c;
        q += c * c;
      }
      cn[j] = q;
      if (q > maxCn) maxCn = q;
    }
    const eps = FLOAT_ERROR_PER_COLUMN * (dp + 8) * (1 + maxXn + maxCn);
    full.run('elk', n, (first, count) => [0, first, count, X, CT, CN, LAB, UB, L, DRIFT, LO, maxDrift, eps, XN]);
    cnt[0] = n * k;
  };
  hcc.fill(Infinity);
  const stale = new Uint8Array(buf, STALE, kp).fill(1); // centres moved since hcc was last computed
  let started = false;
  let disposed = false;
  const live = () => {
    if (disposed) throw new Error('elkan-assign: this session was disposed (its memory may serve another session)');
  };
  return {
    assign(centroids, shift) {
      live();
      checkStep(k, dim, centroids, shift, started);
      for (let j = 0; j < k; j++) cs.set(centroids.subarray(j * dim, j * dim + dim), j * dp);
      cnt[0] = 0;
      cnt[1] = 0;
      let changed: Int32Array | undefined;
      if (!started) {
        drift.fill(0);
        fullPass();
        started = true;
      } else {
        let maxShift = 0;
        for (let j = 0; j < k; j++) {
          if (shift![j] > maxShift) maxShift = shift![j];
          if (shift![j] > 0) stale[j] = 1;
          driftExact[j] += shift![j];
          drift[j] = driftExact[j];
          shiftView[j] = shift![j] * (1 + SLACK_REL) + SLACK_ABS * scale;
        }
        maxDrift += maxShift;
        // The first FULL_PASSES_FIRST assignments are full passes; later, one follows an Elkan step that computed
        // over FULL_PASS_ABOVE of the distances, never another full pass: only an Elkan step's count says
        // whether the bounds prune yet.
        steps++;
        if (steps < FULL_PASSES_FIRST || (!lastWasFull && lastEvaluations > FULL_PASS_ABOVE * n * k)) {
          fullPass();
          lastWasFull = true;
        } else {
          lastWasFull = false;
          gaps(C, HCC, STALE, HALF, k, 0.5 * (1 - SLACK_REL), SLACK_ABS * scale);
          stale.fill(0);
          const E = SLACK_ABS * scale;
          // Each thread starts on its own half (a counter each), then takes what is left of the other's, so a thread
          // reads the same rows of bounds every step: whole runs on Beauty were 10-20% faster than with one shared
          // counter (docs/benchmarks.md)
          chgN[0] = 0;
          chgN[1] = 0;
          calls.runOwnHalfFirst('step', n, NEXT, (own, other, h) => [...own, X, C, LAB, UB, L, DRIFT, HALF, HCC, SHIFT, 1 + SLACK_REL, E, CNT + 4 * h, LO, maxDrift, LIST + h * (kp + 4) * 4, ...other, CHG + h * n * 4, CHGN + 4 * h], 4096);
          changed = new Int32Array(chgN[0] + chgN[1]);
          changed.set(new Int32Array(buf, CHG, chgN[0]));
          changed.set(new Int32Array(buf, CHG + n * 4, chgN[1]), chgN[0]);
        }
      }
      lastEvaluations = cnt[0] + cnt[1];
      return changed ? { labels: lab.slice(), evaluations: lastEvaluations, changed } : { labels: lab.slice(), evaluations: lastEvaluations };
    },
    relabel(i, j) {
      live();
      lab[i] = j;
      ub[i] = Infinity;
      lo[i] = -Infinity;
    },
    upperBounds: () => {
      live();
      return Float64Array.from(ub, Math.abs);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      idleMemory = mem;
    },
  };
};

/** Builds one backend of the elkan-assign kernel (typescript-reference, typescript or wasm-simd). */
export async function createElkanKernel(backend: KernelBackend): Promise<ElkanKernel> {
  const none = (what: string) => () => {
    throw new RangeError(`elkan-assign has no ${what} backend (bounds need per-point control flow)`);
  };
  return createFromFamily<ElkanKernel>(
    { name: 'elkan-assign', reference: elkanReference, typescript: elkanTypescript, tfjs: none('tfjs'), gpujs: none('gpu.js'), wasmSimd: () => elkanWasmSimd },
    backend,
  );
}

/** Input of the backend race: a session of a few Lloyd steps from given centres. */
interface ElkanRaceArgs {
  points: Float32Array;
  n: number;
  dim: number;
  k: number;
  centroids: Float32Array;
  steps: number;
}

/** Clustered random points (so the bounds have something to prune) and k of them as centres. */
function raceArgs(n: number, k: number, dim: number, steps: number, seed: number): ElkanRaceArgs {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 4294967296) - 0.5;
  const centres = new Float32Array(k * dim).map(rand);
  const points = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) points[i * dim + d] = centres[(i % k) * dim + d] + 0.6 * rand();
  return { points, n, dim, k, centroids: points.slice(0, k * dim), steps };
}

/** Runs `steps` Lloyd steps (means of the labels) through one session; returns the last labels and centres. */
export function elkanLloyd(kernel: ElkanKernel, a: ElkanRaceArgs): { labels: Int32Array; centroids: Float32Array } {
  const { points, n, dim, k } = a;
  const s = kernel({ points, n, dim, k });
  let c = Float32Array.from(a.centroids);
  let labels = s.assign(c).labels;
  for (let t = 0; t < a.steps; t++) {
    const sums = new Float64Array(k * dim);
    const cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      cnt[labels[i]]++;
      for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += points[i * dim + d];
    }
    const next = new Float32Array(k * dim);
    const shift = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let q = 0;
      for (let d = 0; d < dim; d++) {
        next[j * dim + d] = cnt[j] ? sums[j * dim + d] / cnt[j] : c[j * dim + d];
        q += (next[j * dim + d] - c[j * dim + d]) ** 2;
      }
      shift[j] = Math.sqrt(q);
    }
    c = next;
    labels = s.assign(c, shift).labels;
  }
  return { labels, centroids: c };
}

const elkanCache = new Map<string, Promise<Selection<ElkanRaceArgs, { labels: Int32Array; centroids: Float32Array }> & { kernel: ElkanKernel }>>();

/**
 * Chooses the elkan-assign backend: every candidate's Lloyd run is checked against the brute-force reference
 * (same final inertia within 1e-6 relative: a near-tie may send a point either way) and timed on a
 * 2000 × 32-centre × 64-d session of 4 steps. The candidates are `wasm-simd`, or `typescript` where
 * WebAssembly SIMD cannot start (typescript is ~6x slower at scale but can win this small race by noise on
 * a busy machine). Cached per process; takes a fraction of a second.
 */
export function chooseElkanKernel(options: { backends?: KernelBackend[]; quiet?: boolean } = {}): Promise<Selection<ElkanRaceArgs, { labels: Int32Array; centroids: Float32Array }> & { kernel: ElkanKernel }> {
  let backends = options.backends;
  if (!backends) {
    try {
      elkanModule(4, 1);
      backends = ['wasm-simd'];
    } catch {
      backends = ['typescript'];
    }
  }
  const key = JSON.stringify(backends);
  let found = elkanCache.get(key);
  if (!found) {
    const check = raceArgs(400, 13, 19, 4, 5);
    const inertia = (a: ElkanRaceArgs, r: { labels: Int32Array; centroids: Float32Array }) => {
      let s = 0;
      for (let i = 0; i < a.n; i++) for (let d = 0; d < a.dim; d++) s += (a.points[i * a.dim + d] - r.centroids[r.labels[i] * a.dim + d]) ** 2;
      return s;
    };
    const kernels = new Map<string, ElkanKernel>();
    const candidates = ['typescript-reference' as KernelBackend, ...backends.filter((b) => b !== 'typescript-reference')].map((b) => ({
      backend: b,
      create: async () => {
        const kern = await createElkanKernel(b);
        kernels.set(b, kern);
        return (a: ElkanRaceArgs) => elkanLloyd(kern, a);
      },
    }));
    found = selectFastest('elkan-assign', candidates, {
      checkArgs: () => check,
      timeArgs: () => raceArgs(2000, 32, 64, 4, 9),
      agree: (ref, cand) => Math.abs(inertia(check, cand) - inertia(check, ref)) <= 1e-6 * inertia(check, ref),
      reps: 1,
      quiet: options.quiet,
    }).then((sel) => ({ ...sel, kernel: kernels.get(sel.backend)! }));
    elkanCache.set(key, found);
    found.catch(() => elkanCache.delete(key));
  }
  return found;
}
