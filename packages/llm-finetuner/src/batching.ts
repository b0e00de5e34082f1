/**
 * Length-bucketed batches: examples of similar input length share a batch, so
 * little compute goes to padding, while the order of batches stays random.
 */
import type { Rng } from '@meta-id/core';
import type { EncodedExample } from './prompts.js';

/** A padded batch, row-major. */
export interface Batch {
  size: number;
  inputLength: number;
  targetLength: number;
  /** `size × inputLength`, padded with padId. */
  inputs: Int32Array;
  /** `size × targetLength`, padded with padId. */
  targets: Int32Array;
  /** Real (non-pad) input + target tokens. */
  tokens: number;
}

/** Pads examples into one batch. */
export function makeBatch(examples: readonly EncodedExample[], padId: number): Batch {
  const inputLength = Math.max(1, ...examples.map((e) => e.input.length));
  const targetLength = Math.max(1, ...examples.map((e) => e.target.length));
  const inputs = new Int32Array(examples.length * inputLength).fill(padId);
  const targets = new Int32Array(examples.length * targetLength).fill(padId);
  let tokens = 0;
  examples.forEach((e, i) => {
    inputs.set(e.input, i * inputLength);
    targets.set(e.target, i * targetLength);
    tokens += e.input.length + e.target.length;
  });
  return { size: examples.length, inputLength, targetLength, inputs, targets, tokens };
}

/**
 * Shuffles `examples`, sorts each window of `bucketBatches × batchSize` by
 * input length, cuts it into batches and shuffles the batch order (the
 * "bucket by sequence length" of tf.data / fairseq). Deterministic given `rng`.
 */
export function bucketedBatches<T extends { input: ArrayLike<number> }>(
  examples: readonly T[],
  batchSize: number,
  rng: Rng,
  bucketBatches = 50,
): T[][] {
  const order = rng.shuffle(examples.slice());
  const window = batchSize * Math.max(1, bucketBatches);
  const batches: T[][] = [];
  for (let start = 0; start < order.length; start += window) {
    const chunk = order.slice(start, start + window).sort((a, b) => a.input.length - b.input.length);
    for (let b = 0; b < chunk.length; b += batchSize) batches.push(chunk.slice(b, b + batchSize));
  }
  return rng.shuffle(batches);
}
