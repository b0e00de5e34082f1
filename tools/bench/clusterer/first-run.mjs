// The cost of the first k-means of a process: the Elkan backend check first (as kmeans-vs-sklearn.mjs does,
// outside any timing), then --runs spherical k-means on the same vectors, same seed; prints each run's wall
// time and k-means++ share. The first run's excess over the next is what a one-off CLI call pays.
//
// usage: node tools/bench/clusterer/first-run.mjs [--vectors beauty.npy] [--runs 3] [--seed 2]
import { kmeans, normaliseRows } from '@meta-id/token-clusterer';
import { chooseElkanKernel } from '@meta-id/kernels';
import { parseArgs, readNpy } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { vectors: '/tmp/kmx/beauty.npy', runs: 3, seed: 2 });
const { data, shape } = readNpy(o.vectors);
const [n, dim] = shape;
const X = normaliseRows(data, n, dim);
let t = performance.now();
await chooseElkanKernel({ quiet: true });
const check = performance.now() - t;
const out = [];
for (let r = 0; r < o.runs; r++) {
  t = performance.now();
  const res = await kmeans(X, n, dim, { k: 100, metric: 'cosine', seed: o.seed, maxIter: 300, tol: 1e-4, progress: false });
  out.push(`${Math.round(performance.now() - t)} ms (k-means++ ${Math.round(res.timings.initMs)}, ${res.iterations} it)`);
}
console.log(`backend check ${Math.round(check)} ms | ${out.join(' | ')}`);
process.exit(0);
