import { readFileSync } from 'node:fs';
import { kmeans, normaliseRows } from '@meta-id/token-clusterer';
import { elkanWasmSimd } from '@meta-id/kernels';
const buf = readFileSync('/tmp/kmx/beauty.npy');
const hl = buf.readUInt16LE(8); const header = buf.subarray(10, 10 + hl).toString();
const shape = header.match(/\((\d+), (\d+)\)/); const n = +shape[1], dim = +shape[2];
const P = normaliseRows(new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hl, buf.byteOffset + 10 + hl + n * dim * 4)), n, dim);
const k = 100;
const res = await kmeans(P, n, dim, { k, seed: 2, progress: false });
const c = res.centroids;
for (const sh of [0, 1e-3, 1e-2]) {
  const s = elkanWasmSimd({ points: P, n, dim, k });
  s.assign(c);
  const shift = new Float64Array(k).fill(sh);
  for (let w = 0; w < 30; w++) s.assign(c, shift); // warm (tier-up)
  const t = performance.now();
  let ev = 0;
  for (let r = 0; r < 50; r++) ev += s.assign(c, shift).evaluations;
  console.log(`shift ${sh}: ${((performance.now() - t) / 50).toFixed(2)} ms a step, ${(ev / 50 / n).toFixed(2)} dist/point`);
}
process.exit(0);
