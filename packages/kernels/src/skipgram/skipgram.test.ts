import { describe, expect, it } from 'vitest';
import { skipGramBatchReference } from './reference.js';
import { skipGramBatchTypescript } from './typescript-fast.js';
import { chooseSkipGramKernel, createSkipGramKernel, randomSkipGramArgs, skipGramAgrees, type SkipGramBackend } from './choose.js';
import type { SkipGramBatchArgs } from './types.js';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe('skip-gram batch reference', () => {
  it('matches a hand-computed batch', () => {
    // dim 2, one pair: input row 0 = (1, 0); true word row 0 = (0.5, 0), negative row 1 = (0, 2); alpha 0.5.
    const args: SkipGramBatchArgs = {
      dim: 2,
      syn0: Float32Array.from([1, 0, 0, 0]),
      syn1: Float32Array.from([0.5, 0, 0, 2]),
      inputs: Int32Array.from([0]),
      targets: Int32Array.from([0, 1]),
      negative: 1,
      alpha: 0.5,
    };
    // s0 = 0.5, s1 = 0; g0 = (1 − σ(0.5))·0.5, g1 = (0 − 0.5)·0.5 = −0.25.
    const g0 = (1 - sig(0.5)) * 0.5;
    const r = skipGramBatchReference(args);
    expect(r.loss).toBeCloseTo(-Math.log(sig(0.5)) - Math.log(sig(-0)), 6);
    // syn0[0] += g0·(0.5, 0) + g1·(0, 2); syn1[0] += g0·(1, 0); syn1[1] += g1·(1, 0).
    expect(r.syn0[0]).toBeCloseTo(1 + g0 * 0.5, 6);
    expect(r.syn0[1]).toBeCloseTo(-0.5, 6);
    expect(r.syn1[0]).toBeCloseTo(0.5 + g0, 6);
    expect(r.syn1[1]).toBeCloseTo(0, 6);
    expect(r.syn1[2]).toBeCloseTo(-0.25, 6);
    expect(r.syn1[3]).toBeCloseTo(2, 6);
  });

  it('sums the updates of repeated rows, all from the old weights', () => {
    // Two identical pairs: the update is exactly twice a single pair's (not applied one after the other).
    const one = randomSkipGramArgs(4, 3, 1, 2, 5);
    const two: SkipGramBatchArgs = {
      ...one,
      syn0: one.syn0.slice(),
      syn1: one.syn1.slice(),
      inputs: Int32Array.from([one.inputs[0], one.inputs[0]]),
      targets: Int32Array.from([...one.targets, ...one.targets]),
    };
    const before0 = one.syn0.slice();
    const before1 = one.syn1.slice();
    const r1 = skipGramBatchReference(one);
    const r2 = skipGramBatchReference(two);
    for (let i = 0; i < before0.length; i++) expect(r2.syn0[i] - before0[i]).toBeCloseTo(2 * (r1.syn0[i] - before0[i]), 6);
    for (let i = 0; i < before1.length; i++) expect(r2.syn1[i] - before1[i]).toBeCloseTo(2 * (r1.syn1[i] - before1[i]), 6);
    expect(r2.loss).toBeCloseTo(2 * r1.loss, 6);
  });

  it('names the wrong argument', () => {
    const a = randomSkipGramArgs(4, 3, 2, 1);
    expect(() => skipGramBatchReference({ ...a, targets: new Int32Array(3) })).toThrow(/targets has 3 rows, need inputs × \(1 \+ negative\) = 4/);
    expect(() => skipGramBatchReference({ ...a, inputs: Int32Array.from([0, 9]) })).toThrow(/inputs\[1\] = 9/);
    expect(() => skipGramBatchReference({ ...a, dim: 0 })).toThrow(/dim/);
  });

  it('lowers the loss when applied repeatedly (a small learning check)', () => {
    const a = randomSkipGramArgs(40, 8, 10, 3, 2);
    a.alpha = 0.1;
    const first = skipGramBatchReference(a).loss;
    let last = first;
    for (let k = 0; k < 50; k++) last = skipGramBatchReference(a).loss;
    expect(last).toBeLessThan(0.5 * first);
  });
});

const ALL: SkipGramBackend[] = ['typescript', 'tfjs-tensorflow', 'tfjs-wasm', 'tfjs-cpu', 'gpu.js-webasm', 'gpu.js-async', 'gpu.js-cpu', 'gpu.js-gpu'];

describe.each(ALL)('skip-gram batch backend %s', (backend) => {
  it('agrees with the reference on random batches (float32 tolerances)', async (ctx) => {
    let kernel;
    try {
      kernel = backend === 'typescript' ? skipGramBatchTypescript : await createSkipGramKernel(backend);
    } catch (e) {
      // Unavailable here (no GL context for gpu.js-gpu, no libtensorflow for tfjs-tensorflow): say why and skip.
      console.warn(`skip-gram backend ${backend} unavailable: ${(e as Error).message}`);
      ctx.skip();
      return;
    }
    for (const [rows, dim, pairs, negative, seed, scale] of [
      [50, 19, 300, 5, 7, 3],
      [10, 64, 200, 2, 8, 1], // few rows: heavy repetition
      [200, 4, 1, 0, 9, 1], // one pair, no negatives
      [300, 33, 500, 7, 10, 6], // large scores: saturated sigmoids
    ]) {
      const ref = skipGramBatchReference(randomSkipGramArgs(rows, dim, pairs, negative, seed, scale));
      const got = await kernel(randomSkipGramArgs(rows, dim, pairs, negative, seed, scale));
      expect(skipGramAgrees(ref, got)).toBeUndefined();
    }
  });
});

describe('chooseSkipGramKernel', () => {
  it('picks an agreeing backend and reports every timing', async () => {
    const s = await chooseSkipGramKernel({
      backends: ['typescript', 'gpu.js-cpu', 'gpu.js-gpu'],
      timeShape: { rows: 2000, dim: 16, pairs: 256, negative: 5 },
      reps: 1,
      quiet: true,
    });
    expect(['typescript-reference', 'typescript', 'gpu.js-cpu']).toContain(s.backend);
    expect(s.timings.map((t) => t.backend)).toEqual(['typescript-reference', 'typescript', 'gpu.js-cpu', 'gpu.js-gpu']);
    expect(s.timings.find((t) => t.backend === 'gpu.js-gpu')?.error).toMatch(/GL/);
    const a = randomSkipGramArgs(30, 16, 40, 5, 3);
    const ref = skipGramBatchReference(randomSkipGramArgs(30, 16, 40, 5, 3));
    expect(skipGramAgrees(ref, await s.run(a))).toBeUndefined();
  });
});
