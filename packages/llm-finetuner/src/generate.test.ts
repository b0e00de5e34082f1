import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
import { T5Model } from './model.js';
import { makeConfig } from './config.js';
import { ItemTrie } from './trie.js';
import { generateText, recommend } from './generate.js';

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

/**
 * Exact log-probability of every item's code by teacher forcing all codes at
 * once (no beam search involved). Codes here all have 2 tokens.
 */
function bruteForceScores(model: T5Model, input: number[], codes: number[][]): number[] {
  return tf.tidy(() => {
    const enc = model.encode(tf.tensor2d([input], undefined, 'int32') as tf.Tensor2D);
    const rows = codes.map((c) => [0, c[0]]);
    const hidden = model.decode(tf.tensor2d(rows, undefined, 'int32') as tf.Tensor2D, enc);
    const logp = tf.logSoftmax(model.logits(tf.reshape(hidden, [codes.length * 2, model.config.dModel]) as tf.Tensor2D)).arraySync() as number[][];
    return codes.map((c, i) => logp[2 * i][c[0]] + logp[2 * i + 1][c[1]]);
  });
}

describe('recommend (trie-constrained beam search)', () => {
  const config = makeConfig({ vocabSize: 40, dModel: 16, dKv: 4, numHeads: 2, dFf: 32, numLayers: 1, numDecoderLayers: 1, dropoutRate: 0 });
  let model: T5Model;
  beforeAll(() => {
    model = new T5Model(config, { seed: 11 });
  });
  const rng = new Rng(5);
  // 30 items with 2-token codes (first token 3..8, second 10..39), all distinct.
  const codes: number[][] = [];
  const seen = new Set<string>();
  while (codes.length < 30) {
    const c = [3 + rng.int(6), 10 + rng.int(30)];
    if (!seen.has(c.join())) {
      seen.add(c.join());
      codes.push(c);
    }
  }
  const trie = new ItemTrie(codes);
  const inputs = [[4, 5, 6, 1], [7, 8, 1], [9, 1]];

  it('returns distinct valid items sorted by score, and with a full-width beam exactly the brute-force top 10', () => {
    // Beam as wide as the catalogue: beam search becomes exhaustive, so it must equal brute force.
    const recs = recommend(model, inputs, trie, { beamSize: 30, topK: 10, batchSize: 2 });
    recs.forEach((r, u) => {
      expect(r.items).toHaveLength(10);
      expect(new Set(r.items).size).toBe(10);
      r.items.forEach((i) => expect(i >= 0 && i < codes.length).toBe(true));
      for (let k = 1; k < r.scores.length; k++) expect(r.scores[k]).toBeLessThanOrEqual(r.scores[k - 1]);
      const exact = bruteForceScores(model, inputs[u], codes);
      const order = exact.map((s, i) => [s, i]).sort((a, b) => b[0] - a[0]).slice(0, 10);
      expect(r.items).toEqual(order.map((x) => x[1]));
      r.scores.forEach((s, k) => expect(s).toBeCloseTo(order[k][0], 4));
    });
  });

  it('with a narrow beam still returns only valid, distinct items with their exact scores', () => {
    const recs = recommend(model, inputs, trie, { beamSize: 5 });
    recs.forEach((r, u) => {
      expect(new Set(r.items).size).toBe(r.items.length);
      const exact = bruteForceScores(model, inputs[u], codes);
      r.items.forEach((item, k) => expect(r.scores[k]).toBeCloseTo(exact[item], 4));
    });
  });

  it('never returns excluded items', () => {
    const first = recommend(model, [inputs[0]], trie, { beamSize: 10 })[0];
    const exclude = first.items.slice(0, 4);
    const again = recommend(model, [inputs[0]], trie, { beamSize: 10, exclude: [exclude] })[0];
    expect(again.items.some((i) => exclude.includes(i))).toBe(false);
    expect(again.items.slice(0, 6)).toEqual(first.items.slice(4, 10));
  });

  it('handles codes of different lengths (one a prefix of another) with eos', () => {
    const mixed = new ItemTrie([[3], [3, 12], [4, 13, 14]]);
    const r = recommend(model, [inputs[0]], mixed, { beamSize: 3 })[0];
    expect(r.items.sort()).toEqual([0, 1, 2]);
  });
});

describe('generateText', () => {
  let model: T5Model;
  beforeAll(() => {
    model = new T5Model(makeConfig({ vocabSize: 20, dModel: 8, dKv: 4, numHeads: 2, dFf: 16, numLayers: 1, numDecoderLayers: 1, dropoutRate: 0 }), { seed: 2 });
  });

  it('greedy decoding picks the argmax at every step', () => {
    const [out] = generateText(model, [[3, 4, 1]], { maxLength: 4 });
    // Re-derive step by step with teacher forcing.
    const prefix = [0];
    for (const token of out) {
      const next = tf.tidy(() => {
        const h = model.decode(tf.tensor2d([prefix], undefined, 'int32') as tf.Tensor2D, model.encode(tf.tensor2d([[3, 4, 1]], undefined, 'int32') as tf.Tensor2D));
        const last = tf.slice(tf.reshape(h, [prefix.length, 8]), [prefix.length - 1, 0], [1, 8]);
        return tf.argMax(model.logits(last as tf.Tensor2D), -1).dataSync()[0];
      });
      expect(token).toBe(next);
      prefix.push(token);
    }
  });

  it('sampling is reproducible from its seed', () => {
    const a = generateText(model, [[3, 4, 1], [5, 1]], { strategy: 'sample', seed: 9, maxLength: 6 });
    const b = generateText(model, [[3, 4, 1], [5, 1]], { strategy: 'sample', seed: 9, maxLength: 6 });
    expect(a).toEqual(b);
  });
});
