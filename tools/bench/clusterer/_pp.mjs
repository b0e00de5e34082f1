// k-means++ alone and Lloyd alone on Beauty, timed, several seeds.
import { readFileSync } from 'node:fs';
import { kmeansPlusPlus, kmeans, normaliseRows } from '@meta-id/token-clusterer';
import { createWasmSimdSeeding } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
const buf = readFileSync('/tmp/kmx/beauty.npy');
const hl = buf.readUInt16LE(8); const header = buf.subarray(10, 10 + hl).toString();
const shape = header.match(/\((\d+), (\d+)\)/); const n = +shape[1], dim = +shape[2];
const X = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + hl, buf.byteOffset + 10 + hl + n * dim * 4));
const P = normaliseRows(X, n, dim);
const seeding = await createWasmSimdSeeding();
const mode = process.argv[2] ?? 'pp';
for (let r = 1; r <= 5; r++) {
  if (mode === 'pp') {
    const t = performance.now();
    const res = await kmeansPlusPlus(P, n, dim, 100, new Rng(r), seeding);
    console.log(`pp seed ${r}: ${(performance.now() - t).toFixed(0)} ms first idx ${res.indices.slice(0,4)}`);
  } else {
    const t = performance.now();
    const res = await kmeans(P, n, dim, { k: 100, seed: r, progress: false });
    console.log(`kmeans seed ${r}: ${(performance.now() - t).toFixed(0)} ms init ${res.timings.initMs.toFixed(0)} lloyd ${res.timings.lloydMs.toFixed(0)} it ${res.iterations} inertia ${res.inertia.toFixed(3)} evals ${(res.distanceEvaluations/n/100).toFixed(2)}`);
  }
}
