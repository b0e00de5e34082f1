/** Gather and scatter steps the data-parallel backends share (they compute on gathered rows; the weights stay in JS). */
import { logSigmoid, sigmoid, type SkipGramBatchArgs } from './types.js';

/** X: B × dim input rows; T: B·(K+1) × dim target rows. */
export function gatherRows(args: SkipGramBatchArgs): { X: Float32Array; T: Float32Array } {
  const { dim, syn0, syn1, inputs, targets } = args;
  const X = new Float32Array(inputs.length * dim);
  const T = new Float32Array(targets.length * dim);
  for (let b = 0; b < inputs.length; b++) X.set(syn0.subarray(inputs[b] * dim, inputs[b] * dim + dim), b * dim);
  for (let q = 0; q < targets.length; q++) T.set(syn1.subarray(targets[q] * dim, targets[q] * dim + dim), q * dim);
  return { X, T };
}

/** Scores → gradient scales g (in place over a copy) and the loss. */
export function scoresToGradients(scores: ArrayLike<number>, K1: number, alpha: number): { g: Float32Array; loss: number } {
  const g = new Float32Array(scores.length);
  let loss = 0;
  for (let q = 0; q < scores.length; q++) {
    const s = scores[q];
    const positive = q % K1 === 0;
    g[q] = ((positive ? 1 : 0) - sigmoid(s)) * alpha;
    loss -= positive ? logSigmoid(s) : logSigmoid(-s);
  }
  return { g, loss };
}

/**
 * Applies dX (B × dim, the summed input-row gradients) and g·X to the target
 * rows. Reads X (the gathered old input rows), so it is safe after syn0 changed.
 */
export function scatterUpdates(args: SkipGramBatchArgs, X: Float32Array, g: Float32Array, dX: ArrayLike<number>): void {
  const { dim, syn0, syn1, inputs, targets } = args;
  const K1 = args.negative + 1;
  for (let q = 0; q < targets.length; q++) {
    const t = targets[q] * dim;
    const x = ((q / K1) | 0) * dim;
    const gq = g[q];
    for (let d = 0; d < dim; d++) syn1[t + d] += gq * X[x + d];
  }
  for (let b = 0; b < inputs.length; b++) {
    const i = inputs[b] * dim;
    for (let d = 0; d < dim; d++) syn0[i + d] += dX[b * dim + d];
  }
}
