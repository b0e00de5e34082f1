/**
 * The safetensors format (https://github.com/huggingface/safetensors):
 * 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON header
 * `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, ..., "__metadata__": {str: str}}`
 * padded with spaces so the data starts at an 8-byte boundary, then the
 * raw little-endian tensor bytes, offsets relative to the start of the data.
 * Reading checks what the reference implementation checks (header size,
 * known dtype, byte length = product(shape) * dtype size, offsets contiguous
 * and covering the whole data area) and says which tensor is wrong.
 */
import { DataFormatError } from '@meta-id/core';

/** Tensor dtypes supported, with their typed-array views (F16/BF16 as raw 16-bit words). */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

export type TensorData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | BigInt64Array
  | BigUint64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Int8Array
  | Uint8Array;

/** One tensor: dtype, shape and its values in row-major order. */
export interface Tensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: TensorData;
}

/** Tensors and the string metadata of one file. */
export interface SafetensorsFile {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

interface DtypeInfo {
  size: number;
  make: (buffer: ArrayBuffer, byteOffset: number, length: number) => TensorData;
  check: (data: TensorData) => boolean;
}

const DTYPES: Record<SafetensorsDtype, DtypeInfo> = {
  F64: { size: 8, make: (b, o, n) => new Float64Array(b, o, n), check: (d) => d instanceof Float64Array },
  F32: { size: 4, make: (b, o, n) => new Float32Array(b, o, n), check: (d) => d instanceof Float32Array },
  F16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n), check: (d) => d instanceof Uint16Array },
  BF16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n), check: (d) => d instanceof Uint16Array },
  I64: { size: 8, make: (b, o, n) => new BigInt64Array(b, o, n), check: (d) => d instanceof BigInt64Array },
  U64: { size: 8, make: (b, o, n) => new BigUint64Array(b, o, n), check: (d) => d instanceof BigUint64Array },
  I32: { size: 4, make: (b, o, n) => new Int32Array(b, o, n), check: (d) => d instanceof Int32Array },
  U32: { size: 4, make: (b, o, n) => new Uint32Array(b, o, n), check: (d) => d instanceof Uint32Array },
  I16: { size: 2, make: (b, o, n) => new Int16Array(b, o, n), check: (d) => d instanceof Int16Array },
  U16: { size: 2, make: (b, o, n) => new Uint16Array(b, o, n), check: (d) => d instanceof Uint16Array },
  I8: { size: 1, make: (b, o, n) => new Int8Array(b, o, n), check: (d) => d instanceof Int8Array },
  U8: { size: 1, make: (b, o, n) => new Uint8Array(b, o, n), check: (d) => d instanceof Uint8Array },
  BOOL: { size: 1, make: (b, o, n) => new Uint8Array(b, o, n), check: (d) => d instanceof Uint8Array },
};

/** Largest header the reference implementation accepts (100 MB). */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Byte size of one element of `dtype`. */
export function dtypeSize(dtype: SafetensorsDtype): number {
  return DTYPES[dtype].size;
}

/**
 * Serialises tensors, in the order given, with optional string metadata.
 * @throws DataFormatError when a tensor's data does not fit its dtype or shape.
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new DataFormatError({ source: '<safetensors>', column: `__metadata__.${k}` }, 'metadata values must be strings', v);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  const parts: Array<{ data: TensorData; offset: number; size: number }> = [];
  for (const [name, t] of Object.entries(tensors)) {
    const where = { source: '<safetensors>', column: name };
    if (name === '__metadata__') throw new DataFormatError(where, 'tensor name is reserved');
    const info = DTYPES[t.dtype];
    if (!info) throw new DataFormatError(where, 'unknown dtype', t.dtype);
    if (!info.check(t.data)) throw new DataFormatError(where, `data is a ${t.data?.constructor?.name}, which does not fit dtype ${t.dtype}`);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new DataFormatError(where, 'shape must be non-negative integers', t.shape);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (numel !== t.data.length) throw new DataFormatError(where, `shape [${t.shape}] holds ${numel} values but data has ${t.data.length}`);
    const size = numel * info.size;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    parts.push({ data: t.data, offset, size });
    offset += size;
  }
  let json = JSON.stringify(header);
  const raw = new TextEncoder().encode(json);
  const padded = Math.ceil((8 + raw.length) / 8) * 8 - 8;
  json += ' '.repeat(padded - raw.length);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const dataStart = 8 + headerBytes.length;
  for (const p of parts) {
    const bytes = new Uint8Array(p.data.buffer, p.data.byteOffset, p.size);
    out.set(bytes, dataStart + p.offset);
    if (!LITTLE_ENDIAN) swapInPlace(out.subarray(dataStart + p.offset, dataStart + p.offset + p.size), p.size / p.data.length);
  }
  return out;
}

/**
 * Parses a safetensors buffer. Tensor data is copied into fresh, aligned
 * typed arrays (independent of `bytes`).
 * @throws DataFormatError naming `source` and the tensor at fault.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<safetensors>'): SafetensorsFile {
  if (bytes.length < 8) throw new DataFormatError({ source }, `file too short for a safetensors header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) throw new DataFormatError({ source }, `header length ${n64} exceeds the 100 MB limit`);
  const n = Number(n64);
  if (8 + n > bytes.length) throw new DataFormatError({ source }, `header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith('{')) throw new DataFormatError({ source }, 'header must start with "{"', text.slice(0, 20));
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new DataFormatError({ source }, `header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Array<{ name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }> = [];
  for (const [name, value] of Object.entries(header)) {
    const where = { source, column: name };
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataFormatError(where, 'must be an object of strings');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new DataFormatError({ source, column: `__metadata__.${k}` }, 'metadata values must be strings', v);
        metadata[k] = v;
      }
      continue;
    }
    const t = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t?.dtype !== 'string' || !(t.dtype in DTYPES)) throw new DataFormatError(where, 'unknown dtype', t?.dtype);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new DataFormatError(where, 'shape must be an array of non-negative integers', t.shape);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isInteger(x) && x >= 0) || off[1] < off[0]) {
      throw new DataFormatError(where, 'data_offsets must be [begin, end] with 0 <= begin <= end', off);
    }
    const dtype = t.dtype as SafetensorsDtype;
    const shape = t.shape as number[];
    const numel = shape.reduce((a, b) => a * b, 1);
    if (off[1] - off[0] !== numel * DTYPES[dtype].size) {
      throw new DataFormatError(where, `data_offsets span ${off[1] - off[0]} bytes but shape [${shape}] of ${dtype} needs ${numel * DTYPES[dtype].size}`);
    }
    entries.push({ name, dtype, shape, begin: off[0], end: off[1] });
  }
  // The reference implementation requires the tensors to tile the data area exactly.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of byOffset) {
    if (e.begin !== expected) throw new DataFormatError({ source, column: e.name }, `data_offsets start at ${e.begin}, expected ${expected} (tensors must be contiguous, without gaps or overlaps)`);
    expected = e.end;
  }
  if (expected !== dataLength) throw new DataFormatError({ source }, `tensors cover ${expected} bytes of data but the file has ${dataLength} after the header`);
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) {
    const size = DTYPES[e.dtype].size;
    // A fresh copy, never a view: on a Node Buffer (what readFileSync returns) slice() is a view into a
    // shared pool, and the typed array below would read from the pool's start, not from this tensor.
    const copy = new Uint8Array(e.end - e.begin);
    copy.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    if (!LITTLE_ENDIAN) swapInPlace(copy, size);
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: DTYPES[e.dtype].make(copy.buffer, 0, (e.end - e.begin) / size) };
  }
  return { tensors, metadata };
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  if (size <= 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
