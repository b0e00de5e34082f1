/**
 * A few dozen WebAssembly opcodes (core + 128-bit SIMD) and a module writer:
 * enough to build the distance kernels from bytes at run time, with no
 * compiler, no download and no binary file in the package.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export const I64 = 0x7e;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function f32bytes(x: number): number[] {
  return [...new Uint8Array(new Float32Array([x]).buffer)];
}

const simd = (code: number, ...imm: number[]) => [0xfd, ...uleb(code), ...imm];
/** memarg: alignment exponent and a constant byte offset added to the address. */
const mem = (align: number, offset: number) => [...uleb(align), ...uleb(offset)];

export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  ifI32: [0x04, I32],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  call: (f: number) => [0x10, ...uleb(f)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f32: (v: number) => [0x43, ...f32bytes(v)],
  i32load: (offset = 0) => [0x28, ...mem(2, offset)],
  i32load8u: (offset = 0) => [0x2d, ...mem(0, offset)],
  f32load: (offset = 0) => [0x2a, ...mem(2, offset)],
  i32store: (offset = 0) => [0x36, ...mem(2, offset)],
  f32store: (offset = 0) => [0x38, ...mem(2, offset)],
  i32eqz: [0x45],
  i32ne: [0x47],
  i32ltS: [0x48],
  i32ltU: [0x49],
  i32add: [0x6a],
  i32sub: [0x6b],
  i32mul: [0x6c],
  i32and: [0x71],
  i32or: [0x72],
  i32shl: [0x74],
  i32shrU: [0x76],
  f32eq: [0x5b],
  f32lt: [0x5d],
  f32gt: [0x5e],
  f32add: [0x92],
  f32sub: [0x93],
  f32mul: [0x94],
  f32sqrt: [0x91],
  f32abs: [0x8b],
  f32neg: [0x8c],
  f32min: [0x96],
  f32max: [0x97],
  i32truncF32s: [0xa8],
  f32convertI32s: [0xb2],
  v128load: (offset = 0) => simd(0x00, ...mem(4, offset)),
  v128load32splat: (offset = 0) => simd(0x09, ...mem(2, offset)),
  v128store: (offset = 0) => simd(0x0b, ...mem(4, offset)),
  v128constF32: (a: number, b: number, c: number, d: number) => simd(0x0c, ...f32bytes(a), ...f32bytes(b), ...f32bytes(c), ...f32bytes(d)),
  v128constI32: (a: number, b: number, c: number, d: number) => simd(0x0c, ...new Uint8Array(new Int32Array([a, b, c, d]).buffer)),
  i32x4extract: (lane: number) => simd(0x1b, lane),
  f32x4extract: (lane: number) => simd(0x1f, lane),
  f32x4lt: simd(0x43),
  f32x4gt: simd(0x44),
  v128and: simd(0x4e),
  v128bitselect: simd(0x52),
  f32x4splat: simd(0x13),
  f32x4sub: simd(0xe5),
  i32x4add: simd(0xae),
  f32x4add: simd(0xe4),
  f32x4mul: simd(0xe6),
  f32x4sqrt: simd(0xe3),
  f32x4pmin: simd(0xea),
  f32x4pmax: simd(0xeb),
  /** i8x16.shuffle of two vectors by 16 lane indices (0-15 the first, 16-31 the second). */
  i8x16shuffle: (...lanes: number[]) => simd(0x0d, ...lanes),
  f64x2add: simd(0xf0),
  f64x2promoteLowF32x4: simd(0x5f),
  /** i32.atomic.rmw.add: adds to a shared int32 and leaves its old value (threads take work from one counter). */
  i32atomicAdd: (offset = 0) => [0xfe, 0x1e, ...mem(2, offset)],
  i32geU: [0x4f],
  selectOp: [0x1b],
  i64: (v: number) => [0x42, ...sleb(v)],
  i64eqz: [0x50],
  i64ctz: [0x7a],
  i64sub: [0x7d],
  i64and: [0x83],
  i64or: [0x84],
  i64shl: [0x86],
  i32wrapI64: [0xa7],
  i64extendI32u: [0xad],
  /** i16x8.narrow_i32x4_s: the lanes of the first then the second vector, saturated to int16 (−1 stays −1). */
  i16x8narrowI32x4s: simd(0x85),
  /** i8x16.narrow_i16x8_s: the lanes of the first then the second vector, saturated to int8. */
  i8x16narrowI16x8s: simd(0x65),
  /** i8x16.bitmask: the sign bits of the 16 byte lanes as an int. */
  i8x16bitmask: simd(0x64),
};

export interface WasmFunction {
  name: string;
  params: number[];
  /** Result types (default none). */
  results?: number[];
  /** Not exported when true (still callable by index). */
  internal?: boolean;
  /** Local types after the parameters, in order. */
  locals: number[];
  /** Instructions, without the final `end`. */
  body: number[];
}

/** A module section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A length-prefixed UTF-8 name. */
export function str(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

/** A module importing `env.memory` (up to 4 GiB; shared between threads on request) and exporting `functions` but the internal ones; function i has index i. */
export function moduleBytes(functions: WasmFunction[], options: { sharedMemory?: boolean } = {}): Uint8Array {
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results?.length ?? 0), ...(f.results ?? [])]);
  const exported = functions.map((f, i) => [f, i] as const).filter(([f]) => !f.internal);
  const bodies = functions.flatMap((f) => {
    const groups: number[][] = [];
    for (const t of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const code = [...uleb(groups.length), ...groups.flatMap(([c, t]) => [...uleb(c), t]), ...f.body, ...op.end];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(2, [...uleb(1), ...str('env'), ...str('memory'), 0x02, options.sharedMemory ? 0x03 : 0x01, ...uleb(1), ...uleb(65536)]),
    ...section(3, [...uleb(functions.length), ...functions.flatMap((_, i) => uleb(i))]),
    ...section(7, [...uleb(exported.length), ...exported.flatMap(([f, i]) => [...str(f.name), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(functions.length), ...bodies]),
  ]);
}
