/**
 * Hand-unrolled TypeScript backend of the skip-gram batch kernel: gather the
 * rows once, score and accumulate input gradients with 4-way unrolled loops,
 * scatter. Same semantics as the reference (old weights, summed updates).
 */
import { gatherRows, scatterUpdates } from './shared.js';
import { checkSkipGramArgs, logSigmoid, sigmoid, type SkipGramBatchArgs, type SkipGramBatchResult } from './types.js';

export function skipGramBatchTypescript(args: SkipGramBatchArgs): SkipGramBatchResult {
  checkSkipGramArgs(args);
  const { dim, inputs, negative, alpha } = args;
  const K1 = negative + 1;
  const B = inputs.length;
  const { X, T } = gatherRows(args);
  const g = new Float32Array(B * K1);
  const dX = new Float32Array(B * dim);
  let loss = 0;
  const d4 = dim & ~3;
  for (let b = 0; b < B; b++) {
    const x = b * dim;
    for (let k = 0; k < K1; k++) {
      const q = b * K1 + k;
      const t = q * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let d = 0;
      for (; d < d4; d += 4) {
        s0 += X[x + d] * T[t + d];
        s1 += X[x + d + 1] * T[t + d + 1];
        s2 += X[x + d + 2] * T[t + d + 2];
        s3 += X[x + d + 3] * T[t + d + 3];
      }
      for (; d < dim; d++) s0 += X[x + d] * T[t + d];
      const s = s0 + s1 + s2 + s3;
      const gq = ((k === 0 ? 1 : 0) - sigmoid(s)) * alpha;
      g[q] = gq;
      loss -= k === 0 ? logSigmoid(s) : logSigmoid(-s);
      for (d = 0; d < d4; d += 4) {
        dX[x + d] += gq * T[t + d];
        dX[x + d + 1] += gq * T[t + d + 1];
        dX[x + d + 2] += gq * T[t + d + 2];
        dX[x + d + 3] += gq * T[t + d + 3];
      }
      for (; d < dim; d++) dX[x + d] += gq * T[t + d];
    }
  }
  scatterUpdates(args, X, g, dX);
  return { loss, syn0: args.syn0, syn1: args.syn1 };
}
