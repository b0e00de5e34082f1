import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
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

  it('the fused update equals the per-tensor textbook AdamW over several steps (clipping, decay, no-decay names)', () => {
    const rng = new Rng(11);
    const shapes: Record<string, number[]> = { 'a.weight': [3, 5], 'b.layer_norm.weight': [7], 'c.weight': [4, 2, 3] };
    const names = Object.keys(shapes);
    const size = (n: string) => shapes[n].reduce((x, y) => x * y, 1);
    const init = Object.fromEntries(names.map((n) => [n, Array.from({ length: size(n) }, () => rng.normal())]));
    const vars = new Map(names.map((n) => [n, tf.variable(tf.tensor(init[n], shapes[n]))]));
    const o = { lr: 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, clipNorm: 2, warmupSteps: 2, totalSteps: 6 };
    const opt = new AdamW(o);
    // Reference: the algorithm as written in Loshchilov & Hutter (Alg. 2) in float64, one tensor at a time.
    const p = Object.fromEntries(names.map((n) => [n, init[n].slice()]));
    const m = Object.fromEntries(names.map((n) => [n, new Array(size(n)).fill(0)]));
    const v = Object.fromEntries(names.map((n) => [n, new Array(size(n)).fill(0)]));
    for (let t = 1; t <= 5; t++) {
      // Large gradients on odd steps so clipping is exercised both ways.
      const grads = Object.fromEntries(names.map((n) => [n, Array.from({ length: size(n) }, () => rng.normal() * (t % 2 ? 3 : 0.1))]));
      const norm = Math.sqrt(names.reduce((s, n) => s + grads[n].reduce((a, x) => a + x * x, 0), 0));
      const clip = norm > o.clipNorm ? o.clipNorm / norm : 1;
      const lr = t <= 2 ? (o.lr * t) / 2 : o.lr * (1 - (t - 2) / 4);
      for (const n of names) {
        for (let i = 0; i < size(n); i++) {
          const g = grads[n][i] * clip;
          m[n][i] = o.beta1 * m[n][i] + (1 - o.beta1) * g;
          v[n][i] = o.beta2 * v[n][i] + (1 - o.beta2) * g * g;
          const mHat = m[n][i] / (1 - o.beta1 ** t);
          const vHat = v[n][i] / (1 - o.beta2 ** t);
          const wd = n.includes('layer_norm') ? 0 : o.weightDecay;
          p[n][i] = p[n][i] - lr * (mHat / (Math.sqrt(vHat) + o.eps) + wd * p[n][i]);
        }
      }
      const got = opt.apply(vars, Object.fromEntries(names.map((n) => [n, tf.tensor(grads[n], shapes[n])])));
      expect(got.gradNorm).toBeCloseTo(norm, 4);
      expect(got.lr).toBeCloseTo(lr, 10);
      for (const n of names) {
        const w = vars.get(n)!;
        expect(w.shape).toEqual(shapes[n]);
        const a = w.dataSync();
        for (let i = 0; i < size(n); i++) expect(Math.abs(a[i] - p[n][i]), `${n}[${i}] at step ${t}`).toBeLessThan(1e-5 * (1 + Math.abs(p[n][i])));
      }
    }
  });
});
