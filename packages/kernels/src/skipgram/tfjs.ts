/**
 * tfjs backend of the skip-gram batch kernel: gathered rows go to the device
 * as X [B, 1, D] and T [B, K+1, D]; scores are a broadcast multiply and a sum
 * over D → [B, K+1]; gradient scales g and the loss are elementwise ops;
 * dX = Σ_k g · T → [B, D]. JS scatters the updates (tfjs has no in-place
 * scatter-add into a resident array that beats it here).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '../tfjs-backend.js';
import { gatherRows, scatterUpdates } from './shared.js';
import { checkSkipGramArgs, type SkipGramBatchKernel } from './types.js';

export type TfjsSkipGramBackend = 'tensorflow' | 'wasm' | 'cpu';

export async function createTfjsSkipGram(backend: TfjsSkipGramBackend): Promise<SkipGramBatchKernel> {
  const info = await initTfjs(backend, { quiet: true });
  if (info.backend !== backend) throw new Error(`tfjs backend ${backend} unavailable (got ${info.backend})`);
  return async (args) => {
    checkSkipGramArgs(args);
    if (tf.getBackend() !== backend) await tf.setBackend(backend);
    const { dim, inputs, negative, alpha } = args;
    const K1 = negative + 1;
    const B = inputs.length;
    if (B === 0) return { loss: 0, syn0: args.syn0, syn1: args.syn1 };
    const { X, T } = gatherRows(args);
    const labels = new Float32Array(B * K1);
    for (let b = 0; b < B; b++) labels[b * K1] = 1;
    // tidy returns tensors only: returning the typed arrays would make it walk every element looking for tensors.
    const outs = tf.tidy(() => {
      const x = tf.tensor3d(X, [B, 1, dim]);
      const t = tf.tensor3d(T, [B, K1, dim]);
      // B·(K+1) dot products of length dim: broadcast multiply and sum over D.
      const s = tf.sum(tf.mul(t, x), 2);
      const y = tf.tensor2d(labels, [B, K1]);
      // g = (label − σ(s)) · alpha; loss = −Σ log σ(±s) with sign +1 for the true word, −1 for negatives.
      const g = tf.mul(tf.sub(y, tf.sigmoid(s)), alpha);
      const sign = tf.sub(tf.mul(y, 2), 1);
      const loss = tf.neg(tf.sum(tf.logSigmoid(tf.mul(sign, s))));
      const dX = tf.sum(tf.mul(tf.reshape(g, [B, K1, 1]), t), 1); // [B, D]
      return [g, dX, loss];
    });
    const [gData, dXData, lossData] = outs.map((t) => t.dataSync() as Float32Array);
    tf.dispose(outs);
    scatterUpdates(args, X, gData, dXData);
    return { loss: lossData[0], syn0: args.syn0, syn1: args.syn1 };
  };
}
