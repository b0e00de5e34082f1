import { readFileSync } from 'node:fs';
import { kmeans, kmeansPlusPlus, normaliseRows } from '@meta-id/token-clusterer';
import { createWasmSimdSeeding } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
const buf = readFileSync('/tmp/kmx/beauty.npy');
const hl = buf.readUInt16LE(8); const header = buf.subarray(10, 10 + hl).toString();
const shape = header.match(/\((\d+), (\d+)\)/); const n = +shape[1], dim = +shape[2];
const P = normaliseRows(new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hl, buf.byteOffset + 10 + hl + n * dim * 4)), n, dim);
const sd = await createWasmSimdSeeding();
for (let r = 1; r <= 5; r++) {
  let t = performance.now();
  const res = await kmeans(P, n, dim, { k: 100, seed: r, progress: false, maxIter: 1 });
  const a = performance.now() - t;
  t = performance.now();
  await kmeansPlusPlus(res.points, n, dim, 100, new Rng(r), sd);
  console.log(`kmeans(maxIter 1) ${a.toFixed(0)} ms, init ${res.timings.initMs.toFixed(0)}; pp alone ${(performance.now() - t).toFixed(0)} ms`);
}
