// Side by side in one run: our k-means against scikit-learn 1.2 KMeans (lloyd, k-means++, n_init=1) on the
// same L2-normalised float32 vectors (one .npy both read). The tools take turns, in an order that rotates run by
// run, each after a pause; prints medians.
//
// usage: node tools/bench/clusterer/kmeans-vs-sklearn.mjs [--vectors embeddings.vec | --synthetic 34464] [--dim 64]
//        [--k 100] [--runs 5] [--max-iter 300] [--tol 1e-4] [--variants euclidean,euclidean-nobounds,cosine] [--pause 1]
// Variants: <metric> = bounds 'auto' (the default: Elkan at this size), <metric>-bounds = Hamerly throughout,
// <metric>-nobounds = plain Lloyd. --sklearn-elkan true adds scikit-learn's algorithm='elkan' as a second peer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans } from '@meta-id/token-clusterer';
import { chooseNearestKernel, chooseDistanceMatrixKernel, chooseElkanKernel } from '@meta-id/kernels';
import { writeNpy, readWord2vecText, syntheticVectors, l2normalise, median, parseArgs } from './io.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const o = parseArgs(process.argv.slice(2), { vectors: '', synthetic: 34464, dim: 64, k: 100, runs: 5, 'max-iter': 300, tol: 1e-4, variants: 'euclidean,euclidean-nobounds,cosine', python: '/usr/bin/python3', sklearn: 'true', 'sklearn-elkan': 'false', pause: 1 });
const src = o.vectors ? readWord2vecText(o.vectors) : syntheticVectors(o.synthetic, o.dim, 1);
const n = src.ids.length;
const dim = src.dim;
const X = l2normalise(src.vectors, n, dim);
const dir = mkdtempSync(join(tmpdir(), 'kmeans-bench-'));
const npy = join(dir, 'X.npy');
writeNpy(npy, X, [n, dim]);
console.log(`data: ${o.vectors || `synthetic mixture ${n}x${dim}`}; n=${n} dim=${dim} k=${o.k} max_iter=${o['max-iter']} tol=${o.tol}; ${o.runs} runs, seeds 1..${o.runs}`);

// One-off per-process backend choices, outside the timings. The default path at this size (Elkan bounds on
// wasm-simd, k-means++ on the wasm-simd seeding kernel) needs only the first. The tfjs/gpu.js races serve the
// variants without Elkan (-bounds, -nobounds) and run only when one is asked for: a default k-means never
// loads those backends, and with them loaded in the process our default runs were 5-15% slower (cosine, seeds
// 1-3, three alternations: 1.24/0.81/0.98 s against 1.09/0.79/0.85 s).
const variants = o.variants.split(',');
let t = performance.now();
const elk = await chooseElkanKernel({});
console.log(`elkan-assign backend check (once per process, not in the timings; all a default run needs): ${(performance.now() - t).toFixed(0)} ms; ${elk.backend}`);
if (variants.some((v) => v.endsWith('bounds'))) {
  t = performance.now();
  const sel = await chooseNearestKernel({});
  const mat = await chooseDistanceMatrixKernel({});
  console.log(`tfjs/gpu.js backend race (once per process, not in the timings; for the variants without Elkan): ${(performance.now() - t).toFixed(0)} ms; nearest: ${sel.backend}, matrix: ${mat.backend}`);
}
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const rows = { sklearn: [], 'sklearn-elkan': [] };
for (const v of variants) rows[v] = [];
/** scikit-learn's fit in its own process (spawned per run: its timing covers KMeans.fit only). */
function runSklearn(name, algorithm, r) {
  const args = [join(here, 'sklearn_kmeans.py'), npy, String(o.k), String(o['max-iter']), String(o.tol), String(r)];
  if (algorithm) args.push(algorithm);
  const p = spawnSync(o.python, args, { encoding: 'utf8', env: { ...process.env } });
  if (p.status !== 0) throw new Error(`sklearn failed: ${p.stderr}`);
  const s = JSON.parse(p.stdout.trim().split('\n').pop());
  rows[name].push({ seconds: s.seconds, cpu: s.cpu_seconds, inertia: s.inertia, iterations: s.iterations });
  console.log(`run ${r} ${name} ${s.sklearn}: ${s.seconds.toFixed(3)} s (cpu ${s.cpu_seconds.toFixed(2)} s), inertia ${s.inertia.toFixed(3)}, ${s.iterations} it; load ${loadavg()[0].toFixed(2)}`);
}

async function runOurs(v, r) {
  const metric = v.startsWith('cosine') ? 'cosine' : 'euclidean';
  const bounds = v.endsWith('nobounds') ? false : v.endsWith('bounds') ? true : 'auto';
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const res = await kmeans(X, n, dim, { k: o.k, metric, seed: r, maxIter: o['max-iter'], tol: o.tol, bounds, progress: false });
  const sec = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  // sklearn's objective on its own terms: squared distance to the cluster MEAN (for cosine the unit centroid is not the mean)
  let meanInertia = res.inertia;
  if (metric === 'cosine') meanInertia = inertiaToMeans(X, n, dim, res.labels, o.k);
  rows[v].push({ seconds: sec, cpu, inertia: meanInertia, iterations: res.iterations, init: res.timings.initMs / 1000 });
  console.log(`run ${r} ${v}: ${sec.toFixed(3)} s (cpu ${cpu.toFixed(2)} s, init ${(res.timings.initMs / 1000).toFixed(3)}), inertia ${meanInertia.toFixed(3)}${metric === 'cosine' ? ` (spherical objective ${res.inertia.toFixed(3)})` : ''}, ${res.iterations} it (${res.stop}), ${res.backend.nearest}/${res.backend.matrix}, ${(res.distanceEvaluations / (n * o.k)).toFixed(1)} passes of distances; load ${loadavg()[0].toFixed(2)}`);
}

// The tools take turns: each run starts one tool later in the order, so no tool always follows the same one, and
// every timed job starts after --pause seconds of quiet (a job right after a two-core scikit-learn process ran
// 15-30% slower here than the same job after a pause, whichever tool it was).
const jobs = [
  ...(o.sklearn === 'true' ? [(r) => runSklearn('sklearn', undefined, r)] : []),
  ...(o['sklearn-elkan'] === 'true' ? [(r) => runSklearn('sklearn-elkan', 'elkan', r)] : []),
  ...variants.map((v) => (r) => runOurs(v, r)),
];
const pause = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
for (let r = 1; r <= o.runs; r++) {
  for (let q = 0; q < jobs.length; q++) {
    await pause(o.pause);
    await jobs[(q + r - 1) % jobs.length](r);
  }
}

console.log('\n| tool | median wall time (s) | median CPU time, all threads (s) | median inertia | median iterations | speed-up vs sklearn (wall) | inertia vs sklearn |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const base = rows.sklearn.length ? { s: median(rows.sklearn.map((x) => x.seconds)), i: median(rows.sklearn.map((x) => x.inertia)) } : undefined;
for (const [name, rs] of Object.entries(rows)) {
  if (!rs.length) continue;
  const s = median(rs.map((x) => x.seconds));
  const i = median(rs.map((x) => x.inertia));
  const it = median(rs.map((x) => x.iterations));
  const label = name === 'sklearn' ? 'scikit-learn 1.2 KMeans lloyd' : name === 'sklearn-elkan' ? 'scikit-learn 1.2 KMeans elkan' : `meta-id ${name}`;
  const cpu = median(rs.map((x) => x.cpu));
  console.log(`| ${label} | ${s.toFixed(3)} | ${cpu.toFixed(2)} | ${i.toFixed(2)} | ${it} | ${base ? (base.s / s).toFixed(2) + 'x' : '-'} | ${base ? ((i / base.i - 1) * 100).toFixed(2) + '%' : '-'} |`);
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
process.exit(0);

function inertiaToMeans(X, n, dim, labels, k) {
  const sums = new Float64Array(k * dim);
  const cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    cnt[labels[i]]++;
    for (let d = 0; d < dim; d++) sums[labels[i] * dim + d] += X[i * dim + d];
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    const j = labels[i];
    for (let d = 0; d < dim; d++) s += (X[i * dim + d] - sums[j * dim + d] / cnt[j]) ** 2;
  }
  return s;
}
