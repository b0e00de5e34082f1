// One k-means run in its own process (for peak RSS), on a float32 .npy both tools read.
// usage: node tools/bench/clusterer/kmeans-run.mjs X.npy K MAX_ITER TOL SEED [metric=euclidean] [bounds=auto|true|false] [backend=auto]
// Prints one JSON line: seconds (kmeans call only), init seconds, inertia, iterations, peak RSS (MB), backends.
import { kmeans } from '@meta-id/token-clusterer';
import { chooseNearestKernel, chooseDistanceMatrixKernel } from '@meta-id/kernels';
import { readNpy } from './io.mjs';

const [path, k, maxIter, tol, seed, metric = 'euclidean', bounds = 'auto', backend = 'auto'] = process.argv.slice(2);
const { data, shape } = readNpy(path);
const [n, dim] = shape;
let race = 0;
if (backend === 'auto') {
  const t = performance.now();
  await chooseNearestKernel({ quiet: true });
  await chooseDistanceMatrixKernel({ quiet: true });
  race = (performance.now() - t) / 1000;
}
const t0 = performance.now();
const r = await kmeans(data, n, dim, { k: Number(k), maxIter: Number(maxIter), tol: Number(tol), seed: Number(seed), metric, bounds: bounds === 'auto' ? 'auto' : bounds === 'true', backend, progress: true });
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds, init: r.timings.initMs / 1000, inertia: r.inertia, iterations: r.iterations, stop: r.stop, peak_rss_mb: process.resourceUsage().maxRSS / 1024, backend: r.backend, race_seconds: race, passes: r.distanceEvaluations / (n * Number(k)) }));
process.exit(0);
