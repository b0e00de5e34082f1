/**
 * The WebAssembly SIMD code of the distance kernels, generated for one shape:
 * `dp` columns (the dimension padded to a multiple of 4) and `kv` vectors of
 * 4 centres (k padded to a multiple of 4). Layout in memory, all float32:
 *
 *   points  row-major, `dp` floats per row (padding columns are 0)
 *   ct      the centres transposed and scaled: ct[d·4kv + j] = −2·c_j[d]
 *   cn      ‖c_j‖², 4kv floats; padding centres get +∞, so they never win
 *
 * For a point x the kernel forms s_j = ‖c_j‖² − 2x·c_j for 16 centres at a
 * time (four f32x4 accumulators, each x[d] splatted once and multiplied into
 * all four), so ‖x − c_j‖² = s_j + ‖x‖², which the caller adds. Exports:
 *
 *   scan(rows, first, count, xBase, ct, cn, lab, best, sec)
 *     for t < count, row = rows ? rows[t] : first + t: lab[t] = argmin_j s_j
 *     (lowest j on exact ties, as the reference), best[t] = min s_j,
 *     sec[t] = the second smallest s_j (+∞ when k = 1)
 *   dmat(rows, first, count, xBase, ct, cn, out)
 *     out[t·4kv + j] = s_j (the caller reads the first m of each row)
 *   pot(rows, first, count, xBase, ct, cn, out, xn, closest, acc)
 *     one greedy k-means++ step fused: with r the row and
 *     d_j = max(0, s_j + xn[r]), out[t·4kv + j] = d_j and, in float64,
 *     acc[j] += min(d_j, closest[r]) (the candidates' potentials over the
 *     rows; the caller zeroes acc, one per thread)
 *   elk(rows, first, count, xBase, ct, cn, lab, ub, L, drift, lo, M, eps, xn)
 *     scan's pass for an Elkan session (elkan.ts), at the point's row r:
 *     lab[r], ub[r] = √(best + xn[r] + eps), lo[r] = √(second + xn[r] − eps)
 *     + M, and every bound of the row, L[r·4kv + j] = √(s_j + xn[r] − eps)
 *     + drift[j] (eps covers the float32 error of this form: bounds stay bounds)
 *
 * Per-lane running minima (strict <, so the lowest index wins within a lane)
 * are merged across the four lanes at the end of a point.
 */
import { F32, I32, V128, moduleBytes, op, type WasmFunction } from './wasm-asm.js';

/**
 * Columns of the d-loop body: two (one for each accumulator set; dp is a multiple of 4). A body unrolled over the whole row, as this
 * module had up to 128 floats, lets TurboFan hoist every load address out of the loop over centre blocks and
 * spill them: 2.6x slower on 64-d points (tools/bench/clusterer/seeding-step.mjs: 202 against 78 ns a point
 * for `pot`, one thread), seen as hundreds of stack reloads in node --print-wasm-code.
 */
const COLUMNS_PER_PASS = 2;

export function distanceWasmBytes(dp: number, kv: number): Uint8Array {
  if (dp % 4 !== 0 || dp < 4) throw new RangeError(`dp must be a positive multiple of 4 (got ${dp})`);
  if (kv < 1) throw new RangeError(`kv must be ≥ 1 (got ${kv})`);
  const rowBytes = kv * 16; // one transposed ct row: 4kv floats
  const pointBytes = dp * 4;
  const C = COLUMNS_PER_PASS;
  const fullBlocks = Math.floor(kv / 4);
  const tail = kv % 4;

  // Shared parameter layout: 0 rows, 1 first, 2 count, 3 xBase, 4 ct, 5 cn, then 6.. function-specific.
  const [rows, first, count, xBase, ct, cn] = [0, 1, 2, 3, 4, 5];

  /** Locals common to both functions, numbered from `base`. */
  const common = (base: number) => {
    const i32s = ['t', 'xp', 'xend', 'xq', 'cq', 'cp', 'np', 'blk', 'row'] as const;
    const idx: Record<string, number> = {};
    i32s.forEach((name, i) => (idx[name] = base + i));
    return { idx, types: i32s.map(() => I32) };
  };

  /**
   * acc_0..acc_{T-1} = cn-row + Σ_d x[d]·ct[d, block]; leaves cp/np advanced past the block. Even and odd
   * columns go to separate accumulators (`accs2`), summed at the end: two dependency chains per vector
   * instead of one, so the adds' latency does not bound the loop.
   */
  const blockDots = (T: number, L: Record<string, number>, accs: number[], accs2: number[], xs: number): number[] => {
    const body: number[] = [];
    for (let i = 0; i < T; i++) body.push(...op.get(L.np), ...op.v128load(16 * i), ...op.set(accs[i]), ...op.v128constF32(0, 0, 0, 0), ...op.set(accs2[i]));
    body.push(...op.get(L.xp), ...op.set(L.xq), ...op.get(L.cp), ...op.set(L.cq));
    body.push(...op.loop);
    for (let u = 0; u < C; u++) {
      const acc = u % 2 === 0 ? accs : accs2;
      body.push(...op.get(L.xq), ...op.v128load32splat(4 * u), ...op.set(xs));
      for (let i = 0; i < T; i++) {
        body.push(
          ...op.get(acc[i]),
          ...op.get(xs), ...op.get(L.cq), ...op.v128load(u * rowBytes + 16 * i), ...op.f32x4mul,
          ...op.f32x4add, ...op.set(acc[i]),
        );
      }
    }
    body.push(
      ...op.get(L.cq), ...op.i32(C * rowBytes), ...op.i32add, ...op.set(L.cq),
      ...op.get(L.xq), ...op.i32(4 * C), ...op.i32add, ...op.tee(L.xq),
      ...op.get(L.xend), ...op.i32ne, ...op.brIf(0),
      ...op.end,
    );
    for (let i = 0; i < T; i++) body.push(...op.get(accs[i]), ...op.get(accs2[i]), ...op.f32x4add, ...op.set(accs[i]));
    return body;
  };

  /** The row loop around `perPoint`: sets xp/xend for each point, then runs `perPoint`. */
  const rowLoop = (L: Record<string, number>, perPoint: number[]): number[] => [
    ...op.i32(0), ...op.set(L.t),
    ...op.block,
    ...op.loop,
    ...op.get(L.t), ...op.get(count), ...op.i32ltU, ...op.i32eqz, ...op.brIf(1),
    // xp = xBase + (rows ? rows[t] : first + t) * pointBytes
    ...op.get(xBase),
    ...op.get(rows),
    ...op.ifI32, ...op.get(rows), ...op.get(L.t), ...op.i32(4), ...op.i32mul, ...op.i32add, ...op.i32load(),
    ...op.else, ...op.get(first), ...op.get(L.t), ...op.i32add,
    ...op.end,
    ...op.tee(L.row),
    ...op.i32(pointBytes), ...op.i32mul, ...op.i32add, ...op.tee(L.xp),
    ...op.i32(pointBytes), ...op.i32add, ...op.set(L.xend),
    ...op.get(ct), ...op.set(L.cp), ...op.get(cn), ...op.set(L.np),
    ...perPoint,
    ...op.get(L.t), ...op.i32(1), ...op.i32add, ...op.set(L.t),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];

  /** Runs `each(T)` for every full block of 4 vectors (a loop) and the tail block; advances cp/np. */
  const overBlocks = (L: Record<string, number>, each: (T: number) => number[]): number[] => {
    const out: number[] = [];
    const advance = (T: number) => [
      ...op.get(L.cp), ...op.i32(16 * T), ...op.i32add, ...op.set(L.cp),
      ...op.get(L.np), ...op.i32(16 * T), ...op.i32add, ...op.set(L.np),
    ];
    if (fullBlocks > 0) {
      out.push(
        ...op.i32(0), ...op.set(L.blk),
        ...op.loop,
        ...each(4), ...advance(4),
        ...op.get(L.blk), ...op.i32(1), ...op.i32add, ...op.tee(L.blk), ...op.i32(fullBlocks), ...op.i32ltU, ...op.brIf(0),
        ...op.end,
      );
    }
    if (tail > 0) out.push(...each(tail), ...advance(tail));
    return out;
  };

  // ---- scan, and elk: the same pass writing an Elkan session's bounds (elkan.ts)
  const scan = (elkan: boolean): WasmFunction => {
    // scan: lab, best, sec at index t; elk: lab, ub, L rows, drift, lo, M, eps, xn at the point's row
    const [lab, best, sec] = [6, 7, 8];
    const [ub, Lb, drift, lo, M, eps, xn] = [7, 8, 9, 10, 11, 12, 13];
    const first = elkan ? 14 : 9;
    const { idx: L, types } = common(first);
    let next = first + types.length;
    const a = next++;
    const il = next++;
    const [b, s, bl] = [next++, next++, next++];
    const accs = [next++, next++, next++, next++];
    const accs2 = [next++, next++, next++, next++];
    const [xs, bestv, secv, idxv, jv, m] = [next++, next++, next++, next++, next++, next++];
    const [lp, dq, xnf, xnv, epsv] = [next++, next++, next++, next++, next++];
    const locals = [...types, I32, I32, F32, F32, F32, ...new Array(14).fill(V128), ...(elkan ? [I32, I32, F32, V128, V128] : [])];
    const update = (acc: number) => [
      ...op.get(acc), ...op.get(bestv), ...op.f32x4lt, ...op.set(m),
      ...op.get(secv), ...op.get(acc), ...op.get(bestv), ...op.f32x4pmax, ...op.f32x4pmin, ...op.set(secv),
      ...op.get(acc), ...op.get(bestv), ...op.get(m), ...op.v128bitselect, ...op.set(bestv),
      ...op.get(jv), ...op.get(idxv), ...op.get(m), ...op.v128bitselect, ...op.set(idxv),
      ...op.get(jv), ...op.v128constI32(4, 4, 4, 4), ...op.i32x4add, ...op.set(jv),
    ];
    const reduce: number[] = [
      ...op.get(bestv), ...op.f32x4extract(0), ...op.set(b),
      ...op.get(idxv), ...op.i32x4extract(0), ...op.set(a),
      ...op.get(secv), ...op.f32x4extract(0), ...op.set(s),
    ];
    for (let l = 1; l < 4; l++) {
      reduce.push(
        ...op.get(bestv), ...op.f32x4extract(l), ...op.set(bl),
        ...op.get(idxv), ...op.i32x4extract(l), ...op.set(il),
        // bl < b || (bl == b && il < a)
        ...op.get(bl), ...op.get(b), ...op.f32lt,
        ...op.get(bl), ...op.get(b), ...op.f32eq, ...op.get(il), ...op.get(a), ...op.i32ltS, ...op.i32and,
        ...op.i32or,
        ...op.if,
        ...op.get(s), ...op.get(b), ...op.f32min, ...op.set(s),
        ...op.get(bl), ...op.set(b), ...op.get(il), ...op.set(a),
        ...op.else,
        ...op.get(s), ...op.get(bl), ...op.f32min, ...op.set(s),
        ...op.end,
        ...op.get(s), ...op.get(secv), ...op.f32x4extract(l), ...op.f32min, ...op.set(s),
      );
    }
    /** elk: the T distances of this block as Elkan lower bounds (less the float error, plus drift) into the L row. */
    const bounds = (T: number) => [
      ...accs.slice(0, T).flatMap((acc, i) => [
        ...op.get(lp),
        ...op.get(acc), ...op.get(xnv), ...op.f32x4add, ...op.get(epsv), ...op.f32x4sub, ...op.v128constF32(0, 0, 0, 0), ...op.f32x4pmax, ...op.f32x4sqrt,
        ...op.get(dq), ...op.v128load(16 * i), ...op.f32x4add,
        ...op.v128store(16 * i),
      ]),
      ...op.get(lp), ...op.i32(16 * T), ...op.i32add, ...op.set(lp),
      ...op.get(dq), ...op.i32(16 * T), ...op.i32add, ...op.set(dq),
    ];
    const at = (base: number, index: number) => [...op.get(base), ...op.get(index), ...op.i32(4), ...op.i32mul, ...op.i32add];
    const perPoint: number[] = [
      ...op.v128constF32(Infinity, Infinity, Infinity, Infinity), ...op.set(bestv),
      ...op.v128constF32(Infinity, Infinity, Infinity, Infinity), ...op.set(secv),
      ...op.v128constI32(0, 0, 0, 0), ...op.set(idxv),
      ...op.v128constI32(0, 1, 2, 3), ...op.set(jv),
      ...(elkan
        ? [
            ...op.get(Lb), ...op.get(L.row), ...op.i32(rowBytes), ...op.i32mul, ...op.i32add, ...op.set(lp),
            ...op.get(drift), ...op.set(dq),
            ...at(xn, L.row), ...op.f32load(), ...op.tee(xnf), ...op.f32x4splat, ...op.set(xnv),
            ...op.get(eps), ...op.f32x4splat, ...op.set(epsv),
          ]
        : []),
      ...overBlocks(L, (T) => [...blockDots(T, L, accs, accs2, xs), ...(elkan ? bounds(T) : []), ...accs.slice(0, T).flatMap(update)]),
      ...reduce,
      ...(elkan
        ? [
            // lab = a; ub = √(b + ‖x‖² + eps) ≥ the distance; lo = √(s + ‖x‖² − eps) + M ≤ every other distance (+ M)
            ...at(lab, L.row), ...op.get(a), ...op.i32store(),
            ...at(ub, L.row), ...op.get(b), ...op.get(xnf), ...op.f32add, ...op.get(eps), ...op.f32add, ...op.f32sqrt, ...op.f32store(),
            ...at(lo, L.row), ...op.get(s), ...op.get(xnf), ...op.f32add, ...op.get(eps), ...op.f32sub, ...op.f32(0), ...op.f32max, ...op.f32sqrt, ...op.get(M), ...op.f32add, ...op.f32store(),
          ]
        : [
            // lab[t] = a; best[t] = b; sec[t] = s
            ...at(lab, L.t), ...op.get(a), ...op.i32store(),
            ...at(best, L.t), ...op.get(b), ...op.f32store(),
            ...at(sec, L.t), ...op.get(s), ...op.f32store(),
          ]),
    ];
    const params = elkan ? [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, I32] : [I32, I32, I32, I32, I32, I32, I32, I32, I32];
    return { name: elkan ? 'elk' : 'scan', params, locals, body: rowLoop(L, perPoint) };
  };

  // ---- dmat
  const dmat = (): WasmFunction => {
    const out = 6;
    const { idx: L, types } = common(7);
    let next = 7 + types.length;
    const op_ = next++;
    const accs = [next++, next++, next++, next++];
    const accs2 = [next++, next++, next++, next++];
    const xs = next++;
    const locals = [...types, I32, ...new Array(9).fill(V128)];
    const store = (T: number) => [
      ...accs.slice(0, T).flatMap((acc, i) => [...op.get(op_), ...op.get(acc), ...op.v128store(16 * i)]),
      ...op.get(op_), ...op.i32(16 * T), ...op.i32add, ...op.set(op_),
    ];
    const perPoint: number[] = [
      // op = out + t * rowBytes
      ...op.get(out), ...op.get(L.t), ...op.i32(rowBytes), ...op.i32mul, ...op.i32add, ...op.set(op_),
      ...overBlocks(L, (T) => [...blockDots(T, L, accs, accs2, xs), ...store(T)]),
    ];
    return { name: 'dmat', params: [I32, I32, I32, I32, I32, I32, I32], locals, body: rowLoop(L, perPoint) };
  };

  // ---- pot
  const pot = (): WasmFunction => {
    const [out, xn, closest, acc] = [6, 7, 8, 9];
    const { idx: L, types } = common(10);
    let next = 10 + types.length;
    const [op_, ap] = [next++, next++];
    const accs = [next++, next++, next++, next++];
    const accs2 = [next++, next++, next++, next++];
    const [xs, xnv, clv, w] = [next++, next++, next++, next++];
    const locals = [...types, I32, I32, ...new Array(12).fill(V128)];
    const HIGH_TO_LOW = [8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7];
    const addF64 = (offset: number) => [
      ...op.get(ap), ...op.get(ap), ...op.v128load(offset), ...op.get(w), ...op.f64x2promoteLowF32x4, ...op.f64x2add, ...op.v128store(offset),
      ...op.get(ap), ...op.get(ap), ...op.v128load(offset + 16),
      ...op.get(w), ...op.get(w), ...op.i8x16shuffle(...HIGH_TO_LOW), ...op.f64x2promoteLowF32x4, ...op.f64x2add, ...op.v128store(offset + 16),
    ];
    const store = (T: number) => [
      ...accs.slice(0, T).flatMap((a, i) => [
        // d = max(0, s + ‖x‖²), kept for the caller; w = min(d, D(x)) into the float64 sums
        ...op.get(a), ...op.get(xnv), ...op.f32x4add, ...op.v128constF32(0, 0, 0, 0), ...op.f32x4pmax, ...op.set(a),
        ...op.get(op_), ...op.get(a), ...op.v128store(16 * i),
        ...op.get(a), ...op.get(clv), ...op.f32x4pmin, ...op.set(w),
        ...addF64(32 * i),
      ]),
      ...op.get(op_), ...op.i32(16 * T), ...op.i32add, ...op.set(op_),
      ...op.get(ap), ...op.i32(32 * T), ...op.i32add, ...op.set(ap),
    ];
    const perPoint: number[] = [
      ...op.get(out), ...op.get(L.t), ...op.i32(rowBytes), ...op.i32mul, ...op.i32add, ...op.set(op_),
      ...op.get(acc), ...op.set(ap),
      ...op.get(xn), ...op.get(L.row), ...op.i32(4), ...op.i32mul, ...op.i32add, ...op.f32load(), ...op.f32x4splat, ...op.set(xnv),
      ...op.get(closest), ...op.get(L.row), ...op.i32(4), ...op.i32mul, ...op.i32add, ...op.f32load(), ...op.f32x4splat, ...op.set(clv),
      ...overBlocks(L, (T) => [...blockDots(T, L, accs, accs2, xs), ...store(T)]),
    ];
    return { name: 'pot', params: new Array(10).fill(I32), locals, body: rowLoop(L, perPoint) };
  };

  return moduleBytes([scan(false), dmat(), pot(), scan(true)], { sharedMemory: true });
}
