import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
import { bucketGrid, relativePositionBucket, rmsNorm, T5Model } from './model.js';
import { makeConfig } from './config.js';

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

describe('relativePositionBucket', () => {
  // Hand-computed from T5's formula (32 buckets, max distance 128):
  // bidirectional: 16 buckets per sign, 8 exact; beyond: 8 + floor(log(r/8)/log(128/8) * 8).
  it('matches hand-computed bidirectional (encoder) buckets', () => {
    const cases: [number, number][] = [
      [0, 0], [1, 17], [-1, 1], [7, 23], [-7, 7],
      [8, 24], // 8 + floor(log(1)/log(16)*8) = 8, + 16
      [-20, 10], // log(2.5)/log(16)*8 = 2.64 → 8 + 2
      [20, 26],
      [-100, 15], // log(12.5)/log(16)*8 = 7.28 → 15
      [200, 31], // 8 + 9 = 17 → capped at 15, + 16
      [-1000, 15],
    ];
    for (const [rel, want] of cases) expect(relativePositionBucket(rel, true, 32, 128), `rel ${rel}`).toBe(want);
  });
  it('matches hand-computed causal (decoder) buckets', () => {
    // causal: only the past; 32 buckets, 16 exact; beyond: 16 + floor(log(r/16)/log(8)*16).
    const cases: [number, number][] = [
      [0, 0], [3, 0], [100, 0], [-1, 1], [-15, 15],
      [-20, 17], // log(1.25)/log(8)*16 = 1.72 → 17
      [-64, 26], // log(4)/log(8)*16 = 10.67 → 26
      [-127, 31], // 15.94 → 31
      [-500, 31],
    ];
    for (const [rel, want] of cases) expect(relativePositionBucket(rel, false, 32, 128), `rel ${rel}`).toBe(want);
  });
  it('lays out a grid as key - query', () => {
    expect([...bucketGrid(2, 3, true, 32, 128)]).toEqual([0, 17, 18, 1, 0, 17]);
  });
});

describe('rmsNorm', () => {
  it('equals x / sqrt(mean(x²) + eps) · w by hand', () => {
    const x = [3, -4, 0, 1];
    const w = [1, 2, 0.5, -1];
    const eps = 1e-6;
    const rms = Math.sqrt((9 + 16 + 0 + 1) / 4 + eps);
    const want = x.map((v, i) => (v / rms) * w[i]);
    const got = rmsNorm(tf.tensor2d([x]), tf.tensor1d(w), eps).dataSync();
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });

  it('its hand-written gradient equals autodiff of the plain formula (x and weight, random inputs)', () => {
    const rng = new Rng(8);
    const rand = (shape: number[]) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 2), shape);
    const x = rand([2, 3, 5]);
    const w = rand([5]);
    const dy = rand([2, 3, 5]);
    const eps = 1e-3;
    const plain = (x: tf.Tensor, w: tf.Tensor) => tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps))), w);
    const [wantX, wantW] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(plain(x, w), dy)))([x, w]);
    const [gotX, gotW] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(rmsNorm(x, w, eps), dy)))([x, w]);
    expect(gotX.shape).toEqual([2, 3, 5]);
    expect(gotW.shape).toEqual([5]);
    const a = [...gotX.dataSync(), ...gotW.dataSync()];
    const b = [...wantX.dataSync(), ...wantW.dataSync()];
    a.forEach((v, i) => expect(Math.abs(v - b[i]), `element ${i}`).toBeLessThan(1e-5 * (1 + Math.abs(b[i]))));
    expect(Math.max(...b.map(Math.abs))).toBeGreaterThan(0.1); // not vacuous
  });
});

describe('T5Model', () => {
  const config = makeConfig({ vocabSize: 30, dModel: 16, dKv: 4, numHeads: 2, dFf: 24, numLayers: 1, numDecoderLayers: 1, dropoutRate: 0 });

  it('loss equals the mean cross-entropy of its own logits over non-pad targets', () => {
    const model = new T5Model(config, { seed: 3 });
    const inputs = tf.tensor2d([[5, 6, 7, 1], [8, 9, 1, 0]], [2, 4], 'int32');
    const targets = tf.tensor2d([[10, 11, 1], [12, 1, 0]], [2, 3], 'int32');
    const loss = model.loss(inputs, targets).dataSync()[0];
    // Independent path: decode with explicit shifted inputs, softmax by hand in JS.
    const dec = tf.tensor2d([[0, 10, 11], [0, 12, 1]], [2, 3], 'int32');
    const hidden = model.decode(dec, model.encode(inputs));
    const logits = model.logits(tf.reshape(hidden, [6, 16]) as tf.Tensor2D).arraySync() as number[][];
    const want = [10, 11, 1, 12, 1, 0];
    let sum = 0;
    let n = 0;
    logits.forEach((row, i) => {
      if (want[i] === 0) return;
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += lse - row[want[i]];
      n++;
    });
    expect(loss).toBeCloseTo(sum / n, 4);
  });

  it('padding an input does not change its outputs', () => {
    const model = new T5Model(config, { seed: 4 });
    const dec = tf.tensor2d([[0, 10]], [1, 2], 'int32');
    const a = model.decode(dec, model.encode(tf.tensor2d([[5, 6, 1]], [1, 3], 'int32'))).dataSync();
    const b = model.decode(dec, model.encode(tf.tensor2d([[5, 6, 1, 0, 0]], [1, 5], 'int32'))).dataSync();
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 5));
  });

  it('representation augmentation adds alpha · W c to OOV tokens only', () => {
    const model = new T5Model(config, { seed: 5 });
    const rng = new Rng(1);
    const dim = 3;
    const centroids = Float32Array.from({ length: 2 * dim }, () => rng.normal());
    model.setAugmentation(Int32Array.from([20, 21]), centroids, dim);
    const ids = tf.tensor2d([[20, 4, 21]], [1, 3], 'int32');
    const got = model.embedEncoder(ids).arraySync() as number[][]; // rows [B·L, dModel]
    const E = model.weights.get('shared.weight')!.arraySync() as number[][];
    const W = model.weights.get('augment.W')!.arraySync() as number[][];
    const expectRow = (token: number, c: number[] | undefined) =>
      E[token].map((e, j) => e + (c ? 0.1 * c.reduce((s, ck, k) => s + ck * W[k][j], 0) : 0));
    const rows = [expectRow(20, [...centroids.slice(0, 3)]), expectRow(4, undefined), expectRow(21, [...centroids.slice(3)])];
    rows.forEach((row, t) => row.forEach((v, j) => expect(got[t][j]).toBeCloseTo(v, 5)));
  });

  it('folds beams onto their encoder row: grouped decode equals decoding with repeated encoder rows', () => {
    const model = new T5Model(config, { seed: 6 });
    const inputs = tf.tensor2d([[5, 6, 1], [7, 1, 0]], [2, 3], 'int32');
    const dec = tf.tensor2d([[0, 3], [0, 4], [0, 5], [0, 6]], [4, 2], 'int32');
    const grouped = model.decode(dec, model.encode(inputs)).dataSync();
    const repeated = tf.tensor2d([[5, 6, 1], [5, 6, 1], [7, 1, 0], [7, 1, 0]], [4, 3], 'int32');
    const plain = model.decode(dec, model.encode(repeated)).dataSync();
    plain.forEach((v, i) => expect(grouped[i]).toBeCloseTo(v, 5));
  });
});

describe('t5-small preset', () => {
  it('has the published parameter count of google-t5/t5-small (60,506,624 with its 32,128-token vocabulary)', async () => {
    const { expectedShapes } = await import('./hf.js');
    const { T5_SMALL } = await import('./config.js');
    let n = 0;
    for (const shape of expectedShapes({ ...T5_SMALL, vocabSize: 32128 }).values()) n += shape.reduce((a, b) => a * b, 1);
    expect(n).toBe(60_506_624);
  });
});
