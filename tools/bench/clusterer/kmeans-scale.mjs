// At scale: 1,000,000 x 64 synthetic vectors (L2-normalised), k = 1024, iterations capped identically for both
// tools. Each run in its own process so peak RSS is per tool; tools alternate run by run.
// usage: node tools/bench/clusterer/kmeans-scale.mjs [--n 1000000] [--dim 64] [--k 1024] [--max-iter 20] [--runs 3]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeNpy, syntheticVectors, l2normalise, median, parseArgs } from './io.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const o = parseArgs(process.argv.slice(2), { n: 1000000, dim: 64, k: 1024, 'max-iter': 20, tol: 1e-4, runs: 3, python: '/usr/bin/python3' });
const npy = join(tmpdir(), `kmeans-scale-${o.n}x${o.dim}.npy`);
if (!existsSync(npy)) {
  const s = syntheticVectors(o.n, o.dim, 1, 2000);
  writeNpy(npy, l2normalise(s.vectors, o.n, o.dim), [o.n, o.dim]);
}
console.log(`data: synthetic mixture ${o.n}x${o.dim} (L2-normalised, ${npy}); k=${o.k}, max_iter=${o['max-iter']} for both, tol=${o.tol}; ${o.runs} runs`);
const rows = { sklearn: [], 'meta-id': [] };
for (let r = 1; r <= o.runs; r++) {
  const sk = spawnSync(o.python, [join(here, 'sklearn_kmeans.py'), npy, String(o.k), String(o['max-iter']), String(o.tol), String(r)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (sk.status !== 0) throw new Error(sk.stderr);
  const s = JSON.parse(sk.stdout.trim().split('\n').pop());
  rows.sklearn.push(s);
  console.log(`run ${r} sklearn: ${s.seconds.toFixed(1)} s, inertia ${s.inertia.toFixed(1)}, ${s.iterations} it, peak RSS ${s.peak_rss_mb.toFixed(0)} MB`);
  const me = spawnSync(process.execPath, [join(here, 'kmeans-run.mjs'), npy, String(o.k), String(o['max-iter']), String(o.tol), String(r)], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  if (me.status !== 0) throw new Error('meta-id run failed');
  const m = JSON.parse(me.stdout.trim().split('\n').pop());
  rows['meta-id'].push(m);
  console.log(`run ${r} meta-id: ${m.seconds.toFixed(1)} s (init ${m.init.toFixed(1)}), inertia ${m.inertia.toFixed(1)}, ${m.iterations} it, peak RSS ${m.peak_rss_mb.toFixed(0)} MB, ${m.backend.nearest}/${m.backend.matrix}, backend race ${m.race_seconds.toFixed(1)} s (not timed)`);
}
console.log('\n| tool | median wall time (s) | median inertia | iterations | median peak RSS (MB) |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, rs] of Object.entries(rows)) {
  console.log(`| ${name === 'sklearn' ? 'scikit-learn 1.2 KMeans lloyd' : 'meta-id kmeans (euclidean, bounds auto)'} | ${median(rs.map((x) => x.seconds)).toFixed(1)} | ${median(rs.map((x) => x.inertia)).toFixed(1)} | ${rs.map((x) => x.iterations).join(', ')} | ${median(rs.map((x) => x.peak_rss_mb)).toFixed(0)} |`);
}
