/**
 * Safetensors files as tfjs wants them. The format itself (header, offsets,
 * validation, byte order) is read and written by @meta-id/vocab-extender;
 * this adapter only converts dtypes: F32, F16, BF16 and F64 tensors become
 * Float32Array, I32 and I64 become Int32Array, and tensors are kept in a
 * name-ordered Map. Written back as F32 / I32.
 */
import { DataFormatError } from '@meta-id/core';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '@meta-id/vocab-extender';

export interface NamedArray {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export type TensorDict = Map<string, NamedArray>;

/** Serialises tensors (in the map's order) with optional string metadata. */
export function encodeTensorDict(tensors: TensorDict, metadata?: Record<string, string>): Uint8Array {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of tensors) out[name] = { dtype: t.dtype === 'float32' ? 'F32' : 'I32', shape: t.shape, data: t.data };
  return encodeSafetensors(out, metadata);
}

/** Parses a safetensors buffer into float32 / int32 arrays. `source` names the file in errors. */
export function decodeTensorDict(bytes: Uint8Array, source = '<buffer>'): { tensors: TensorDict; metadata: Record<string, string> } {
  // A plain Uint8Array view: the reader copies tensors with `.slice`, which on a Node Buffer (readFileSync) is a view, not a copy.
  const file = decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), source);
  const tensors: TensorDict = new Map();
  for (const [name, t] of Object.entries(file.tensors)) tensors.set(name, toNamedArray(t, source, name));
  return { tensors, metadata: file.metadata };
}

function toNamedArray(t: Tensor, source: string, name: string): NamedArray {
  const { shape, data } = t;
  switch (t.dtype) {
    case 'F32':
      return { dtype: 'float32', shape, data: data as Float32Array };
    case 'F64':
      return { dtype: 'float32', shape, data: Float32Array.from(data as Float64Array) };
    case 'F16':
      return { dtype: 'float32', shape, data: Float32Array.from(data as Uint16Array, halfToFloat) };
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const bits = Uint32Array.from(data as Uint16Array, (h) => h << 16);
      return { dtype: 'float32', shape, data: new Float32Array(bits.buffer) };
    }
    case 'I32':
      return { dtype: 'int32', shape, data: data as Int32Array };
    case 'I64':
      return { dtype: 'int32', shape, data: Int32Array.from(data as BigInt64Array, (v) => Number(v)) };
    default:
      throw new DataFormatError({ source, column: name }, 'unsupported dtype (want F32, F16, BF16, F64, I32, I64)', t.dtype);
  }
}

/** IEEE 754 half → number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
