/**
 * The safetensors format (Hugging Face): 8-byte little-endian header length,
 * a JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`,
 * then the raw little-endian tensor bytes. Read: F32, F16, BF16, F64, I32, I64
 * (converted to Float32Array / Int32Array); write: F32 and I32.
 */
import { DataFormatError } from '@meta-id/core';

export interface NamedArray {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export type TensorDict = Map<string, NamedArray>;

/** Serialises tensors (in the map's order) with optional string metadata. */
export function encodeSafetensors(tensors: TensorDict, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: t.dtype === 'float32' ? 'F32' : 'I32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as HF's writer does).
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (isLittleEndian()) out.set(src, pos);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(pos + i * 4, t.data[i], true);
    pos += src.length;
  }
  return out;
}

/** Parses a safetensors buffer. `source` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): { tensors: TensorDict; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new DataFormatError({ source }, 'not a safetensors file (shorter than 8 bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw new DataFormatError({ source }, 'header length beyond end of file', headerLength);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch (e) {
    throw new DataFormatError({ source }, `header is not JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const tensors: TensorDict = new Map();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    const n = shape.reduce((a, b) => a * b, 1);
    const [begin, end] = data_offsets;
    const at = { source, column: name };
    if (!(begin >= 0 && end >= begin && dataStart + end <= bytes.length)) throw new DataFormatError(at, 'data_offsets outside the file', data_offsets);
    const base = dataStart + begin;
    const size: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4, I64: 8 };
    if (!(dtype in size)) throw new DataFormatError(at, 'unsupported dtype (want F32, F16, BF16, F64, I32, I64)', dtype);
    if (end - begin !== n * size[dtype]) throw new DataFormatError(at, `byte length ${end - begin} does not match shape ${JSON.stringify(shape)} × ${dtype}`);
    if (dtype === 'I32' || dtype === 'I64') {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = dtype === 'I32' ? view.getInt32(base + i * 4, true) : Number(view.getBigInt64(base + i * 8, true));
      tensors.set(name, { dtype: 'int32', shape, data });
      continue;
    }
    const data = new Float32Array(n);
    if (dtype === 'F32') {
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(base + i * 4, true);
    } else if (dtype === 'F64') {
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(base + i * 8, true);
    } else if (dtype === 'BF16') {
      const u = new Uint32Array(data.buffer);
      for (let i = 0; i < n; i++) u[i] = view.getUint16(base + i * 2, true) << 16;
    } else {
      for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(base + i * 2, true));
    }
    tensors.set(name, { dtype: 'float32', shape, data });
  }
  return { tensors, metadata };
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

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
