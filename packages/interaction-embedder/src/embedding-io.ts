/**
 * Embedding files other tools read and write:
 *
 * - word2vec text (gensim `save_word2vec_format(binary=False)`, fastText
 *   `.vec`): header `"<count> <dim>\n"`, then per row `word v1 ... vD\n`.
 *   We write each float32 in its shortest decimal form that parses back to the
 *   same float32 (as numpy's `repr` does), so a text round trip is exact.
 * - word2vec binary (gensim 4 `binary=True`): the same header, then per row
 *   the UTF-8 word, one space, and dim little-endian float32s with no
 *   separator after them. word2vec.c also writes `\n` after each vector; the
 *   reader accepts both (it drops newlines before a word, as gensim does).
 * - NumPy `.npy` format version 1.0: little-endian float32 `(count, dim)`
 *   matrix, C order. The row names go to a sidecar `<name>.ids.txt` (one id
 *   per line) when saving a table.
 */
import { readFileSync } from 'node:fs';
import { DataFormatError, MetaIdError, type EmbeddingTable } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';

/**
 * The shortest decimal string that parses back to the same float32 value,
 * printed as numpy's `repr(np.float32(x))` does (and so gensim's text
 * writer): positional with `.0` for 1e-4 ≤ |x| < 1e16, else `d.ddde±XX`.
 */
export function formatFloat32(x: number): string {
  const v = Math.fround(x);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  let p = 1;
  while (p < 9 && Math.fround(Number(v.toPrecision(p))) !== v) p++;
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 1e16) {
    const s = String(Number(v.toPrecision(p)));
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = v.toExponential(p - 1).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function checkTable(table: EmbeddingTable): void {
  if (!(Number.isInteger(table.dim) && table.dim >= 1)) throw new MetaIdError(`embedding table: dim must be an integer ≥ 1, got ${table.dim}`);
  if (table.vectors.length !== table.ids.length * table.dim) {
    throw new MetaIdError(
      `embedding table: ${table.ids.length} ids × dim ${table.dim} needs ${table.ids.length * table.dim} values, vectors has ${table.vectors.length}`,
    );
  }
  for (const id of table.ids) {
    if (id.length === 0 || /\s/.test(id)) {
      throw new MetaIdError(`embedding table: id ${JSON.stringify(id)} is empty or contains whitespace; word2vec files cannot hold it`);
    }
  }
}

/** The word2vec text format as a string. */
export function encodeWord2VecText(table: EmbeddingTable): string {
  checkTable(table);
  const { ids, dim, vectors } = table;
  const lines: string[] = [`${ids.length} ${dim}`];
  const row: string[] = new Array(dim);
  for (let r = 0; r < ids.length; r++) {
    for (let c = 0; c < dim; c++) row[c] = formatFloat32(vectors[r * dim + c]);
    lines.push(`${ids[r]} ${row.join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Parses word2vec text. A first line of exactly two integers is the header
 * (and is checked against the rows); without it the dimension comes from the
 * first row, as gensim's `no_header=True`. Trailing spaces (fastText) are fine.
 */
export function decodeWord2VecText(text: string, source = '<string>'): EmbeddingTable {
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  let first = 0;
  let expectCount: number | undefined;
  let dim: number | undefined;
  const head = (lines[0] ?? '').trim().split(/\s+/);
  if (head.length === 2 && /^\d+$/.test(head[0]) && /^\d+$/.test(head[1])) {
    expectCount = Number(head[0]);
    dim = Number(head[1]);
    first = 1;
  }
  const ids: string[] = [];
  const values: number[] = [];
  for (let l = first; l < lines.length; l++) {
    const line = lines[l].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const parts = line.trim().split(/[ \t]+/);
    const word = parts[0];
    const nums = parts.length - 1;
    if (dim === undefined) dim = nums;
    if (nums !== dim) {
      throw new DataFormatError({ source, line: l + 1 }, `expected ${dim} values after the word, found ${nums}`, line.slice(0, 60));
    }
    for (let c = 1; c <= dim; c++) {
      const v = Number(parts[c]);
      if (Number.isNaN(v) && parts[c] !== 'nan' && parts[c] !== 'NaN') {
        throw new DataFormatError({ source, line: l + 1, column: c + 1 }, 'not a number', parts[c]);
      }
      values.push(v);
    }
    ids.push(word);
  }
  if (dim === undefined || dim < 1) throw new DataFormatError({ source }, 'no vectors found');
  if (expectCount !== undefined && expectCount !== ids.length) {
    throw new DataFormatError({ source, line: 1 }, `header says ${expectCount} vectors, file has ${ids.length}`);
  }
  return { ids, dim, vectors: Float32Array.from(values) };
}

/** The word2vec binary format (gensim 4 layout) as bytes. */
export function encodeWord2VecBinary(table: EmbeddingTable): Uint8Array {
  checkTable(table);
  const { ids, dim, vectors } = table;
  const header = Buffer.from(`${ids.length} ${dim}\n`, 'utf8');
  const words = ids.map((id) => Buffer.from(`${id} `, 'utf8'));
  const total = header.length + words.reduce((s, w) => s + w.length, 0) + ids.length * dim * 4;
  const out = Buffer.alloc(total);
  let p = header.copy(out, 0);
  for (let r = 0; r < ids.length; r++) {
    p += words[r].copy(out, p);
    for (let c = 0; c < dim; c++) p = out.writeFloatLE(vectors[r * dim + c], p);
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Parses word2vec binary (gensim 4 layout, or word2vec.c's with `\n` after each vector). */
export function decodeWord2VecBinary(bytes: Uint8Array, source = '<bytes>'): EmbeddingTable {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const nl = buf.indexOf(10);
  if (nl < 0) throw new DataFormatError({ source, line: 1 }, 'no header line ("<count> <dim>")');
  const head = buf.toString('utf8', 0, nl).trim().split(/\s+/);
  if (head.length !== 2 || !/^\d+$/.test(head[0]) || !/^\d+$/.test(head[1])) {
    throw new DataFormatError({ source, line: 1 }, 'header must be "<count> <dim>"', buf.toString('utf8', 0, Math.min(nl, 60)));
  }
  const count = Number(head[0]);
  const dim = Number(head[1]);
  if (dim < 1) throw new DataFormatError({ source, line: 1 }, 'dimension must be ≥ 1', head[1]);
  const ids: string[] = new Array(count);
  const vectors = new Float32Array(count * dim);
  let p = nl + 1;
  for (let r = 0; r < count; r++) {
    while (p < buf.length && (buf[p] === 10 || buf[p] === 13)) p++;
    const sp = buf.indexOf(32, p);
    if (sp < 0 || sp + 1 + dim * 4 > buf.length) {
      throw new DataFormatError({ source }, `unexpected end of file in vector ${r + 1} of ${count} (count in the header too large, or a truncated file)`);
    }
    ids[r] = buf.toString('utf8', p, sp);
    p = sp + 1;
    for (let c = 0; c < dim; c++, p += 4) vectors[r * dim + c] = buf.readFloatLE(p);
  }
  return { ids, dim, vectors };
}

/** A .npy v1.0 file of a little-endian float32 matrix `shape[0] × shape[1]` (C order). */
export function encodeNpy(values: Float32Array, shape: [number, number]): Uint8Array {
  if (values.length !== shape[0] * shape[1]) {
    throw new MetaIdError(`encodeNpy: shape ${shape.join('×')} needs ${shape[0] * shape[1]} values, got ${values.length}`);
  }
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = Buffer.alloc(10 + header.length + values.length * 4);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  let p = 10 + header.length;
  for (let k = 0; k < values.length; k++) p = out.writeFloatLE(values[k], p);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Reads a .npy (v1/v2/v3) 1- or 2-D float32 or float64 array (little-endian, C order) as float32. */
export function decodeNpy(bytes: Uint8Array, source = '<bytes>'): { shape: number[]; values: Float32Array } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') {
    throw new DataFormatError({ source }, 'not a .npy file (magic \\x93NUMPY missing)');
  }
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new DataFormatError({ source }, 'malformed .npy header', header);
  if (fortran === 'True') throw new DataFormatError({ source }, 'fortran_order arrays are not supported (save in C order)');
  if (descr !== '<f4' && descr !== '<f8') {
    throw new DataFormatError({ source }, "only little-endian float32 ('<f4') or float64 ('<f8') arrays are supported", descr);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const width = descr === '<f4' ? 4 : 8;
  const dataStart = start + headerLen;
  if (buf.length - dataStart < n * width) {
    throw new DataFormatError({ source }, `truncated: shape (${shape.join(', ')}) needs ${n * width} data bytes, file has ${buf.length - dataStart}`);
  }
  const values = new Float32Array(n);
  for (let k = 0; k < n; k++) values[k] = width === 4 ? buf.readFloatLE(dataStart + 4 * k) : buf.readDoubleLE(dataStart + 8 * k);
  return { shape, values };
}

/** Embedding file formats; `auto` picks by extension (.bin → binary, .npy → npy, else text). */
export type EmbeddingFormat = 'auto' | 'word2vec-text' | 'word2vec-binary' | 'npy';

function formatOf(path: string, format: EmbeddingFormat): Exclude<EmbeddingFormat, 'auto'> {
  if (format !== 'auto') return format;
  if (path.endsWith('.bin')) return 'word2vec-binary';
  if (path.endsWith('.npy')) return 'npy';
  return 'word2vec-text';
}

function idsPath(npyPath: string): string {
  return npyPath.replace(/\.npy$/, '') + '.ids.txt';
}

/**
 * Writes an embedding table (atomically). For `.npy`, the ids go to `<name>.ids.txt`.
 *
 * @example
 * saveEmbeddings('beauty.vec', table);            // word2vec text
 * saveEmbeddings('beauty.bin', table);            // word2vec binary
 * saveEmbeddings('beauty.npy', table);            // beauty.npy + beauty.ids.txt
 */
export function saveEmbeddings(path: string, table: EmbeddingTable, format: EmbeddingFormat = 'auto'): void {
  const f = formatOf(path, format);
  if (f === 'word2vec-text') writeFileAtomic(path, encodeWord2VecText(table));
  else if (f === 'word2vec-binary') writeFileAtomic(path, encodeWord2VecBinary(table));
  else {
    checkTable(table);
    writeFileAtomic(path, encodeNpy(table.vectors, [table.ids.length, table.dim]));
    writeFileAtomic(idsPath(path), table.ids.join('\n') + '\n');
  }
}

/**
 * Reads an embedding table written by us, gensim, word2vec.c, fastText (.vec)
 * or NumPy. For `.npy` the ids come from `<name>.ids.txt`; without that file
 * the rows are named by their index (`0`, `1`, ...).
 */
export function loadEmbeddings(path: string, format: EmbeddingFormat = 'auto'): EmbeddingTable {
  const f = formatOf(path, format);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new MetaIdError(`cannot read embeddings ${path}: ${(e as Error).message}`);
  }
  if (f === 'word2vec-text') return decodeWord2VecText(bytes.toString('utf8'), path);
  if (f === 'word2vec-binary') return decodeWord2VecBinary(bytes, path);
  const { shape, values } = decodeNpy(bytes, path);
  if (shape.length !== 2) throw new DataFormatError({ source: path }, `expected a 2-D array, shape is (${shape.join(', ')})`);
  let ids: string[];
  try {
    ids = readFileSync(idsPath(path), 'utf8').split('\n').filter((s) => s.length > 0);
  } catch {
    ids = Array.from({ length: shape[0] }, (_, i) => String(i));
  }
  if (ids.length !== shape[0]) {
    throw new DataFormatError({ source: idsPath(path) }, `has ${ids.length} ids but ${path} has ${shape[0]} rows`);
  }
  return { ids, dim: shape[1], vectors: values };
}
