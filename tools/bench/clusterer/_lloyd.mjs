// Per-step profile of spherical Lloyd through the Elkan session on Beauty (from the same k-means++ seeds).
import { readFileSync } from 'node:fs';
import { kmeansPlusPlus, normaliseRows } from '@meta-id/token-clusterer';
import { createWasmSimdSeeding, elkanWasmSimd } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
const buf = readFileSync('/tmp/kmx/beauty.npy');
const hl = buf.readUInt16LE(8); const header = buf.subarray(10, 10 + hl).toString();
const shape = header.match(/\((\d+), (\d+)\)/); const n = Math.min(+shape[1], Number(process.env.NPTS ?? 1e9)), dim = +shape[2];
const P = normaliseRows(new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hl, buf.byteOffset + 10 + hl + n * dim * 4)), n, dim);
const k = 100;
const seed = +(process.argv[2] ?? 2);
const pp = await kmeansPlusPlus(P, n, dim, k, new Rng(seed), await createWasmSimdSeeding());
let c = pp.centers;
const s = elkanWasmSimd({ points: P, n, dim, k });
let shift;
const rows = [];
let total = 0;
for (let it = 0; it < 300; it++) {
  const t = performance.now();
  const r = s.assign(c, shift);
  const ms = performance.now() - t;
  total += ms;
  const sums = new Float64Array(k * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) sums[r.labels[i] * dim + d] += P[i * dim + d];
  const next = new Float32Array(k * dim);
  shift = new Float64Array(k);
  let moved = 0;
  for (let j = 0; j < k; j++) {
    let q = 0; for (let d = 0; d < dim; d++) q += sums[j * dim + d] ** 2;
    const inv = 1 / Math.sqrt(q);
    let sh = 0;
    for (let d = 0; d < dim; d++) { next[j * dim + d] = sums[j * dim + d] * inv; sh += (next[j * dim + d] - c[j * dim + d]) ** 2; }
    shift[j] = Math.sqrt(sh); moved += sh;
  }
  c = next;
  const sh = [...shift].sort((a, b) => b - a);
  rows.push(`${it + 1}: ${ms.toFixed(2)} ms, ${(r.evaluations / n).toFixed(2)} dist/point; shifts max ${sh[0].toExponential(2)} 2nd ${sh[1].toExponential(2)} 10th ${sh[9].toExponential(2)}, moved ${sh.filter((x) => x > 0).length}`);
  if (moved === 0) break;
}
console.log(rows.filter((_, i) => i < 12 || i % 10 === 0).join('\n'));
console.log(`steps ${rows.length}, assign total ${total.toFixed(0)} ms`);
