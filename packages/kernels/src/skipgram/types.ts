/**
 * "A batch of skip-gram updates" (skip-gram with negative sampling, Mikolov
 * et al., NIPS 2013) as a data-parallel kernel: B (input, targets) pairs are
 * scored against the weights as they were before the batch and all their
 * gradients are applied together (mini-batch SGD). This is the form GPUs and
 * tensor libraries run well; word2vec/gensim's sequential Hogwild loop (the
 * interaction-embedder's worker-thread trainer) applies each pair before the
 * next, which is a different (and on CPUs faster) schedule of the same
 * updates.
 *
 * For pair b with input row i_b and target rows t_b0 (the true word) and
 * t_b1..t_bK (negatives):
 *   s_bk = syn0[i_b] · syn1[t_bk]                 (weights before the batch)
 *   g_bk = (label_k − σ(s_bk)) · alpha,           label_0 = 1, label_k>0 = 0
 *   syn0[i_b]  += Σ_k g_bk · syn1[t_bk]
 *   syn1[t_bk] += g_bk · syn0[i_b]                (repeated rows: summed)
 *   loss = Σ_b [ −log σ(s_b0) − Σ_{k≥1} log σ(−s_bk) ]
 * with the exact logistic function (no table, no clipping).
 */

export interface SkipGramBatchArgs {
  dim: number;
  /** Input vectors, rows × dim; updated in place. */
  syn0: Float32Array;
  /** Output vectors, rows × dim; updated in place. */
  syn1: Float32Array;
  /** B input rows (the context words). */
  inputs: Int32Array;
  /** B × (1 + negative) output rows: per pair the true word, then the negatives. */
  targets: Int32Array;
  negative: number;
  alpha: number;
}

export interface SkipGramBatchResult {
  /** Negative-sampling loss of the batch before the update (sum over pairs). */
  loss: number;
  /** The updated arrays (the same objects as the arguments). */
  syn0: Float32Array;
  syn1: Float32Array;
}

export type SkipGramBatchKernel = (args: SkipGramBatchArgs) => Promise<SkipGramBatchResult> | SkipGramBatchResult;

/** Checks the shapes of a call and says which argument is wrong. */
export function checkSkipGramArgs(a: SkipGramBatchArgs): void {
  const { dim, syn0, syn1, inputs, targets, negative } = a;
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`skip-gram batch: dim must be a positive integer (got ${dim})`);
  if (!Number.isInteger(negative) || negative < 0) throw new RangeError(`skip-gram batch: negative must be an integer ≥ 0 (got ${negative})`);
  if (syn0.length % dim !== 0 || syn1.length % dim !== 0) throw new RangeError(`skip-gram batch: syn0/syn1 lengths must be multiples of dim ${dim}`);
  if (targets.length !== inputs.length * (1 + negative)) {
    throw new RangeError(`skip-gram batch: targets has ${targets.length} rows, need inputs × (1 + negative) = ${inputs.length * (1 + negative)}`);
  }
  const r0 = syn0.length / dim;
  const r1 = syn1.length / dim;
  for (let b = 0; b < inputs.length; b++) {
    if (!(inputs[b] >= 0 && inputs[b] < r0)) throw new RangeError(`skip-gram batch: inputs[${b}] = ${inputs[b]} is outside [0, ${r0})`);
  }
  for (let q = 0; q < targets.length; q++) {
    if (!(targets[q] >= 0 && targets[q] < r1)) throw new RangeError(`skip-gram batch: targets[${q}] = ${targets[q]} is outside [0, ${r1})`);
  }
}

/** log σ(x), stable for large |x|. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
