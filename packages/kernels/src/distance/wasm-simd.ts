/**
 * WebAssembly SIMD backend of the distance kernels (`wasm-simd`): the
 * ‖x‖² − 2x·c + ‖c‖² form on 4-lane float32 vectors, the arg-min and the
 * second-nearest distance taken in the same pass (see wasm-simd-module.ts).
 * One row costs the same whether a call covers every point or a gathered
 * subset (`rows`), which is what bound-pruned Lloyd steps need: the tfjs
 * backend pays a gather and a read-back of the whole distance block there.
 *
 * The points are copied once into the module's memory and kept while the
 * caller passes the same array (as the tfjs backend does); the centres are
 * copied on every call (k × dim floats). Calls over 4096 rows or more are
 * split with a helper thread (wasm-helper-thread.ts) where there are two cores.
 */
import { rowNorms } from './typescript-fast.js';
import { distanceWasmBytes } from './wasm-simd-module.js';
import { seedingWasmBytes } from './seeding-wasm-module.js';
import { SplitCalls, kernelHelperThreads } from './wasm-helper-thread.js';
import { sameBits, warmUpPoints } from './wasm-internal.js';
import { checkNearestArgs, rowCount, type DistanceMatrixKernel, type NearestKernel } from './types.js';
import { blockColumn, checkSeedingArgs, type SeedingArgs, type SeedingKernel, type SeedingResult } from './seeding.js';

interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmMemoryObject {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemoryObject;
}
const wasm: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;


const PAGE = 65536;

const modules = new Map<string, object>();
/**
 * The compiled module of one shape, once per process: every kernel instance (each k-means run makes its own)
 * shares its code, which V8 optimises once (a fresh module runs its first calls on baseline code).
 */
function compiled(key: string, bytes: () => Uint8Array): object {
  let m = modules.get(key);
  if (!m) {
    m = new wasm!.Module(bytes());
    modules.set(key, m);
  }
  return m;
}
/** The distance module (wasm-simd-module.ts) of one shape, compiled once per process; Elkan's full passes use it too. */
export function distanceModule(dp: number, kv: number): object {
  return compiled(`distance:${dp}:${kv}`, () => {
    const bytes = distanceWasmBytes(dp, kv);
    if (!wasm!.validate(bytes)) throw new Error('this runtime cannot run WebAssembly SIMD');
    return bytes;
  });
}

/**
 * Runs a fresh seeding module once on synthetic points, on this thread and its own small memory. V8 runs a new
 * WebAssembly function on baseline (Liftoff) code and compiles optimised code in the background only once it
 * has run a while; the first k-means++ of a shape spent its first steps on baseline code (2-4x slower), and
 * each call of one run is too short for the switch to happen early. A few ms here, on 4096 points, start that
 * compile before the real steps.
 */
function warmSeeding(module: object, dp: number, m: number): void {
  const blocks = warmUpPoints(dp + m) / 4;
  const colBytes = blocks * 16;
  const xtAt = 64;
  const cAt = align(xtAt + blocks * 16 * dp);
  const cnAt = align(cAt + m * dp * 4);
  const xnAt = align(cnAt + m * 4);
  const clAt = align(xnAt + colBytes);
  const outAt = align(clAt + colBytes);
  const accAt = align(outAt + m * colBytes);
  const end = align(accAt + 4 * m * 8);
  // a fresh memory is zeros: finite points and candidates, counters at bytes 0 and 4 at 0, no second range
  const memory = new wasm!.Memory({ initial: Math.ceil(end / 65536), maximum: 65536, shared: true });
  const pot4 = new wasm!.Instance(module, { env: { memory } }).exports.pot4 as (...a: number[]) => void;
  pot4(0, blocks, 4, 0, xtAt, cAt, cnAt, xnAt, clAt, outAt, colBytes, accAt);
}

/** Byte offset of the resident points. */
const POINTS_AT = 1024;

/** A fingerprint of sampled values, so a caller that rewrites the same array in place is noticed. */
function fingerprint(a: Float32Array, len: number): number {
  let s = len;
  const step = Math.max(1, Math.floor(len / 64));
  for (let i = 0; i < len; i += step) s = (s * 31 + a[i] * 1e3) % 1e9;
  return s;
}

const align = (x: number) => (x + 63) & ~63;

/** One module memory holding the resident points, and the compiled code per shape. */
class WasmDistance {
  private readonly memory: WasmMemoryObject;
  private readonly modules = new Map<string, SplitCalls>();
  private source?: Float32Array;
  private key = '';
  /** ‖x‖² of the resident points, in double precision. */
  norms: Float64Array = new Float64Array(0);
  private dp = 0;

  constructor() {
    if (!wasm) throw new Error('no WebAssembly in this runtime');
    this.memory = new wasm.Memory({ initial: 1, maximum: 65536, shared: true });
  }

  /** The module for one shape; its calls over rows are split with the helper thread. */
  code(dp: number, kv: number): SplitCalls {
    const key = `${dp}:${kv}`;
    let m = this.modules.get(key);
    if (!m) {
      const module = distanceModule(dp, kv);
      const inst = new wasm!.Instance(module, { env: { memory: this.memory } });
      m = new SplitCalls(module, this.memory, inst.exports);
      this.modules.set(key, m);
    }
    return m;
  }

  /** Makes sure `bytes` of memory exist; returns the buffer (views must be taken after this). */
  reserve(bytes: number): ArrayBufferLike {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      if (bytes > 65536 * PAGE) throw new RangeError(`wasm-simd distance kernel: needs ${bytes} bytes of memory, WebAssembly allows 4 GiB`);
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    }
    return this.memory.buffer;
  }

  /** Byte offset of ‖x‖² of the resident points as float32 (after the points). */
  xnAt = 0;

  /** Copies the points in (padded to `dp` columns) unless the same points are already resident; returns the end of the points region. */
  points(points: Float32Array, n: number, dim: number, dp: number): number {
    const len = n * dim;
    const key = `${n}x${dim}:${fingerprint(points, len)}`;
    const xnAt = align(POINTS_AT + n * dp * 4);
    const end = align(xnAt + n * 4);
    if (this.key === key && this.dp === dp) {
      if (this.source === points) return end;
      // another array with the same values (k-means normalises its input into a new array every run): the
      // resident copy, its blocks and norms stay; a bitwise check costs ~1 ms against ~25 ms of copying
      if (dp === dim && sameBits(points.subarray(0, len), new Float32Array(this.memory.buffer, POINTS_AT, len))) {
        this.source = points;
        return end;
      }
    }
    const buf = this.reserve(end);
    const view = new Float32Array(buf, POINTS_AT, n * dp);
    if (dp === dim) view.set(points.subarray(0, len));
    else {
      view.fill(0);
      for (let i = 0; i < n; i++) view.set(points.subarray(i * dim, i * dim + dim), i * dp);
    }
    this.norms = rowNorms(points, n, dim);
    new Float32Array(buf, xnAt, n).set(this.norms);
    this.xnAt = xnAt;
    this.source = points;
    this.key = key;
    this.dp = dp;
    this.version++;
    return end;
  }

  /** Bumped whenever other points become resident. */
  private version = 0;
  private blocksVersion = -1;
  private blocksAt = -1;

  /**
   * The resident points again in blocks of four, points in the lanes (seeding-wasm-module.ts), with their
   * norms, at `at` (after the region `points()` ends at); copied only when the points or the place changed.
   * Returns [points, norms, end] offsets; padding points are zero.
   */
  pointBlocks(n: number, dp: number, at: number): [number, number, number] {
    const blocks = Math.ceil(n / 4);
    const xnAt = align(at + blocks * 16 * dp); // 4 points × dp floats a block
    const end = align(xnAt + blocks * 16);
    if (this.blocksVersion === this.version && this.blocksAt === at) return [at, xnAt, end];
    const buf = this.reserve(end);
    const rowsView = new Float32Array(buf, POINTS_AT, n * dp);
    const out = new Float32Array(buf, at, blocks * 4 * dp);
    out.fill(0);
    for (let i = 0; i < n; i++) {
      const o = (i >> 2) * 4 * dp + (i & 3);
      for (let d = 0; d < dp; d++) out[o + 4 * d] = rowsView[i * dp + d];
    }
    const xn = new Float32Array(buf, xnAt, blocks * 4);
    xn.fill(0);
    xn.set(new Float32Array(buf, this.xnAt, n));
    this.blocksVersion = this.version;
    this.blocksAt = at;
    return [at, xnAt, end];
  }

  /** The module of the blocked seeding step for `m` candidates (seeding-wasm-module.ts). */
  seedingCode(dp: number, m: number): SplitCalls {
    const key = `seed:${dp}:${m}`;
    let code = this.modules.get(key);
    if (!code) {
      const fresh = !modules.has(key);
      const module = compiled(key, () => seedingWasmBytes(dp, m));
      if (fresh) warmSeeding(module, dp, m);
      const inst = new wasm!.Instance(module, { env: { memory: this.memory } });
      code = new SplitCalls(module, this.memory, inst.exports);
      this.modules.set(key, code);
    }
    return code;
  }

  /** Writes ct (−2cᵀ, padded) and cn (‖c‖², +∞ for padding) at `at`; returns [ct, cn, end]. */
  centres(c: Float32Array, m: number, dim: number, dp: number, kv: number, at: number): [number, number, number] {
    const kp = kv * 4;
    const ctAt = at;
    const cnAt = align(ctAt + dp * kp * 4);
    const end = align(cnAt + kp * 4);
    const buf = this.reserve(end);
    const ct = new Float32Array(buf, ctAt, dp * kp);
    ct.fill(0);
    for (let j = 0; j < m; j++) for (let d = 0; d < dim; d++) ct[d * kp + j] = -2 * c[j * dim + d];
    const cn = new Float32Array(buf, cnAt, kp);
    cn.fill(Infinity);
    const norms = rowNorms(c, m, dim);
    for (let j = 0; j < m; j++) cn[j] = norms[j];
    return [ctAt, cnAt, end];
  }

  buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }
}

const shapeOf = (dim: number, m: number) => ({ dp: Math.ceil(dim / 4) * 4, kv: Math.ceil(m / 4) });

/** Rows per call into the module: bounds the output buffers (3 × 4 bytes a row). */
const CHUNK = 1 << 16;

/** Nearest-centroid kernel on WebAssembly SIMD; throws when the runtime lacks it. */
export async function createWasmSimdNearest(): Promise<NearestKernel> {
  const w = new WasmDistance();
  w.code(4, 1); // fail now, not at the first call, where SIMD is missing
  return (args) => {
    const { points, n, dim, centroids, k, rows } = args;
    checkNearestArgs(args, centroids, k);
    const { dp, kv } = shapeOf(dim, k);
    const code = w.code(dp, kv);
    const count = rowCount(args);
    const labels = new Int32Array(count);
    const distances = new Float32Array(count);
    const second = args.second ? new Float32Array(count) : undefined;
    let inertia = 0;
    if (count === 0) return { labels, distances, second, inertia };
    const pend = w.points(points, n, dim, dp);
    const [ct, cn, cend] = w.centres(centroids, k, dim, dp, kv, pend);
    const chunk = Math.min(CHUNK, count);
    const rowsAt = cend;
    const labAt = align(rowsAt + chunk * 4);
    const bestAt = align(labAt + chunk * 4);
    const secAt = align(bestAt + chunk * 4);
    const buf = w.reserve(align(secAt + chunk * 4));
    const norms = w.norms;
    const rowView = new Int32Array(buf, rowsAt, chunk);
    const labView = new Int32Array(buf, labAt, chunk);
    const bestView = new Float32Array(buf, bestAt, chunk);
    const secView = new Float32Array(buf, secAt, chunk);
    for (let start = 0; start < count; start += chunk) {
      const size = Math.min(chunk, count - start);
      if (rows) rowView.set(rows.subarray(start, start + size));
      code.run('scan', size, (first, count) => [rows ? rowsAt + 4 * first : 0, start + first, count, POINTS_AT, ct, cn, labAt + 4 * first, bestAt + 4 * first, secAt + 4 * first]);
      labels.set(labView.subarray(0, size), start);
      for (let t = 0; t < size; t++) {
        const xn = norms[rows ? rows[start + t] : start + t];
        const b = Math.max(0, bestView[t] + xn);
        distances[start + t] = b;
        inertia += b;
        if (second) second[start + t] = Math.max(0, secView[t] + xn);
      }
    }
    return { labels, distances, second, inertia };
  };
}

/** Distance-matrix kernel on WebAssembly SIMD (k-means++ candidates). */
export async function createWasmSimdDistanceMatrix(): Promise<DistanceMatrixKernel> {
  const w = new WasmDistance();
  w.code(4, 1);
  return (args) => {
    const { points, n, dim, centers, m, rows } = args;
    checkNearestArgs(args, centers, m, 'centers');
    const { dp, kv } = shapeOf(dim, m);
    const code = w.code(dp, kv);
    const count = rowCount(args);
    const out = new Float32Array(count * m);
    if (count === 0) return out;
    const pend = w.points(points, n, dim, dp);
    const [ct, cn, cend] = w.centres(centers, m, dim, dp, kv, pend);
    const kp = kv * 4;
    const chunk = Math.min(CHUNK, count);
    const rowsAt = cend;
    const outAt = align(rowsAt + chunk * 4);
    const buf = w.reserve(align(outAt + chunk * kp * 4));
    const norms = w.norms;
    const rowView = new Int32Array(buf, rowsAt, chunk);
    const outView = new Float32Array(buf, outAt, chunk * kp);
    for (let start = 0; start < count; start += chunk) {
      const size = Math.min(chunk, count - start);
      if (rows) rowView.set(rows.subarray(start, start + size));
      code.run('dmat', size, (first, count) => [rows ? rowsAt + 4 * first : 0, start + first, count, POINTS_AT, ct, cn, outAt + first * kp * 4]);
      for (let t = 0; t < size; t++) {
        const xn = norms[rows ? rows[start + t] : start + t];
        const o = (start + t) * m;
        for (let j = 0; j < m; j++) out[o + j] = Math.max(0, outView[t * kp + j] + xn);
      }
    }
    return out;
  };
}

/**
 * k-means++ seeding step on WebAssembly SIMD (see seeding.ts): distances,
 * clamping, min with D(x) and the float64 potentials in one pass, split over
 * two threads (each sums its half; the halves are added here).
 */
export async function createWasmSimdSeeding(): Promise<SeedingKernel> {
  const w = new WasmDistance();
  w.code(4, 1);
  kernelHelperThreads(); // the helper boots (~50 ms) while the caller prepares, not inside the first split call
  return {
    backend: 'wasm-simd',
    prepare(dim, m) {
      if (m >= 1 && dim >= 1) w.seedingCode(shapeOf(dim, m).dp, m);
    },
    seed(args) {
      checkSeedingArgs(args);
      const { points, n, dim, centers, m, rows, closest } = args;
      const { dp, kv } = shapeOf(dim, m);
      const code = w.code(dp, kv);
      const count = rowCount(args);
      const kp = kv * 4;
      const potentials = new Float64Array(m);
      const pend = w.points(points, n, dim, dp);
      if (!rows && n >= BLOCKED_FROM) return blockedSeed(w, args, dp, pend);
      const [ct, cn, cend] = w.centres(centers, m, dim, dp, kv, pend);
      const closestAt = cend;
      const accAt = align(closestAt + n * 4);
      const rowsAt = align(accAt + 2 * kp * 8);
      const chunk = Math.max(1, Math.min(CHUNK, count));
      const outAt = align(rowsAt + chunk * 4);
      const buf = w.reserve(align(outAt + count * kp * 4));
      new Float32Array(buf, closestAt, n).set(closest.subarray(0, n));
      const acc = new Float64Array(buf, accAt, 2 * kp);
      acc.fill(0);
      const rowView = new Int32Array(buf, rowsAt, chunk);
      for (let start = 0; start < count; start += chunk) {
        const size = Math.min(chunk, count - start);
        if (rows) rowView.set(rows.subarray(start, start + size));
        const outBase = outAt + start * kp * 4;
        code.run('pot', size, (first, cnt, half) => [rows ? rowsAt + 4 * first : 0, start + first, cnt, POINTS_AT, ct, cn, outBase + first * kp * 4, w.xnAt, closestAt, accAt + half * kp * 8]);
      }
      for (let t = 0; t < m; t++) potentials[t] = acc[t] + acc[kp + t];
      const block = new Float32Array(buf, outAt, count * kp);
      return { potentials, column: (t) => blockColumn(block, count, kp, t) };
    },
  };
}

/** Below this many points a seeding step over every point stays on the row kernel (the block copy would not pay). */
const BLOCKED_FROM = 256;

/** The seeding step over every point on the points-in-lanes kernel (seeding-wasm-module.ts), both threads. */
function blockedSeed(w: WasmDistance, args: SeedingArgs, dp: number, pend: number): SeedingResult {
  const { n, dim, centers, m, closest } = args;
  const blocks = Math.ceil(n / 4);
  const [xt, xn, bend] = w.pointBlocks(n, dp, pend);
  const cAt = bend;
  const cnAt = align(cAt + m * dp * 4);
  const closestAt = align(cnAt + m * 4);
  const colBytes = blocks * 16;
  const outAt = align(closestAt + colBytes);
  const accAt = align(outAt + m * colBytes);
  const nextAt = align(accAt + 2 * 4 * m * 8);
  const buf = w.reserve(nextAt + 64);
  const c = new Float32Array(buf, cAt, m * dp);
  c.fill(0);
  for (let t = 0; t < m; t++) for (let d = 0; d < dim; d++) c[t * dp + d] = -2 * centers[t * dim + d];
  new Float32Array(buf, cnAt, m).set(rowNorms(centers, m, dim));
  const cl = new Float32Array(buf, closestAt, blocks * 4);
  cl.set(closest.subarray(0, n));
  cl.fill(0, n);
  const acc = new Float64Array(buf, accAt, 2 * 4 * m);
  acc.fill(0);
  // each thread starts on its own half of the blocks, then takes what the other has not reached
  w.seedingCode(dp, m).runOwnHalfFirst('pot4', blocks, nextAt, (own, other, half) => [...own, ...other, xt, cAt, cnAt, xn, closestAt, outAt, colBytes, accAt + half * 4 * m * 8], 1024);
  const potentials = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    let s = 0;
    for (let l = 0; l < 4; l++) s += acc[4 * t + l] + acc[4 * m + 4 * t + l];
    potentials[t] = s;
  }
  const out = new Float32Array(buf, outAt, m * blocks * 4);
  // a view, not a copy: the contract allows it (valid until the next call), and k-means++ reads it at once
  return { potentials, column: (t) => out.subarray(t * blocks * 4, t * blocks * 4 + n) };
}
