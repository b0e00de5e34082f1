import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFormatError, Rng, type EmbeddingTable } from '@meta-id/core';
import {
  decodeNpy,
  decodeWord2VecBinary,
  decodeWord2VecText,
  encodeNpy,
  encodeWord2VecBinary,
  encodeWord2VecText,
  formatFloat32,
  loadEmbeddings,
  saveEmbeddings,
} from './embedding-io.js';

const small: EmbeddingTable = { ids: ['u:a', 'i:é1'], dim: 2, vectors: Float32Array.from([1.5, -2, 0.25, 3]) };

function randomTable(n: number, dim: number, seed: number): EmbeddingTable {
  const rng = new Rng(seed);
  const vectors = new Float32Array(n * dim);
  for (let k = 0; k < vectors.length; k++) vectors[k] = rng.normal() * 10 ** (rng.int(7) - 4);
  return { ids: Array.from({ length: n }, (_, i) => (i % 2 ? `i:${i}` : `u:${i}`)), dim, vectors };
}

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)));
  return new Uint8Array(Buffer.concat(chunks));
}

// float32 little-endian bytes, written out by hand: 1.5 = 0x3fc00000, -2 = 0xc0000000, 0.25 = 0x3e800000, 3 = 0x40400000.
const F = { '1.5': [0, 0, 0xc0, 0x3f], '-2': [0, 0, 0, 0xc0], '0.25': [0, 0, 0x80, 0x3e], '3': [0, 0, 0x40, 0x40] };

describe('word2vec binary', () => {
  it('writes the gensim 4 byte layout', () => {
    const expected = bytesOf('2 2\n', 'u:a ', F['1.5'], F['-2'], 'i:é1 ', F['0.25'], F['3']);
    expect(Buffer.from(encodeWord2VecBinary(small)).equals(Buffer.from(expected))).toBe(true);
  });

  it("reads the gensim layout and word2vec.c's (newline after each vector)", () => {
    const gensim = bytesOf('2 2\n', 'u:a ', F['1.5'], F['-2'], 'i:é1 ', F['0.25'], F['3']);
    const w2v = bytesOf('2 2\n', 'u:a ', F['1.5'], F['-2'], '\n', 'i:é1 ', F['0.25'], F['3'], '\n');
    for (const b of [gensim, w2v]) {
      const t = decodeWord2VecBinary(b);
      expect(t.ids).toEqual(small.ids);
      expect(Array.from(t.vectors)).toEqual([1.5, -2, 0.25, 3]);
    }
  });

  it('round-trips random tables exactly and names truncation', () => {
    const t = randomTable(50, 7, 1);
    const back = decodeWord2VecBinary(encodeWord2VecBinary(t));
    expect(back.ids).toEqual(t.ids);
    expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
    const bytes = encodeWord2VecBinary(t);
    expect(() => decodeWord2VecBinary(bytes.subarray(0, bytes.length - 3), 'x.bin')).toThrow(/x\.bin: unexpected end of file in vector 50 of 50/);
    expect(() => decodeWord2VecBinary(bytesOf('two 2\n'), 'y.bin')).toThrow(DataFormatError);
  });
});

describe('word2vec text', () => {
  it('writes the header and one row per line', () => {
    expect(encodeWord2VecText(small)).toBe('2 2\nu:a 1.5 -2.0\ni:é1 0.25 3.0\n');
  });

  it('prints float32 values shortest-first and round-trips them exactly', () => {
    expect(formatFloat32(0.1)).toBe('0.1');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334'); // numpy: repr(np.float32(1/3))
    // The rest as numpy prints them: repr(np.float32(x)) for 1e-7, 1e-4, 1.2345e-5, 1e16, 123456789, -0.0.
    expect(formatFloat32(1e-7)).toBe('1e-07');
    expect(formatFloat32(1e-4)).toBe('1e-04');
    expect(formatFloat32(1.2345e-5)).toBe('1.2345e-05');
    expect(formatFloat32(1e16)).toBe('1e+16');
    expect(formatFloat32(123456789)).toBe('123456790.0');
    expect(formatFloat32(-0)).toBe('-0.0');
    const t = randomTable(40, 9, 2);
    const back = decodeWord2VecText(encodeWord2VecText(t));
    expect(Buffer.from(back.vectors.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
  });

  it('reads fastText .vec (trailing spaces) and headerless files, and names bad lines', () => {
    const t = decodeWord2VecText('2 3\na 1 2 3 \nb 4 5 6 \n');
    expect(t.dim).toBe(3);
    expect(Array.from(t.vectors)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decodeWord2VecText('a 1 2\nb 3 4\n').ids).toEqual(['a', 'b']);
    expect(() => decodeWord2VecText('2 2\na 1 2\nb 3\n', 'v.vec')).toThrow(/v\.vec:3: expected 2 values/);
    expect(() => decodeWord2VecText('3 2\na 1 2\nb 3 4\n', 'v.vec')).toThrow(/header says 3 vectors, file has 2/);
    expect(() => decodeWord2VecText('1 2\na 1 x\n', 'v.vec')).toThrow(/v\.vec:2 \(column 3\): not a number/);
    expect(() => encodeWord2VecText({ ids: ['has space'], dim: 1, vectors: Float32Array.from([1]) })).toThrow(/whitespace/);
  });
});

describe('.npy', () => {
  it('writes a NumPy 1.0 header padded to 64 bytes, then little-endian float32', () => {
    const bytes = Buffer.from(encodeNpy(small.vectors, [2, 2]));
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"; // 60 characters
    const headerLen = 128 - 10; // 10 + 60 + '\n' = 71, padded with spaces up to 128
    const expected = Buffer.concat([
      Buffer.from([0x93]),
      Buffer.from('NUMPY', 'latin1'),
      Buffer.from([1, 0, headerLen, 0]),
      Buffer.from(dict + ' '.repeat(headerLen - dict.length - 1) + '\n', 'latin1'),
      Buffer.from([...F['1.5'], ...F['-2'], ...F['0.25'], ...F['3']]),
    ]);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('round-trips, reads float64, and rejects what it cannot read', () => {
    const t = randomTable(33, 5, 3);
    const { shape, values } = decodeNpy(encodeNpy(t.vectors, [33, 5]));
    expect(shape).toEqual([33, 5]);
    expect(Buffer.from(values.buffer).equals(Buffer.from(t.vectors.buffer))).toBe(true);
    const f8 = Buffer.concat([
      Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
      Buffer.from([118, 0]),
      Buffer.from("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }".padEnd(117, ' ') + '\n', 'latin1'),
      Buffer.from(new Float64Array([0.5, -1]).buffer),
    ]);
    expect(Array.from(decodeNpy(f8).values)).toEqual([0.5, -1]);
    const be = Buffer.from(encodeNpy(small.vectors, [2, 2])).toString('latin1').replace("'<f4'", "'>f4'");
    expect(() => decodeNpy(Buffer.from(be, 'latin1'), 'b.npy')).toThrow(/b\.npy: only little-endian/);
    expect(() => decodeNpy(Buffer.from('hello world'), 'c.npy')).toThrow(/not a \.npy file/);
  });
});

describe('saveEmbeddings / loadEmbeddings', () => {
  it('picks the format by extension and round-trips each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'emb-'));
    const t = randomTable(20, 4, 4);
    for (const name of ['e.vec', 'e.txt', 'e.bin', 'e.npy']) {
      const path = join(dir, name);
      saveEmbeddings(path, t);
      const back = loadEmbeddings(path);
      expect(back.ids).toEqual(t.ids);
      expect(Array.from(back.vectors)).toEqual(Array.from(t.vectors));
    }
    expect(readFileSync(join(dir, 'e.ids.txt'), 'utf8').split('\n')[0]).toBe('u:0');
    expect(() => loadEmbeddings(join(dir, 'missing.vec'))).toThrow(/cannot read embeddings/);
  });
});

// Optional cross-check with gensim (Debian's python3 has it on the development machine; skipped elsewhere).
const python = '/usr/bin/python3';
const hasGensim = (() => {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import gensim, numpy'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasGensim)('gensim cross-check (needs /usr/bin/python3 with gensim)', () => {
  it('gensim loads our files and we load gensim’s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gensim-'));
    const t = randomTable(12, 6, 5);
    saveEmbeddings(join(dir, 'ours.bin'), t);
    saveEmbeddings(join(dir, 'ours.vec'), t);
    saveEmbeddings(join(dir, 'ours.npy'), t);
    writeFileSync(
      join(dir, 'check.py'),
      `
import sys, json, numpy as np
from gensim.models import KeyedVectors
d = sys.argv[1]
b = KeyedVectors.load_word2vec_format(d + '/ours.bin', binary=True)
v = KeyedVectors.load_word2vec_format(d + '/ours.vec', binary=False)
n = np.load(d + '/ours.npy')
assert n.dtype == np.float32
out = {'ids': list(b.index_to_key), 'bin': b.vectors.astype(float).ravel().tolist(),
       'vec': v.vectors.astype(float).ravel().tolist(), 'npy': n.astype(float).ravel().tolist(), 'shape': list(n.shape)}
b.save_word2vec_format(d + '/theirs.bin', binary=True)
b.save_word2vec_format(d + '/theirs.vec', binary=False)
np.save(d + '/theirs.npy', n)
print(json.dumps(out))
`,
    );
    const out = JSON.parse(execFileSync(python, [join(dir, 'check.py'), dir], { encoding: 'utf8', timeout: 60_000 }));
    const want = Array.from(t.vectors);
    expect(out.ids).toEqual(t.ids);
    expect(out.bin).toEqual(want);
    expect(out.vec).toEqual(want);
    expect(out.npy).toEqual(want);
    expect(out.shape).toEqual([12, 6]);
    for (const name of ['theirs.bin', 'theirs.vec']) {
      const back = loadEmbeddings(join(dir, name));
      expect(back.ids).toEqual(t.ids);
      expect(Array.from(back.vectors)).toEqual(want);
    }
    expect(Array.from(decodeNpy(readFileSync(join(dir, 'theirs.npy'))).values)).toEqual(want);
    // gensim writes numpy's repr of each float32; our shortest form must print the same text.
    const theirs = readFileSync(join(dir, 'theirs.vec'), 'utf8');
    expect(readFileSync(join(dir, 'ours.vec'), 'utf8')).toBe(theirs);
  });
});
