// Vector I/O for the clusterer benchmarks: .npy (float32, C order) both tools read, word2vec text from the
// embedder, and a seeded synthetic mixture while real embeddings are not at hand.
import { readFileSync, writeFileSync } from 'node:fs';
import { Rng } from '@meta-id/core';

export function writeNpy(path, data, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

export function readNpy(path) {
  const buf = readFileSync(path);
  const len = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + len);
  if (!header.includes("'<f4'")) throw new Error(`${path}: only little-endian float32 .npy is read here`);
  const shape = header.match(/\(([^)]*)\)/)[1].split(',').filter((s) => s.trim()).map(Number);
  const off = buf.byteOffset + 10 + len;
  const count = (buf.length - 10 - len) / 4;
  // a view, not a copy, when aligned (large files get their own buffer, and the header pads to 64 bytes)
  const data = off % 4 === 0 ? new Float32Array(buf.buffer, off, count) : new Float32Array(buf.buffer.slice(off, off + count * 4));
  return { data, shape };
}

/** word2vec text: "count dim" then "id v1 … vdim" per line. */
export function readWord2vecText(path) {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim());
  const [count, dim] = lines[0].trim().split(/\s+/).map(Number);
  const ids = [];
  const vectors = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const parts = lines[i + 1].trim().split(/\s+/);
    ids.push(parts[0]);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = Number(parts[d + 1]);
  }
  return { ids, dim, vectors };
}

/** A Gaussian mixture with Zipf-sized components: a stand-in with cluster structure. */
export function syntheticVectors(n, dim, seed = 1, components = 300) {
  const rng = new Rng(seed);
  const centers = new Float32Array(components * dim).map(() => rng.normal());
  const weights = Array.from({ length: components }, (_, c) => 1 / (c + 1) ** 0.7);
  const vectors = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = rng.weighted(weights);
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = centers[c * dim + d] + 0.8 * rng.normal();
  }
  return { ids: Array.from({ length: n }, (_, i) => `x:${i}`), dim, vectors };
}

export function l2normalise(v, n, dim) {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += v[i * dim + d] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let d = 0; d < dim; d++) out[i * dim + d] = v[i * dim + d] * inv;
  }
  return out;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function parseArgs(argv, defaults) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const key = a.slice(2);
    const val = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    out[key] = typeof defaults[key] === 'number' ? Number(val) : val;
  }
  return out;
}

/**
 * One spherical k-means update, as the Elkan step scripts run it: each centre the renormalised sum of its
 * members (an empty one stays), and how far each moved. Returns { next, shift, moved }.
 */
export function sphericalUpdate(points, n, dim, k, labels, centroids) {
  const sums = new Float64Array(k * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += points[i * dim + d];
  const next = new Float32Array(k * dim);
  const shift = new Float64Array(k);
  let moved = 0;
  for (let j = 0; j < k; j++) {
    let q = 0;
    for (let d = 0; d < dim; d++) q += sums[j * dim + d] ** 2;
    const inv = q > 0 ? 1 / Math.sqrt(q) : 0;
    let s2 = 0;
    for (let d = 0; d < dim; d++) {
      next[j * dim + d] = q > 0 ? sums[j * dim + d] * inv : centroids[j * dim + d];
      s2 += (next[j * dim + d] - centroids[j * dim + d]) ** 2;
    }
    shift[j] = Math.sqrt(s2);
    if (shift[j] > 0) moved++;
  }
  return { next, shift, moved };
}
