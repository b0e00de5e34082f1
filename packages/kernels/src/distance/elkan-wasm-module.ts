/**
 * WebAssembly SIMD code of the Elkan assignment step (see elkan.ts), generated
 * for `dp` columns (dim padded to a multiple of 4) and `kp` = 4·kv centres.
 * All float32; byte offsets into the imported (shared) memory:
 *
 *   points  n rows of dp floats        centres  kp rows of dp floats (c_j)
 *   lab     n int32 labels             ub       n upper bounds u_i ≥ ‖x_i − c_lab‖, stored
 *                                      as −u_i when u_i is the exact distance
 *   L       n rows of kp floats: L_ij = (a lower bound of ‖x_i − c_j‖) + drift_j
 *           at the time it was set, so the bound today is L_ij − drift_j and
 *           centre moves cost no write to L (+∞ for padding centres)
 *   drift   kp floats: Σ of each centre's moves so far (shift vector summed)
 *   half    kp floats: ½ min_{j'≠j} ‖c_j − c_j'‖ (shrunk by the caller)
 *   hcc     kp × kp floats: ½‖c_a − c_j‖ (shrunk), +∞ on the diagonal and padding
 *   shift   kp floats: each centre's move since the last step (grown by the caller)
 *
 * Exports (step takes its points CHUNK at a time from two int32 counters,
 * which the caller sets: each thread first the points [next, n) of its own
 * half, then what is left of the other's, [next2, n2); the first, exact pass
 * is the distance module's `elk`, wasm-simd-module.ts):
 *   step(next, n, xBase, cBase, lab, ub, L, drift, half, hcc, shift, R, E, cnt, lo, M, list, next2, n2, chg, chgN)
 *                                   Elkan (2003) with the tests made safe for
 *                                   float error: a centre j is looked at only
 *                                   if u·R + E + drift_j > L_ij and
 *                                   u·R + E > hcc[a, j] (R ≥ 1, E ≥ 0 given by
 *                                   the caller); `cnt` (int32) += distances computed;
 *                                   the points whose centre changed are listed
 *                                   at `chg` (int32), their number stored at `chgN`.
 *                                   Before the row of n·k bounds is read, Hamerly's
 *                                   (2010) test on one bound per point skips it:
 *                                   lo_i = min_{j≠a} (L_ij − drift_j) + M at the
 *                                   last scan, M = Σ of the largest shift of each
 *                                   step (no centre's drift grew by more), so the
 *                                   point keeps its centre if u·R + E + M ≤ lo_i,
 *                                   tested with u loose, then with u exact.
 *                                   A point that fails it takes two passes. The
 *                                   first tests the bounds of its row against u
 *                                   exact, 16 centres a mask (four compares
 *                                   narrowed to bytes, one bitmask), and appends
 *                                   the centres that pass to `list` (a thread's
 *                                   kp + 4 int32 scratch) by a count-trailing-
 *                                   zeros loop over each 64-centre word. The
 *                                   second applies the centre-gap test to the
 *                                   listed ones (a centre it rules out gets the
 *                                   bound ‖c_a − c_j‖ − u instead, so that it is
 *                                   not listed again next step) and computes the
 *                                   distances of the rest, the nearest two kept
 *                                   by selects. Near convergence most rows list
 *                                   no centre or one; in Elkan's loop, one
 *                                   hard-to-predict branch per centre cost more.
 *   gaps(cBase, hcc, stale, half, k, f, e)
 *                                   Elkan's centre gaps for the pairs with a
 *                                   moved centre, and half, in one call.
 * Distances are ‖x − c‖ by (x − c)², 4 lanes.
 */
import { F32, I32, I64, V128, moduleBytes, op, type WasmFunction } from './wasm-asm.js';

/** Points a thread takes from a counter at a time (`next`, then `next2`, of step). */
export const ELKAN_CHUNK = 64;

export function elkanWasmBytes(dp: number, kv: number): Uint8Array {
  if (dp % 4 !== 0 || dp < 4) throw new RangeError(`dp must be a positive multiple of 4 (got ${dp})`);
  if (kv < 1) throw new RangeError(`kv must be ≥ 1 (got ${kv})`);
  const DPB = dp * 4;
  const KP = kv * 4;
  const KPB = KP * 4;
  const nv = dp / 4;
  const at = (base: number[], index: number[], scale: number) => [...base, ...index, ...op.i32(scale), ...op.i32mul, ...op.i32add];
  /** End of a point-loop body: lab[i] = a, ub[i] = u, next i, close the loop and its block. */
  const pointDone = (lab: number, ub: number, i: number, a: number, u: number, exact?: number) => [
    ...at(op.get(lab), op.get(i), 4), ...op.get(a), ...op.i32store(),
    // ub = u, or −u when u is the exact distance (step)
    ...at(op.get(ub), op.get(i), 4), ...op.get(u), ...(exact === undefined ? [] : [...op.f32neg, ...op.get(u), ...op.get(exact), ...op.selectOp]), ...op.f32store(),
    ...op.get(i), ...op.i32(1), ...op.i32add, ...op.set(i),
    ...op.br(0),
    ...op.end, ...op.end,
  ];
  /**
   * Opens the point loop over chunks taken from the shared int32 counter at `next` (atomic add of CHUNK): sets
   * i and end for each chunk; both threads run the same call and share the points out, so neither waits on
   * the other when some points cost more (Beauty's items need more distances than its users).
   */
  const chunks = (next: number, n: number, i: number, end: number) => [
    ...op.block, ...op.loop,
    ...op.get(next), ...op.i32(ELKAN_CHUNK), ...op.i32atomicAdd(), ...op.tee(i),
    ...op.get(n), ...op.i32geU, ...op.brIf(1),
    ...op.get(i), ...op.i32(ELKAN_CHUNK), ...op.i32add, ...op.tee(end),
    ...op.get(n), ...op.get(end), ...op.get(n), ...op.i32ltU, ...op.selectOp, ...op.set(end),
  ];
  /** Closes the chunk loop opened by `chunks`. */
  const chunksDone = [...op.br(0), ...op.end, ...op.end];
  /** *cnt += the int32 `value` leaves on the stack (the distances this call computed). */
  const addToCounter = (cnt: number, value: number[]) => [...op.get(cnt), ...op.get(cnt), ...op.i32load(), ...value, ...op.i32add, ...op.i32store()];

  /**
   * ‖x − c‖ for the point row at local `xp` and the centre row whose address `cp` leaves on the stack, into
   * local `out`, with the caller's scratch locals (`q` i32, `acc` four v128, `dv` v128), emitted inline where it
   * is needed (a wasm call is not inlined here, and each call zeroes its locals).
   */
  const distInline = (xp: number, cp: number[], out: number, cpl: number, q: number, accs: number[], dv: number): number[] => {
    const body: number[] = [...cp, ...op.set(cpl), ...accs.flatMap((acc) => [...op.v128constF32(0, 0, 0, 0), ...op.set(acc)])];
    // four accumulators: the adds form four chains of nv/4, not one of nv (their latency bounds a lone distance)
    const sq = (acc: number, xoff: number[], coff: number[], offset: number) => [
      ...xoff, ...op.v128load(offset), ...coff, ...op.v128load(offset), ...op.f32x4sub, ...op.tee(dv),
      ...op.get(dv), ...op.f32x4mul, ...op.get(acc), ...op.f32x4add, ...op.set(acc),
    ];
    // A loop of four vectors a pass, not one straight run: unrolled, the compiler hoisted every load to the top
    // and spilled half of them to the stack
    const QUADS = Math.floor(nv / 4);
    const xq = [...op.get(xp), ...op.get(q), ...op.i32add];
    const cq = [...op.get(cpl), ...op.get(q), ...op.i32add];
    body.push(...op.i32(0), ...op.set(q));
    if (QUADS > 0) {
      body.push(...op.loop);
      for (let w = 0; w < 4; w++) body.push(...sq(accs[w], xq, cq, 16 * w));
      body.push(...op.get(q), ...op.i32(64), ...op.i32add, ...op.tee(q), ...op.i32(64 * QUADS), ...op.i32ltU, ...op.brIf(0), ...op.end);
    }
    for (let w = 0; w < nv % 4; w++) body.push(...sq(accs[w], xq, cq, 16 * w));
    const [a0, a1, a2, a3] = accs;
    body.push(
      ...op.get(a0), ...op.get(a1), ...op.f32x4add, ...op.get(a2), ...op.get(a3), ...op.f32x4add, ...op.f32x4add, ...op.tee(a0),
      ...op.f32x4extract(0), ...op.get(a0), ...op.f32x4extract(1), ...op.f32add,
      ...op.get(a0), ...op.f32x4extract(2), ...op.get(a0), ...op.f32x4extract(3), ...op.f32add,
      ...op.f32add, ...op.f32sqrt, ...op.set(out),
    );
    return body;
  };

  // ---- step(next, n, xBase, cBase, lab, ub, L, drift, half, hcc, shift, R, E, cnt, lo, M, list, next2, n2, chg, chgN)
  const step = (): WasmFunction => {
    const [next, n, xBase, cBase, lab, ub, L, drift, half, hcc, shift, R, E, cnt, lo, M, list, next2, n2, chg, chgN] = Array.from({ length: 21 }, (_, x) => x);
    const types: number[] = [];
    const local = (type: number): number => types.push(type) + 20;
    const [i, end, xp, lrow, a, v, hrow, tight, j, evals, lp, p, lt, cpl, q, stolen, gp, a0, nch] = Array.from({ length: 19 }, () => local(I32));
    const [u, uu, d, second, ownL] = Array.from({ length: 5 }, () => local(F32));
    const [mn, t, uuv, dv, ...accs] = Array.from({ length: 8 }, () => local(V128));
    const word = local(I64);
    const distTo = (cp: number[], out: number) => distInline(xp, cp, out, cpl, q, accs, dv);
    // (u > half[a]) & (u·R + E + M > lo[i]): the point may change centre
    const mayMove = [
      ...op.get(u), ...at(op.get(half), op.get(a), 4), ...op.f32load(), ...op.f32gt,
      ...op.get(u), ...op.get(R), ...op.f32mul, ...op.get(E), ...op.f32add, ...op.tee(uu),
      ...op.get(M), ...op.f32add, ...at(op.get(lo), op.get(i), 4), ...op.f32load(), ...op.f32gt,
      ...op.i32and,
    ];
    /**
     * The bound test L_ij − drift_j < u·R + E of the `count` (≤ 4) vectors of centres at byte gp of the row, as
     * a 16-bit mask: the four lane masks narrowed into one byte vector (lane order kept) and its sign bits.
     * Every bound also goes into the running min mn. Missing vectors (count < 4) read as ruled out.
     */
    const groupMask = (count: number): number[] => {
      const body: number[] = [];
      for (let w = 0; w < 4; w++) {
        if (w >= count) body.push(...op.v128constI32(0, 0, 0, 0));
        else {
          body.push(
            ...op.get(lrow), ...op.get(gp), ...op.i32add, ...op.v128load(16 * w), ...op.get(drift), ...op.get(gp), ...op.i32add, ...op.v128load(16 * w), ...op.f32x4sub, ...op.tee(t),
            ...op.get(mn), ...op.f32x4pmin, ...op.set(mn),
            ...op.get(t), ...op.get(uuv), ...op.f32x4lt,
          );
        }
        // (m0, m1) and (m2, m3) narrowed as they come: two int16 vectors on the stack, then one byte vector
        if (w % 2 === 1) body.push(...op.i16x8narrowI32x4s);
      }
      return [...body, ...op.i8x16narrowI16x8s, ...op.i8x16bitmask];
    };
    /** word |= the mask of the group at byte gp, shifted to its place in the word (byte v of the row: bit 0). */
    const groupIntoWord = (count: number): number[] => [
      ...groupMask(count), ...op.i64extendI32u,
      ...op.get(gp), ...op.get(v), ...op.i32sub, ...op.i32(2), ...op.i32shrU, ...op.i64extendI32u, ...op.i64shl,
      ...op.get(word), ...op.i64or, ...op.set(word),
    ];
    /**
     * The up to 16 vectors (64 centres) of the word at byte v of the row into the i64 `word`, a group of four
     * vectors a loop pass (unrolled, the compiler hoisted every load and spilled), then the index of each
     * centre that passed appended to the list: a ctz loop that runs once a candidate, near convergence mostly
     * zero or one times.
     */
    const wordPass = (vectors: number): number[] => {
      const groups = Math.floor(vectors / 4);
      const body: number[] = [...op.i64(0), ...op.set(word), ...op.get(v), ...op.set(gp)];
      if (groups > 0) {
        body.push(
          ...op.loop,
          ...groupIntoWord(4),
          ...op.get(gp), ...op.i32(64), ...op.i32add, ...op.tee(gp), ...op.get(v), ...op.i32(64 * groups), ...op.i32add, ...op.i32ltU, ...op.brIf(0),
          ...op.end,
        );
      }
      if (vectors % 4 > 0) body.push(...groupIntoWord(vectors % 4));
      body.push(
        ...op.block, ...op.loop,
        ...op.get(word), ...op.i64eqz, ...op.brIf(1),
        ...op.get(lp), ...op.get(v), ...op.i32(2), ...op.i32shrU, ...op.get(word), ...op.i64ctz, ...op.i32wrapI64, ...op.i32add, ...op.i32store(),
        ...op.get(lp), ...op.i32(4), ...op.i32add, ...op.set(lp),
        ...op.get(word), ...op.get(word), ...op.i64(1), ...op.i64sub, ...op.i64and, ...op.set(word),
        ...op.br(0),
        ...op.end, ...op.end,
      );
      return body;
    };
    const WORDS = Math.floor(kv / 16); // full words of 64 centres (16 vectors, 256 bytes of the row)
    const REST = kv % 16;
    const body: number[] = [
      ...op.i32(0), ...op.set(evals),
      // the own range from `next` up to n, then what is left of the other thread's from `next2` up to n2
      ...op.block, ...op.loop,
      ...chunks(next, n, i, end),
      ...op.block, ...op.loop,
      ...op.get(i), ...op.get(end), ...op.i32ltU, ...op.i32eqz, ...op.brIf(1),
      ...at(op.get(lab), op.get(i), 4), ...op.i32load(), ...op.tee(a), ...op.set(a0),
      // ub < 0: −(the exact distance) at the last step; still exact if the centre has not moved since (its
      // grown shift is then E exactly), so no distance is computed to tighten it
      ...at(op.get(ub), op.get(i), 4), ...op.f32load(), ...op.set(d),
      ...op.get(d), ...op.f32(0), ...op.f32lt,
      ...at(op.get(shift), op.get(a), 4), ...op.f32load(), ...op.get(E), ...op.f32eq,
      ...op.i32and, ...op.tee(tight),
      ...op.if,
      ...op.get(d), ...op.f32neg, ...op.set(u),
      ...op.else,
      ...op.get(d), ...op.f32abs, ...at(op.get(shift), op.get(a), 4), ...op.f32load(), ...op.f32add, ...op.set(u),
      ...op.end,
      ...mayMove,
      ...op.if,
      ...at(op.get(xBase), op.get(i), DPB), ...op.set(xp),
      ...at(op.get(L), op.get(i), KPB), ...op.set(lrow),
      // tighten u: the exact distance to the own centre (and its lower bound), then test again
      ...op.get(tight), ...op.i32eqz,
      ...op.if,
      ...distTo(at(op.get(cBase), op.get(a), DPB), u),
      ...op.get(evals), ...op.i32(1), ...op.i32add, ...op.set(evals),
      ...op.i32(1), ...op.set(tight),
      ...at(op.get(lrow), op.get(a), 4), ...op.get(u), ...at(op.get(drift), op.get(a), 4), ...op.f32load(), ...op.f32add, ...op.f32store(),
      ...op.end,
      ...mayMove,
      ...op.if,
      // Pass 1 over the row, with u exact: the centres whose bound is below u·R + E into the list (Elkan's
      // centre-gap test waits for pass 2: testing it on the few listed is cheaper than on every lane), the min
      // of all the bounds into mn (a candidate's too: below its distance, so lo stays a bound). The own
      // centre's bound reads +∞ meanwhile (no candidate, not in the min).
      ...at(op.get(hcc), op.get(a), KPB), ...op.set(hrow),
      ...op.get(uu), ...op.f32x4splat, ...op.set(uuv),
      ...at(op.get(lrow), op.get(a), 4), ...op.f32load(), ...op.set(ownL),
      ...at(op.get(lrow), op.get(a), 4), ...op.f32(Infinity), ...op.f32store(),
      ...op.v128constF32(Infinity, Infinity, Infinity, Infinity), ...op.set(mn),
      ...op.get(list), ...op.set(lp),
      ...op.i32(0), ...op.set(v),
      ...(WORDS > 0 ? [...op.loop, ...wordPass(16), ...op.get(v), ...op.i32(256), ...op.i32add, ...op.tee(v), ...op.i32(256 * WORDS), ...op.i32ltU, ...op.brIf(0), ...op.end] : []),
      ...(REST > 0 ? wordPass(REST) : []),
      ...at(op.get(lrow), op.get(a), 4), ...op.get(ownL), ...op.f32store(),
      // Pass 2, the listed centres: Elkan's centre-gap test first (½‖c_a − c_j‖ ≥ u·R + E rules j out, and its
      // bound is raised to ‖c_a − c_j‖ − u·R − E ≥ u·R + E, which the triangle inequality gives, so that j is
      // not listed again until its drift and u's growth eat the margin), else the distance, its bound, and the
      // nearest two of {own centre, listed} kept without a branch; the second nearest joins mn for lo (every j
      // but the new a is then in one of them)
      ...op.f32(Infinity), ...op.set(second),
      ...op.get(list), ...op.set(p),
      ...op.block, ...op.loop,
      ...op.get(p), ...op.get(lp), ...op.i32geU, ...op.brIf(1),
      ...op.get(p), ...op.i32load(), ...op.set(j),
      ...at(op.get(hrow), op.get(j), 4), ...op.f32load(), ...op.tee(d), ...op.get(uu), ...op.f32lt,
      ...op.if,
      ...distTo(at(op.get(cBase), op.get(j), DPB), d),
      ...op.get(evals), ...op.i32(1), ...op.i32add, ...op.set(evals),
      ...at(op.get(lrow), op.get(j), 4), ...op.get(d), ...at(op.get(drift), op.get(j), 4), ...op.f32load(), ...op.f32add, ...op.f32store(),
      ...op.get(d), ...op.get(u), ...op.f32lt, ...op.set(lt),
      ...op.get(u), ...op.get(second), ...op.get(d), ...op.f32min, ...op.get(lt), ...op.selectOp, ...op.set(second),
      ...op.get(j), ...op.get(a), ...op.get(lt), ...op.selectOp, ...op.set(a),
      ...op.get(d), ...op.get(u), ...op.get(lt), ...op.selectOp, ...op.set(u),
      ...op.else,
      ...at(op.get(lrow), op.get(j), 4), ...op.get(d), ...op.get(d), ...op.f32add, ...op.get(uu), ...op.f32sub, ...op.get(E), ...op.f32sub, ...at(op.get(drift), op.get(j), 4), ...op.f32load(), ...op.f32add, ...op.f32store(),
      ...op.end,
      ...op.get(p), ...op.i32(4), ...op.i32add, ...op.set(p),
      ...op.br(0),
      ...op.end, ...op.end,
      ...op.get(mn), ...op.f32x4extract(0), ...op.get(mn), ...op.f32x4extract(1), ...op.f32min,
      ...op.get(mn), ...op.f32x4extract(2), ...op.get(mn), ...op.f32x4extract(3), ...op.f32min,
      ...op.f32min, ...op.get(second), ...op.f32min,
      ...op.get(M), ...op.f32add, ...op.set(d),
      ...at(op.get(lo), op.get(i), 4), ...op.get(d), ...op.f32store(),
      ...op.end,
      ...op.end,
      // a point whose centre changed goes on this thread's list (the slot is written either way)
      ...at(op.get(chg), op.get(nch), 4), ...op.get(i), ...op.i32store(),
      ...op.get(nch), ...op.get(a), ...op.get(a0), ...op.i32ne, ...op.i32add, ...op.set(nch),
      ...pointDone(lab, ub, i, a, u, tight),
      ...chunksDone,
      ...op.get(stolen), ...op.brIf(1),
      ...op.i32(1), ...op.set(stolen),
      ...op.get(next2), ...op.set(next), ...op.get(n2), ...op.set(n),
      ...op.br(0),
      ...op.end, ...op.end,
      ...addToCounter(cnt, op.get(evals)),
      ...op.get(chgN), ...op.get(nch), ...op.i32store(),
    ];
    return {
      name: 'step',
      params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, I32, I32, F32, I32, I32, I32, I32, I32],
      locals: types,
      body,
    };
  };

  // ---- gaps(cBase, hcc, stale, half, k, f, e)
  /**
   * Elkan's centre gaps: hcc[a, b] = max(0, f·‖c_a − c_b‖ − e) for the pairs with a centre marked in the byte
   * array `stale` (the others keep theirs: near convergence most centres stand still), +∞ on the diagonal,
   * then half[a] = min_b hcc[a, b]. One call, where the same loop in JavaScript made a call a pair.
   */
  const gaps = (): WasmFunction => {
    const [cBase, hcc, stale, half, k, f, e] = [0, 1, 2, 3, 4, 5, 6];
    const [a, b, xp, cpl, q] = [7, 8, 9, 10, 11];
    const [d, m] = [12, 13];
    const [dv, ...accs] = [14, 15, 16, 17, 18];
    const cell = (r: number, c: number) => at(at(op.get(hcc), op.get(r), KPB), op.get(c), 4);
    /** for (idx = from; idx < k; idx++) body */
    const upToK = (idx: number, from: number[], body: number[]) => [
      ...from, ...op.set(idx),
      ...op.block, ...op.loop,
      ...op.get(idx), ...op.get(k), ...op.i32geU, ...op.brIf(1),
      ...body,
      ...op.get(idx), ...op.i32(1), ...op.i32add, ...op.set(idx),
      ...op.br(0),
      ...op.end, ...op.end,
    ];
    const body: number[] = [
      ...upToK(a, op.i32(0), [
        ...cell(a, a), ...op.f32(Infinity), ...op.f32store(),
        ...at(op.get(cBase), op.get(a), DPB), ...op.set(xp),
        ...upToK(b, [...op.get(a), ...op.i32(1), ...op.i32add], [
          ...op.get(stale), ...op.get(a), ...op.i32add, ...op.i32load8u(), ...op.get(stale), ...op.get(b), ...op.i32add, ...op.i32load8u(), ...op.i32or,
          ...op.if,
          ...distInline(xp, at(op.get(cBase), op.get(b), DPB), d, cpl, q, accs, dv),
          ...op.get(d), ...op.get(f), ...op.f32mul, ...op.get(e), ...op.f32sub, ...op.f32(0), ...op.f32max, ...op.set(d),
          ...cell(a, b), ...op.get(d), ...op.f32store(),
          ...cell(b, a), ...op.get(d), ...op.f32store(),
          ...op.end,
        ]),
      ]),
      // half[a] = min over the row
      ...upToK(a, op.i32(0), [
        ...op.f32(Infinity), ...op.set(m),
        ...upToK(b, op.i32(0), [...op.get(m), ...cell(a, b), ...op.f32load(), ...op.f32min, ...op.set(m)]),
        ...at(op.get(half), op.get(a), 4), ...op.get(m), ...op.f32store(),
      ]),
    ];
    return { name: 'gaps', params: [I32, I32, I32, I32, I32, F32, F32], locals: [I32, I32, I32, I32, I32, F32, F32, V128, V128, V128, V128, V128], body };
  };

  return moduleBytes([step(), gaps()], { sharedMemory: true });
}
