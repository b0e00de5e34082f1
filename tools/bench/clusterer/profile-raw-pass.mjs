// Profiling helper (run by hand): one nearest-centroid pass at 34431 x 100 x 64 (whole table, with second distances, every third row) and a 6-centre distance matrix, wasm-simd against tfjs-tensorflow; median wall and CPU ms of 15 calls.
// usage: node tools/bench/clusterer/profile-raw-pass.mjs
import { createNearestKernel, createDistanceMatrixKernel, randomNearestArgs } from '@meta-id/kernels';
const n = 34431, k = 100, dim = 64;
const a = randomNearestArgs(n, k, dim, 1);
for (const b of ['wasm-simd', 'tfjs-tensorflow']) {
  const kern = await createNearestKernel(b);
  for (const [label, args] of [['full', { ...a, second: false }], ['full+second', { ...a, second: true }], ['rows 1/3 + second', { ...a, second: true, rows: Int32Array.from({ length: Math.ceil(n / 3) }, (_, i) => i * 3) }]]) {
    await kern(args);
    const ts = [];
    for (let r = 0; r < 15; r++) { const t = performance.now(); const c = process.cpuUsage(); await kern(args); const cu = process.cpuUsage(c); ts.push([performance.now() - t, (cu.user + cu.system) / 1000]); }
    ts.sort((x, y) => x[0] - y[0]);
    console.log(b, label, 'median wall ms', ts[7][0].toFixed(1), 'cpu ms', ts[7][1].toFixed(1), 'min', ts[0][0].toFixed(1));
  }
}
for (const b of ['wasm-simd', 'tfjs-tensorflow']) {
  const kern = await createDistanceMatrixKernel(b);
  const args = { points: a.points, n, dim, centers: a.centroids.subarray(0, 6 * dim), m: 6 };
  await kern(args);
  const ts = [];
  for (let r = 0; r < 15; r++) { const t = performance.now(); await kern(args); ts.push(performance.now() - t); }
  ts.sort((x, y) => x - y);
  console.log(b, 'matrix m=6 median ms', ts[7].toFixed(1));
}
process.exit(0);
