// Every assignment step of one spherical k-means run through the wasm-simd Elkan session, timed: where Lloyd's
// time goes (blocked full passes, Elkan steps, how many distances each computes, how far the centres move).
// usage: node tools/bench/clusterer/elkan-steps.mjs --vectors X.npy (float32, [n, dim]) [--k 100] [--seed 2]
// Writes nothing; prints one line a step (the first 12, then every 10th) and the total.
import { readFileSync } from 'node:fs';
import { kmeansPlusPlus, normaliseRows } from '@meta-id/token-clusterer';
import { createWasmSimdSeeding, elkanWasmSimd } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
import { parseArgs, sphericalUpdate } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { vectors: '', k: 100, seed: 2, repeat: 1 });
if (!o.vectors) throw new Error('--vectors X.npy is required (a float32 [n, dim] array, as kmeans-vs-sklearn.mjs writes)');
const buf = readFileSync(o.vectors);
const headerLength = buf.readUInt16LE(8);
const shape = /\((\d+), (\d+)\)/.exec(buf.subarray(10, 10 + headerLength).toString());
if (!shape) throw new Error(`${o.vectors}: not a 2-d .npy array`);
const [n, dim] = [Number(shape[1]), Number(shape[2])];
const start = buf.byteOffset + 10 + headerLength;
const points = normaliseRows(new Float32Array(buf.buffer.slice(start, start + n * dim * 4)), n, dim);
const k = o.k;
const seeding = await createWasmSimdSeeding();
for (let rep = 1; rep <= o.repeat; rep++) {
const t0 = performance.now();
let centroids = (await kmeansPlusPlus(points, n, dim, k, new Rng(o.seed), seeding)).centers;
const seedMs = performance.now() - t0;
const session = elkanWasmSimd({ points, n, dim, k });
let shift;
let total = 0;
const lines = [];
for (let step = 1; step <= 300; step++) {
  const t = performance.now();
  const r = session.assign(centroids, shift);
  const ms = performance.now() - t;
  total += ms;
  const up = sphericalUpdate(points, n, dim, k, r.labels, centroids);
  shift = up.shift;
  centroids = up.next;
  const sorted = [...shift].sort((a, b) => b - a);
  const moved = sorted.filter((x) => x > 0).length;
  if (step <= 12 || step % 10 === 1) lines.push(`step ${step}: ${ms.toFixed(2)} ms, ${(r.evaluations / n).toFixed(2)} distances a point; largest shift ${sorted[0].toExponential(2)}, ${moved} centres moved`);
  if (moved === 0) {
    lines.push(`step ${step}: labels stable`);
    break;
  }
}
console.log(lines.join('\n'));
console.log(`${n} points, dim ${dim}, k ${k}, seed ${o.seed}, run ${rep}: k-means++ ${seedMs.toFixed(0)} ms, assignment steps ${total.toFixed(0)} ms in all`);
session.dispose?.();
}
process.exit(0);
