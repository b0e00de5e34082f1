import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
import { AdamW, learningRate, resolveAdamW } from './adamw.js';

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

describe('AdamW', () => {
  it('one step matches the hand-computed decoupled update', () => {
    // m = 0.1·0.5 = 0.05, m̂ = 0.5; v = 0.001·0.25, v̂ = 0.25; update = 0.5 / (0.5 + 1e-8) ≈ 1
    // p = 1·(1 - 0.1·0.01) - 0.1·1 = 0.899
    const p = tf.variable(tf.tensor1d([1]));
    const opt = new AdamW({ lr: 0.1, warmupSteps: 0, weightDecay: 0.01, clipNorm: 0 });
    opt.apply(new Map([['w', p]]), { w: tf.tensor1d([0.5]) });
    expect(p.dataSync()[0]).toBeCloseTo(0.899, 6);
  });

  it('clips the global gradient norm and does not decay norms', () => {
    const a = tf.variable(tf.tensor1d([0, 0]));
    const n = tf.variable(tf.tensor1d([1]));
    const opt = new AdamW({ lr: 0.1, warmupSteps: 0, weightDecay: 0.5, clipNorm: 1, beta1: 0, beta2: 0 });
    const { gradNorm } = opt.apply(new Map([['a', a], ['x.layer_norm.weight', n]]), { a: tf.tensor1d([3, 4]), 'x.layer_norm.weight': tf.tensor1d([0]) });
    expect(gradNorm).toBeCloseTo(5, 6);
    // beta = 0: update = g / |g| = sign(g) → a = -0.1 each; the norm weight keeps 1 (no decay, zero grad).
    const got = a.dataSync();
    expect(got[0]).toBeCloseTo(-0.1, 5);
    expect(got[1]).toBeCloseTo(-0.1, 5);
    expect(n.dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('warms up linearly, then decays linearly to the floor', () => {
    const o = resolveAdamW({ lr: 1, warmupSteps: 10, totalSteps: 110, minLrRatio: 0 });
    expect(learningRate(5, o)).toBeCloseTo(0.5);
    expect(learningRate(10, o)).toBeCloseTo(1);
    expect(learningRate(60, o)).toBeCloseTo(0.5);
    expect(learningRate(110, o)).toBeCloseTo(0);
    expect(learningRate(500, o)).toBeCloseTo(0);
  });
});
