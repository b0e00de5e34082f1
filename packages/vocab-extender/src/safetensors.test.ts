import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@meta-id/core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type Tensor } from './safetensors.js';
import { pythonHas, runPython } from './test-support/python.js';

/** The file for a = F32 [[1, -2.5], [0.125, 3]], ids = I32 [7, -1, 65536], metadata {k: v}, byte by byte. */
function handBuiltFile(): Uint8Array {
  const header = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"ids":{"dtype":"I32","shape":[3],"data_offsets":[16,28]}}';
  const padded = header + ' '.repeat((8 - (header.length % 8)) % 8);
  const n = padded.length;
  const bytes = [n & 0xff, (n >> 8) & 0xff, 0, 0, 0, 0, 0, 0];
  for (const ch of padded) bytes.push(ch.charCodeAt(0));
  // IEEE 754 single precision, little-endian: 1 = 3F800000, -2.5 = C0200000, 0.125 = 3E000000, 3 = 40400000.
  bytes.push(0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0, 0x00, 0x00, 0x00, 0x3e, 0x00, 0x00, 0x40, 0x40);
  // Two's complement int32, little-endian: 7, -1, 65536.
  bytes.push(0x07, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00);
  return Uint8Array.from(bytes);
}

const TENSORS: Record<string, Tensor> = {
  a: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, -2.5, 0.125, 3]) },
  ids: { dtype: 'I32', shape: [3], data: new Int32Array([7, -1, 65536]) },
};

describe('safetensors', () => {
  it('writes exactly the hand-built bytes (header length, JSON, space padding to 8, little-endian data)', () => {
    const want = handBuiltFile();
    const got = encodeSafetensors(TENSORS, { k: 'v' });
    expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
    const n = Number(new DataView(got.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
  });

  it('reads the hand-built bytes', () => {
    const { tensors, metadata } = decodeSafetensors(handBuiltFile());
    expect(metadata).toEqual({ k: 'v' });
    expect(tensors.a.shape).toEqual([2, 2]);
    expect(Array.from(tensors.a.data as Float32Array)).toEqual([1, -2.5, 0.125, 3]);
    expect(tensors.ids.dtype).toBe('I32');
    expect(Array.from(tensors.ids.data as Int32Array)).toEqual([7, -1, 65536]);
  });

  it('reads the hand-built bytes from a Node Buffer that is a view into a larger pool', () => {
    const file = handBuiltFile();
    // Buffers from readFileSync and Buffer.from often sit at an offset inside a shared ArrayBuffer.
    const pool = new Uint8Array(file.length + 40).fill(0xee);
    pool.set(file, 24);
    const buf = Buffer.from(pool.buffer, 24, file.length);
    const { tensors } = decodeSafetensors(buf);
    expect(Array.from(tensors.a.data as Float32Array)).toEqual([1, -2.5, 0.125, 3]);
    expect(Array.from(tensors.ids.data as Int32Array)).toEqual([7, -1, 65536]);
  });

  it('round-trips every dtype bit for bit, including odd byte offsets and empty tensors', () => {
    const tensors: Record<string, Tensor> = {
      f64: { dtype: 'F64', shape: [2], data: new Float64Array([Math.PI, -0]) },
      f32: { dtype: 'F32', shape: [1, 3], data: new Float32Array([NaN, Infinity, 1e-40]) },
      f16: { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xfbff]) },
      bf16: { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) },
      i64: { dtype: 'I64', shape: [2], data: new BigInt64Array([-(2n ** 62n), 5n]) },
      u8: { dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 255]) },
      i8: { dtype: 'I8', shape: [1], data: new Int8Array([-128]) },
      i16: { dtype: 'I16', shape: [1], data: new Int16Array([-2]) },
      bool: { dtype: 'BOOL', shape: [2], data: new Uint8Array([0, 1]) },
      empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
      i32: { dtype: 'I32', shape: [2], data: new Int32Array([2 ** 31 - 1, -(2 ** 31)]) },
    };
    const bytes = encodeSafetensors(tensors);
    const back = decodeSafetensors(bytes).tensors;
    for (const [name, t] of Object.entries(tensors)) {
      expect(back[name].dtype).toBe(t.dtype);
      expect(back[name].shape).toEqual(t.shape);
      expect(Buffer.from(back[name].data.buffer, back[name].data.byteOffset, back[name].data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(true);
    }
    expect(decodeSafetensors(bytes).metadata).toEqual({});
  });

  it('rejects malformed files with the tensor and problem named', () => {
    const good = handBuiltFile();
    expect(() => decodeSafetensors(good.subarray(0, 5), 'x.safetensors')).toThrow(/x.safetensors.*too short/);
    const long = good.slice();
    new DataView(long.buffer).setBigUint64(0, 10_000n, true);
    expect(() => decodeSafetensors(long)).toThrow(/runs past the end/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4))).toThrow(/cover 28 bytes.*24/);
    const edit = (from: string, to: string) => {
      const text = Buffer.from(good).toString('latin1').replace(from, to);
      return Uint8Array.from(Buffer.from(text, 'latin1'));
    };
    expect(() => decodeSafetensors(edit('"F32"', '"F99"'))).toThrow(/column a.*unknown dtype/);
    expect(() => decodeSafetensors(edit('[2,2]', '[2,3]'))).toThrow(/needs 24/);
    expect(() => decodeSafetensors(edit('[16,28]', '[20,32]'))).toThrow(/ids.*contiguous/);
    expect(() => decodeSafetensors(edit('"v"', ' 1 '))).toThrow(/metadata values must be strings/);
    expect(() => encodeSafetensors({ x: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(DataFormatError);
    expect(() => encodeSafetensors({ x: { dtype: 'I32', shape: [2], data: new Float32Array(2) } })).toThrow(/does not fit dtype I32/);
  });
});

const hasNumpy = pythonHas('numpy');
const hasSafetensors = pythonHas('safetensors', 'numpy');
const dir = mkdtempSync(join(tmpdir(), 'meta-id-st-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasNumpy)('safetensors cross-check with numpy under /usr/bin/python3', () => {
  it('numpy reads our file per the spec', () => {
    const path = join(dir, 'ours.safetensors');
    const data = new Float32Array(3 * 5).map((_, i) => Math.fround(Math.sin(i) * 10));
    writeFileSync(path, encodeSafetensors({ w: { dtype: 'F32', shape: [3, 5], data }, ids: { dtype: 'I32', shape: [4], data: new Int32Array([0, -3, 9, 2 ** 30]) } }, { init: 'mean' }));
    const out = JSON.parse(
      runPython(
        `
import json, struct, sys, numpy as np
raw = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n])
res = {'aligned': (8 + n) % 8 == 0, 'meta': header.pop('__metadata__', None)}
for name, t in header.items():
    b, e = t['data_offsets']
    dt = {'F32': '<f4', 'I32': '<i4'}[t['dtype']]
    arr = np.frombuffer(raw[8 + n + b:8 + n + e], dtype=dt).reshape(t['shape'])
    res[name] = arr.tolist()
print(json.dumps(res))
`,
        [path],
      ),
    );
    expect(out.aligned).toBe(true);
    expect(out.meta).toEqual({ init: 'mean' });
    expect(out.w.flat()).toEqual(Array.from(data));
    expect(out.w.length).toBe(3);
    expect(out.ids).toEqual([0, -3, 9, 2 ** 30]);
  });

  it('we read a file numpy wrote per the spec', () => {
    const path = join(dir, 'numpy.safetensors');
    runPython(
      `
import json, struct, sys, numpy as np
a = (np.arange(12, dtype='<f4') / 7).reshape(3, 4)
b = np.array([[1, -2], [3, 2**31 - 1]], dtype='<i4')
header = {'b': {'dtype': 'I32', 'shape': [2, 2], 'data_offsets': [0, 16]},
          'a': {'dtype': 'F32', 'shape': [3, 4], 'data_offsets': [16, 64]},
          '__metadata__': {'who': 'numpy'}}
h = json.dumps(header).encode()
h += b' ' * ((8 - len(h) % 8) % 8)
open(sys.argv[1], 'wb').write(struct.pack('<Q', len(h)) + h + b.tobytes() + a.tobytes())
`,
      [path],
    );
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
    expect(metadata).toEqual({ who: 'numpy' });
    expect(Array.from(tensors.a.data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, i) => Math.fround(i / 7)));
    expect(Array.from(tensors.b.data as Int32Array)).toEqual([1, -2, 3, 2 ** 31 - 1]);
  });
});

describe.skipIf(!hasSafetensors)('safetensors cross-check with the safetensors Python package', () => {
  it('safetensors.numpy loads our file and we load its file', () => {
    const ours = join(dir, 'ours2.safetensors');
    const data = new Float32Array([1.5, -2, 3.25, 4]);
    writeFileSync(ours, encodeSafetensors({ x: { dtype: 'F32', shape: [2, 2], data }, y: { dtype: 'I32', shape: [1], data: new Int32Array([42]) } }));
    const theirs = join(dir, 'theirs.safetensors');
    const out = JSON.parse(
      runPython(
        `
import json, sys, numpy as np
from safetensors.numpy import load_file, save_file
t = load_file(sys.argv[1])
save_file({'z': np.array([[0.5, 1.0, -1.5]], dtype=np.float32), 'k': np.array([7, 8], dtype=np.int32)}, sys.argv[2], metadata={'m': '1'})
print(json.dumps({k: v.tolist() for k, v in t.items()}))
`,
        [ours, theirs],
      ),
    );
    expect(out).toEqual({ x: [[1.5, -2], [3.25, 4]], y: [42] });
    const back = decodeSafetensors(new Uint8Array(readFileSync(theirs)));
    expect(back.metadata).toEqual({ m: '1' });
    expect(Array.from(back.tensors.z.data as Float32Array)).toEqual([0.5, 1, -1.5]);
    expect(Array.from(back.tensors.k.data as Int32Array)).toEqual([7, 8]);
  });
});
if (!hasSafetensors) console.warn('skipping the safetensors-package cross-check: /usr/bin/python3 has no safetensors module');
