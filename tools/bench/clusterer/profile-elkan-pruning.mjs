// usage: VECTORS=/tmp/kmx/beauty.vec node tools/bench/clusterer/profile-elkan-pruning.mjs
// Counts the distance evaluations Elkan's bounds would need along the exact Lloyd trajectory.
import { createDistanceMatrixKernel } from '@meta-id/kernels';
import { readWord2vecText, l2normalise } from './io.mjs';
const src = readWord2vecText(process.env.VECTORS ?? '/tmp/kmx/beauty.vec');
const n = src.ids.length, dim = src.dim, k = 100;
const X = l2normalise(src.vectors, n, dim);
// Lloyd from k spread-out points (the shape of the trajectory is what matters here, not the seeding)
const mat = await createDistanceMatrixKernel('wasm-simd');
let C = new Float32Array(k * dim);
{ const idx = []; for (let j = 0; j < k; j++) idx.push(Math.floor((j * 7919 * 13) % n)); idx.forEach((p, j) => C.set(X.subarray(p * dim, p * dim + dim), j * dim)); }
const a = new Int32Array(n), u = new Float64Array(n), l = new Float64Array(n * k);
let first = true;
const cc = new Float64Array(k * k), s = new Float64Array(k);
for (let it = 0; it < 150; it++) {
  const D = await mat({ points: X, n, dim, centers: C, m: k });
  // centre-centre distances
  for (let i = 0; i < k; i++) { s[i] = Infinity; for (let j = 0; j < k; j++) { let q = 0; for (let d = 0; d < dim; d++) q += (C[i*dim+d]-C[j*dim+d])**2; cc[i*k+j] = Math.sqrt(q); if (j !== i && cc[i*k+j] < s[i]) s[i] = cc[i*k+j]; } s[i] /= 2; }
  let evals = 0, changed = 0, skippedPts = 0;
  if (first) {
    for (let i = 0; i < n; i++) { let b = 0; for (let j = 0; j < k; j++) { l[i*k+j] = Math.sqrt(D[i*k+j]); if (D[i*k+j] < D[i*k+b]) b = j; } a[i] = b; u[i] = Math.sqrt(D[i*k+b]); }
    evals = n * k; first = false;
  } else {
    for (let i = 0; i < n; i++) {
      let ai = a[i];
      if (u[i] <= s[ai]) { skippedPts++; continue; }
      let r = true;
      for (let j = 0; j < k; j++) {
        if (j === ai) continue;
        if (u[i] > l[i*k+j] && u[i] > cc[ai*k+j] / 2) {
          if (r) { u[i] = Math.sqrt(D[i*k+ai]); evals++; r = false; }
          if (u[i] > l[i*k+j] && u[i] > cc[ai*k+j] / 2) {
            const dj = Math.sqrt(D[i*k+j]); evals++; l[i*k+j] = dj;
            if (dj < u[i]) { ai = j; u[i] = dj; }
          }
        }
      }
      if (ai !== a[i]) changed++;
      a[i] = ai;
    }
  }
  // update
  const sums = new Float64Array(k * dim), cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) { cnt[a[i]]++; for (let d = 0; d < dim; d++) sums[a[i]*dim+d] += X[i*dim+d]; }
  const Cn = new Float32Array(k * dim); const shift = new Float64Array(k); let tot = 0;
  for (let j = 0; j < k; j++) { let q = 0; for (let d = 0; d < dim; d++) { Cn[j*dim+d] = cnt[j] ? sums[j*dim+d] / cnt[j] : C[j*dim+d]; q += (Cn[j*dim+d] - C[j*dim+d])**2; } shift[j] = Math.sqrt(q); tot += q; }
  for (let i = 0; i < n; i++) { u[i] += shift[a[i]]; for (let j = 0; j < k; j++) l[i*k+j] = Math.max(0, l[i*k+j] - shift[j]); }
  C = Cn;
  console.log(`it ${it + 1}: elkan evals ${(evals / (n * k) * 100).toFixed(1)}% of n·k, points skipped by s(a) ${(skippedPts / n * 100).toFixed(0)}%, changed ${changed}, shift ${tot.toExponential(2)}`);
  if (it > 0 && changed === 0) break;
}
process.exit(0);
