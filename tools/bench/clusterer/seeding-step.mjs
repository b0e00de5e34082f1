// One k-means++ seeding step (6 candidates, scikit-learn's 2 + ln 100) over n random 64-d points, timed per
// point: the points-in-lanes kernel (every row, `pot4`) against the centres-in-lanes one (a row list, `pot`).
// usage: node tools/bench/clusterer/seeding-step.mjs [--n 34464] [--dim 64] [--m 6] [--reps 50]
// META_ID_KERNEL_THREADS=1 keeps both on one thread.
import { createWasmSimdSeeding } from '@meta-id/kernels';
import { parseArgs, median } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { n: 34464, dim: 64, m: 6, reps: 50 });
const seeding = await createWasmSimdSeeding();
const { n, dim, m } = o;
let s = 1;
const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) - 0.5;
const points = new Float32Array(n * dim).map(rand);
const closest = new Float64Array(n).fill(1);
const centers = points.slice(0, m * dim);
const all = Int32Array.from({ length: n }, (_, i) => i);
const variants = { 'points in lanes (pot4)': undefined, 'centres in lanes (pot)': all };
const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < 5; round++) {
  for (const [name, rows] of Object.entries(variants)) {
    seeding.seed({ points, n, dim, centers, m, closest, rows });
    const t = performance.now();
    for (let r = 0; r < o.reps; r++) seeding.seed({ points, n, dim, centers, m, closest, rows });
    times[name].push(((performance.now() - t) * 1e6) / o.reps / n);
  }
}
console.log(`n ${n}, dim ${dim}, ${m} candidates, threads: ${process.env.META_ID_KERNEL_THREADS === '1' ? 1 : 'up to 2'}; median of 5 rounds of ${o.reps} steps`);
for (const [name, ts] of Object.entries(times)) console.log(`${name}: ${median(ts).toFixed(1)} ns a point (rounds: ${ts.map((x) => x.toFixed(1)).join(' ')})`);
