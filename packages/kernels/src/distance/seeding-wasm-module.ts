/**
 * WebAssembly SIMD code of the k-means++ seeding step over every point
 * (seeding.ts), with the points in the lanes: four points share one vector,
 * so one candidate coordinate, loaded once as a splat, is multiplied into
 * four points at a time and no per-point horizontal sum is needed. The
 * centres-in-lanes `pot` of wasm-simd-module.ts (which also serves gathered
 * rows) splats every coordinate of every point and leaves two of its eight
 * lanes idle at scikit-learn's 2 + ln k = 6 candidates; this form keeps every
 * lane busy. One thread, 34,464 × 64 points, 6 candidates: 55-60 ns a point
 * against 170-182 ns for `pot` (tools/bench/clusterer/seeding-step.mjs).
 *
 * Generated for `dp` columns (dim padded to a multiple of 4) and `m`
 * candidates. Layout (byte offsets into the shared memory, all float32):
 *
 *   xt       the points in blocks of four: block b holds x_{4b+l}[d] at
 *            xt + b·16·dp + 16·d + 4·l (padding points are 0)
 *   c        m rows of dp floats: −2·c_t (so a product adds −2x·c)
 *   cn       m floats ‖c_t‖²
 *   xn       ‖x‖² of each point (padding points 0)
 *   closest  D(x) of each point (padding points 0: they add nothing)
 *   out      m columns of `colBytes` bytes: out[t][r] = max(0, ‖x_r − c_t‖²)
 *   acc      4·m float64: lanes l of candidate t at acc + 32t + 8l, summed
 *            by the caller: Σ_r min(D(x_r), ‖x_r − c_t‖²)
 *
 * Export: pot4(next, blocks, next2, blocks2, xt, c, cn, xn, closest, out, colBytes, acc).
 * The blocks up to `blocks` are taken CHUNK at a time from the int32 counter
 * at `next` (atomic add), then those up to `blocks2` from the counter at
 * `next2`: each thread runs its own range first (a thread keeps to the same
 * points every step, wasm-simd.ts), then takes what is left of the other's,
 * so a thread the OS started late (a timeslice, ~6 ms on this VM, against
 * ~1 ms of work) no longer holds the step up.
 */
import { I32, V128, moduleBytes, op, type WasmFunction } from './wasm-asm.js';

/** Blocks of four points a thread takes from the shared counter at a time. */
export const SEEDING_CHUNK = 16;
/** Candidates per pass over a block's columns: accumulators the registers hold. */
const GROUP = 6;

export function seedingWasmBytes(dp: number, m: number): Uint8Array {
  if (dp % 4 !== 0 || dp < 4) throw new RangeError(`dp must be a positive multiple of 4 (got ${dp})`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`m must be a positive integer (got ${m})`);
  const [next, blocks, next2, blocks2, xt, c, cn, xn, closest, out, colBytes, acc] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [b, bEnd, xp, xq, cq, stolen] = [12, 13, 14, 15, 16, 17];
  const [x, dv, w, xn4, cl4] = [18, 19, 20, 21, 22];
  const accs = Array.from({ length: GROUP }, (_, i) => 23 + i);
  const groups: number[][] = [];
  const nGroups = Math.ceil(m / GROUP);
  const per = Math.ceil(m / nGroups);
  for (let t = 0; t < m; t += per) groups.push(Array.from({ length: Math.min(per, m - t) }, (_, i) => t + i));
  const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];

  /**
   * acc_t += x[d] · (−2c_t[d]) for one column d, x read at xq, the c rows at cq. One column a loop pass: TurboFan
   * unrolls it itself, while a body unrolled here over every column has its 64·m load addresses hoisted out of
   * the block loop and spilled (2-3x slower, seen in --print-wasm-code).
   */
  const column = (group: number[]): number[] => {
    const body: number[] = [...op.get(xq), ...op.v128load(), ...op.set(x)];
    group.forEach((t, i) => {
      body.push(...op.get(accs[i]), ...op.get(x), ...op.get(cq), ...op.v128load32splat(4 * t * dp), ...op.f32x4mul, ...op.f32x4add, ...op.set(accs[i]));
    });
    return body;
  };

  const perGroup = (group: number[]): number[] => {
    const body: number[] = [];
    group.forEach((_, i) => body.push(...op.v128constF32(0, 0, 0, 0), ...op.set(accs[i])));
    body.push(
      ...op.get(xp), ...op.set(xq), ...op.get(c), ...op.set(cq),
      ...op.loop,
      ...column(group),
      ...op.get(cq), ...op.i32(4), ...op.i32add, ...op.set(cq),
      ...op.get(xq), ...op.i32(16), ...op.i32add, ...op.tee(xq),
      ...op.get(xp), ...op.i32(16 * dp), ...op.i32add, ...op.i32ltU, ...op.brIf(0),
      ...op.end,
    );
    group.forEach((t, i) => {
      body.push(
        // d = max(0, −2x·c + ‖c‖² + ‖x‖²), stored; w = min(d, D(x)) into the float64 sums
        ...op.get(accs[i]), ...op.get(cn), ...op.v128load32splat(4 * t), ...op.f32x4add, ...op.get(xn4), ...op.f32x4add,
        ...op.v128constF32(0, 0, 0, 0), ...op.f32x4pmax, ...op.set(dv),
        ...op.get(out), ...op.get(colBytes), ...op.i32(t), ...op.i32mul, ...op.i32add, ...op.get(b), ...op.i32(16), ...op.i32mul, ...op.i32add,
        ...op.get(dv), ...op.v128store(),
        ...op.get(dv), ...op.get(cl4), ...op.f32x4pmin, ...op.set(w),
        ...op.get(acc), ...op.get(acc), ...op.v128load(32 * t), ...op.get(w), ...op.f64x2promoteLowF32x4, ...op.f64x2add, ...op.v128store(32 * t),
        ...op.get(acc), ...op.get(acc), ...op.v128load(32 * t + 16),
        ...op.get(w), ...op.get(w), ...op.i8x16shuffle(...HIGH_TO_LOW), ...op.f64x2promoteLowF32x4, ...op.f64x2add, ...op.v128store(32 * t + 16),
      );
    });
    return body;
  };

  const body: number[] = [
    // the own range from `next`, then what is left of the other thread's from `next2` (a late thread is helped)
    ...op.block, ...op.loop,
    ...op.block, ...op.loop,
    // b = atomic next += CHUNK; stop when past the last block
    ...op.get(next), ...op.i32(SEEDING_CHUNK), ...op.i32atomicAdd(), ...op.tee(b),
    ...op.get(blocks), ...op.i32geU, ...op.brIf(1),
    ...op.get(b), ...op.i32(SEEDING_CHUNK), ...op.i32add, ...op.tee(bEnd),
    ...op.get(blocks), ...op.get(bEnd), ...op.get(blocks), ...op.i32ltU, ...op.selectOp, ...op.set(bEnd),
    ...op.loop,
    ...op.get(xt), ...op.get(b), ...op.i32(16 * dp), ...op.i32mul, ...op.i32add, ...op.set(xp),
    ...op.get(xn), ...op.get(b), ...op.i32(16), ...op.i32mul, ...op.i32add, ...op.v128load(), ...op.set(xn4),
    ...op.get(closest), ...op.get(b), ...op.i32(16), ...op.i32mul, ...op.i32add, ...op.v128load(), ...op.set(cl4),
    ...groups.flatMap(perGroup),
    ...op.get(b), ...op.i32(1), ...op.i32add, ...op.tee(b), ...op.get(bEnd), ...op.i32ltU, ...op.brIf(0),
    ...op.end,
    ...op.br(0),
    ...op.end, ...op.end,
    ...op.get(stolen), ...op.brIf(1),
    ...op.i32(1), ...op.set(stolen),
    ...op.get(next2), ...op.set(next), ...op.get(blocks2), ...op.set(blocks),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  const fn: WasmFunction = {
    name: 'pot4',
    params: new Array(12).fill(I32),
    locals: [I32, I32, I32, I32, I32, I32, ...new Array(5 + GROUP).fill(V128)],
    body,
  };
  return moduleBytes([fn], { sharedMemory: true });
}
