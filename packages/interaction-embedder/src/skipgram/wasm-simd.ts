/**
 * The skip-gram pair updates of one sentence as a tiny hand-assembled
 * WebAssembly module with 128-bit SIMD (4 float32 lanes), built from bytes
 * at run time: no compiler, no download, no binary file in the package.
 *
 * Exported `pairs(start, end, alpha, work, dimBytes, odelta, expTab)`; all
 * pointers are byte offsets into the imported shared memory. Records from
 * `start` to `end` are int32 `[l1, n, t_0 .. t_{n-1}]`: the byte offset of
 * the context word's input row, then of n output rows (t_0 the centre word,
 * the rest negatives). For each record, in order:
 *   work[0..dim) = 0
 *   for k in 0..n: f = dot(in[l1], out[t_k])
 *     if -6 < f < 6:                       // gensim: |f| ≥ MAX_EXP → no update
 *       s = expTab[int((f + 6) * (1000/12))]; g = ((k == 0 ? 1 : 0) - s) * alpha
 *       work += g * out[t_k];  out[t_k] += g * in[l1]
 *       f = s
 *     float at (address of t_k) + odelta = f   // for the caller's loss estimate
 *   in[l1] += work
 * which is the inner loop of word2vec's / gensim's `fast_sentence_sg_neg`.
 * Before a record's arithmetic the function loads one float per cache line
 * of every row of the *next* record: those independent loads overlap their
 * cache misses with the current work (WebAssembly has no prefetch
 * instruction). `dimBytes` must be a positive multiple of 16 (dim % 4 == 0);
 * the float after `work[dim)` receives the sum of the touched values.
 */

import { I32, F32, V128, uleb, section, str, op as shared } from '@meta-id/kernels/wasm-asm';
import { wasmApi, type WasmModule } from './wasm-api.js';

// The shared opcode table, with the memory accesses this loop uses fixed at offset 0 and 16-byte zero.
const op = {
  ...shared,
  i32load: shared.i32load(),
  f32load: shared.f32load(),
  f32store: shared.f32store(),
  i32ltu: shared.i32ltU,
  v128load: shared.v128load(),
  v128store: shared.v128store(),
  v128zero: shared.v128constI32(0, 0, 0, 0),
};

/** Bytes of the module described in the file comment. */
export function skipGramWasmBytes(): Uint8Array {
  // Params: 0 start, 1 end, 2 alpha (f32), 3 work, 4 dimBytes, 5 odelta, 6 expTab.
  const [start, end, alpha, work, dimBytes, odelta, expTab] = [0, 1, 2, 3, 4, 5, 6];
  // Locals: i32 p, tp, n, k, i, l1, l2, q, kk, nn; f32 f, g, tsum; v128 acc, gv.
  const [p, tp, n, k, i, l1, l2, q, kk, nn] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [f, g, tsum] = [17, 18, 19];
  const [acc, gv] = [20, 21];
  const load32 = (addr: number[]) => [...addr, ...op.i32load];
  const plus = (a: number[], b: number[]) => [...a, ...b, ...op.i32add];
  const lt = (a: number[], b: number[]) => [...a, ...b, ...op.i32ltu];
  // for (x = 0; x < limit; x += step) body — limit > 0 guaranteed by callers
  const forStep = (x: number, limit: number[], step: number, body: number[]) => [
    ...op.i32(0), ...op.set(x),
    ...op.loop,
    ...body,
    ...op.get(x), ...op.i32(step), ...op.i32add, ...op.tee(x), ...limit, ...op.i32ltu, ...op.brIf(0),
    ...op.end,
  ];
  // while (x < limit) { body; x++ } — limit may be 0
  const forCount = (x: number, limit: number[], body: number[]) => [
    ...op.i32(0), ...op.set(x),
    ...op.block,
    ...op.loop,
    ...op.get(x), ...limit, ...op.i32ltu, ...op.i32eqz, ...op.brIf(1),
    ...body,
    ...op.get(x), ...op.i32(1), ...op.i32add, ...op.set(x),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
  // tsum += one float from every 64-byte line of the row at byte offset `row`
  const touchRow = (row: number[]) => [
    ...row, ...op.set(l2),
    ...forStep(i, op.get(dimBytes), 64, [
      ...op.get(tsum), ...plus(op.get(l2), op.get(i)), ...op.f32load, ...op.f32add, ...op.set(tsum),
    ]),
  ];
  // Touch the rows of the record at byte offset `rec`.
  const touchRecord = (rec: number) => [
    ...touchRow(load32(op.get(rec))),
    ...load32(plus(op.get(rec), op.i32(4))), ...op.set(nn),
    ...forCount(kk, op.get(nn), touchRow(load32(plus(plus(op.get(rec), op.i32(8)), [...op.get(kk), ...op.i32(4), ...op.i32mul])))),
  ];
  const v128at = (base: number, off: number) => [...plus(op.get(base), op.get(off)), ...op.v128load];
  const body: number[] = [
    ...op.f32(0), ...op.set(tsum),
    ...op.get(start), ...op.set(p),
    ...lt(op.get(p), op.get(end)), ...op.if, ...touchRecord(p), ...op.end,
    ...op.block,
    ...op.loop,
    ...lt(op.get(p), op.get(end)), ...op.i32eqz, ...op.brIf(1),
    ...load32(op.get(p)), ...op.set(l1),
    ...load32(plus(op.get(p), op.i32(4))), ...op.set(n),
    ...plus(op.get(p), op.i32(8)), ...op.set(tp),
    ...plus(op.get(tp), [...op.get(n), ...op.i32(4), ...op.i32mul]), ...op.set(q),
    // Start the next pair's misses now; they overlap with this pair's arithmetic.
    ...lt(op.get(q), op.get(end)), ...op.if, ...touchRecord(q), ...op.end,
    // work = 0
    ...forStep(i, op.get(dimBytes), 16, [...plus(op.get(work), op.get(i)), ...op.v128zero, ...op.v128store]),
    ...forCount(k, op.get(n), [
      ...load32(plus(op.get(tp), [...op.get(k), ...op.i32(4), ...op.i32mul])), ...op.set(l2),
      ...op.v128zero, ...op.set(acc),
      ...forStep(i, op.get(dimBytes), 16, [
        ...op.get(acc), ...v128at(l1, i), ...v128at(l2, i), ...op.f32x4mul, ...op.f32x4add, ...op.set(acc),
      ]),
      // f = (a0 + a1) + (a2 + a3)
      ...op.get(acc), ...op.f32x4extract(0), ...op.get(acc), ...op.f32x4extract(1), ...op.f32add,
      ...op.get(acc), ...op.f32x4extract(2), ...op.get(acc), ...op.f32x4extract(3), ...op.f32add,
      ...op.f32add, ...op.set(f),
      ...op.get(f), ...op.f32(-6), ...op.f32gt, ...op.get(f), ...op.f32(6), ...op.f32lt, ...op.i32and,
      ...op.if,
      // s = expTab[int((f + 6) * (1000/12))] (kept in f)
      ...op.get(expTab),
      ...op.get(f), ...op.f32(6), ...op.f32add, ...op.f32(1000 / 12), ...op.f32mul, ...op.i32truncF32s,
      ...op.i32(4), ...op.i32mul, ...op.i32add, ...op.f32load, ...op.set(f),
      // g = ((k == 0) - s) * alpha
      ...op.get(k), ...op.i32eqz, ...op.f32convertI32s, ...op.get(f), ...op.f32sub, ...op.get(alpha), ...op.f32mul,
      ...op.tee(g), ...op.f32x4splat, ...op.set(gv),
      ...forStep(i, op.get(dimBytes), 16, [
        // work += g * out[l2];  out[l2] += g * in[l1]
        ...plus(op.get(work), op.get(i)), ...v128at(work, i), ...op.get(gv), ...v128at(l2, i), ...op.f32x4mul, ...op.f32x4add, ...op.v128store,
        ...plus(op.get(l2), op.get(i)), ...v128at(l2, i), ...op.get(gv), ...v128at(l1, i), ...op.f32x4mul, ...op.f32x4add, ...op.v128store,
      ]),
      ...op.end,
      // O[target slot] = f (the sigmoid when in range, else the clipped dot)
      ...plus(plus(op.get(tp), op.get(odelta)), [...op.get(k), ...op.i32(4), ...op.i32mul]), ...op.get(f), ...op.f32store,
    ]),
    // in[l1] += work
    ...forStep(i, op.get(dimBytes), 16, [
      ...plus(op.get(l1), op.get(i)), ...v128at(l1, i), ...v128at(work, i), ...op.f32x4add, ...op.v128store,
    ]),
    ...op.get(q), ...op.set(p),
    ...op.br(0),
    ...op.end,
    ...op.end,
    // keep the touch loads live
    ...plus(op.get(work), op.get(dimBytes)), ...op.get(tsum), ...op.f32store,
    ...op.end, // function
  ];
  void g;
  const locals = [...uleb(3), ...uleb(10), I32, ...uleb(3), F32, ...uleb(2), V128];
  const code = [...locals, ...body];
  const funcBody = [...uleb(code.length), ...code];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(1), 0x60, ...uleb(7), I32, I32, F32, I32, I32, I32, I32, ...uleb(0)]),
    // import env.memory: shared, min 1 page, max 65536 pages (4 GiB)
    ...section(2, [...uleb(1), ...str('env'), ...str('memory'), 0x02, 0x03, ...uleb(1), ...uleb(65536)]),
    ...section(3, [...uleb(1), ...uleb(0)]),
    ...section(7, [...uleb(1), ...str('pairs'), 0x00, ...uleb(0)]),
    ...section(10, [...uleb(1), ...funcBody]),
  ];
  return new Uint8Array(bytes);
}

let cached: WasmModule | null | undefined;

/** The compiled module, or null when this runtime lacks WebAssembly SIMD or shared memory. */
export function skipGramWasmModule(): WasmModule | null {
  if (cached !== undefined) return cached;
  try {
    const bytes = skipGramWasmBytes();
    cached = wasmApi && wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** The sigmoid table of word2vec / gensim: EXP_TABLE_SIZE 1000, MAX_EXP 6. */
export function sigmoidTable(): Float32Array {
  const t = new Float32Array(1000);
  for (let i = 0; i < 1000; i++) {
    const e = Math.exp(((i / 1000) * 2 - 1) * 6);
    t[i] = e / (e + 1);
  }
  return t;
}
