/** Plain TypeScript reference of the skip-gram batch kernel: the formulas of types.ts, written out in float64. */
import { checkSkipGramArgs, logSigmoid, sigmoid, type SkipGramBatchArgs, type SkipGramBatchResult } from './types.js';

export function skipGramBatchReference(args: SkipGramBatchArgs): SkipGramBatchResult {
  checkSkipGramArgs(args);
  const { dim, syn0, syn1, inputs, targets, negative, alpha } = args;
  const K1 = negative + 1;
  const B = inputs.length;
  const g = new Float64Array(B * K1);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K1; k++) {
      const i = inputs[b] * dim;
      const t = targets[b * K1 + k] * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) s += syn0[i + d] * syn1[t + d];
      g[b * K1 + k] = ((k === 0 ? 1 : 0) - sigmoid(s)) * alpha;
      loss -= k === 0 ? logSigmoid(s) : logSigmoid(-s);
    }
  }
  // Gradients from the old weights, summed per row, then applied.
  const d0 = new Map<number, Float64Array>();
  const d1 = new Map<number, Float64Array>();
  const acc = (m: Map<number, Float64Array>, row: number) => {
    let v = m.get(row);
    if (!v) m.set(row, (v = new Float64Array(dim)));
    return v;
  };
  for (let b = 0; b < B; b++) {
    const i = inputs[b];
    for (let k = 0; k < K1; k++) {
      const t = targets[b * K1 + k];
      const gk = g[b * K1 + k];
      const a0 = acc(d0, i);
      const a1 = acc(d1, t);
      for (let d = 0; d < dim; d++) {
        a0[d] += gk * syn1[t * dim + d];
        a1[d] += gk * syn0[i * dim + d];
      }
    }
  }
  for (const [row, v] of d0) for (let d = 0; d < dim; d++) syn0[row * dim + d] += v[d];
  for (const [row, v] of d1) for (let d = 0; d < dim; d++) syn1[row * dim + d] += v[d];
  return { loss, syn0, syn1 };
}
