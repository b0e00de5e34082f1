// Profiling helper (run by hand): CPU time of greedy k-means++ per distance-matrix backend, then of the Elkan Lloyd phase.
// usage: VECTORS=/tmp/kmx/beauty.vec node tools/bench/clusterer/profile-phases.mjs wasm-simd,tfjs-tensorflow
import { kmeans, kmeansPlusPlus } from '@meta-id/token-clusterer';
import { Rng } from '@meta-id/core';
import { createDistanceMatrixKernel, chooseElkanKernel } from '@meta-id/kernels';
import { readWord2vecText, l2normalise } from './io.mjs';
const src = readWord2vecText(process.env.VECTORS ?? '/tmp/kmx/beauty.vec');
const n = src.ids.length, dim = src.dim, k = 100;
const X = l2normalise(src.vectors, n, dim);
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };
await chooseElkanKernel({});
for (const mb of (process.argv[2] ?? 'wasm-simd,tfjs-tensorflow').split(',')) {
  const mat = await createDistanceMatrixKernel(mb);
  let c0 = cpu();
  const pp = await kmeansPlusPlus(X, n, dim, k, new Rng(1), mat);
  console.log(`k-means++ on ${mb}: cpu ${(cpu() - c0).toFixed(2)} s`);
}
for (const bounds of ['elkan']) {
  const c0 = cpu();
  const r = await kmeans(X, n, dim, { k, metric: 'euclidean', seed: 1, bounds, progress: false, init: X.slice(0, k * dim) });
  console.log(`lloyd bounds=${bounds}: cpu ${(cpu() - c0).toFixed(2)} s, ${r.iterations} it, evals ${(r.distanceEvaluations / (n * k)).toFixed(1)} passes, ${r.backend.nearest}`);
}
process.exit(0);
