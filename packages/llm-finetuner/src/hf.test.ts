import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
import { loadHfT5, saveHfT5 } from './hf.js';

// Fixtures written by tools/bench/finetuner/t5_torch.py (`fixture`): tiny random
// T5s in the HF layout and the logits/loss PyTorch computed for them.
const FIXTURES = join(__dirname, '../test-fixtures/hf-tiny');

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

describe('loadHfT5', () => {
  for (const name of ['relu-tied', 'gated-untied']) {
    it(`${name}: logits and loss match PyTorch on the same checkpoint`, () => {
      const dir = join(FIXTURES, name);
      const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
      const { model, tokenizer } = loadHfT5(dir);
      const inputs = tf.tensor2d(want.inputs, undefined, 'int32') as tf.Tensor2D;
      const hidden = model.decode(tf.tensor2d(want.decoder, undefined, 'int32') as tf.Tensor2D, model.encode(inputs));
      const [b, t, d] = hidden.shape;
      const logits = model.logits(tf.reshape(hidden, [b * t, d]) as tf.Tensor2D).dataSync();
      expect(logits.length).toBe(want.logits.length);
      let maxDiff = 0;
      want.logits.forEach((v: number, i: number) => (maxDiff = Math.max(maxDiff, Math.abs(v - logits[i]))));
      expect(maxDiff).toBeLessThan(1e-4);
      const loss = model.loss(inputs, tf.tensor2d(want.targets, undefined, 'int32') as tf.Tensor2D).dataSync()[0];
      expect(loss).toBeCloseTo(want.loss, 4);
      expect(tokenizer?.encode('w3 w7')).toEqual([6, 10]);
      expect(tokenizer?.vocabulary.eosId).toBe(1);
    });
  }

  for (const name of ['relu-tied', 'gated-untied']) {
    it(`${name}: gradients of the loss match PyTorch's for every parameter`, () => {
      const dir = join(FIXTURES, name);
      const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { inputs: number[][]; targets: number[][]; grads: Record<string, number[]> };
      const { model } = loadHfT5(dir);
      const names = model.trainableNames();
      const vars = names.map((n) => model.weights.get(n)!);
      const inputs = tf.tensor2d(want.inputs, undefined, 'int32') as tf.Tensor2D;
      const targets = tf.tensor2d(want.targets, undefined, 'int32') as tf.Tensor2D;
      const { grads } = tf.variableGrads(() => model.loss(inputs, targets), vars);
      expect(names.sort()).toEqual(Object.keys(want.grads).sort());
      let maxDiff = 0;
      let maxAbs = 0;
      vars.forEach((v, i) => {
        // Ours are [in, out] where an HF Linear is [out, in]: transpose back to compare.
        const g = grads[v.name];
        const hfLayout = v.shape.length === 2 && names[i] !== 'shared.weight' && !names[i].includes('relative_attention_bias') ? tf.transpose(g) : g;
        const got = hfLayout.dataSync();
        const ref = want.grads[names[i]];
        expect(got.length, names[i]).toBe(ref.length);
        ref.forEach((r, k) => {
          maxDiff = Math.max(maxDiff, Math.abs(r - got[k]));
          maxAbs = Math.max(maxAbs, Math.abs(r));
        });
      });
      expect(maxAbs).toBeGreaterThan(1e-2);
      expect(maxDiff).toBeLessThan(1e-4);
    });
  }

  it('round-trips through saveHfT5 bit for bit', () => {
    const { model } = loadHfT5(join(FIXTURES, 'gated-untied'));
    const out = mkdtempSync(join(tmpdir(), 'hf-'));
    saveHfT5(out, model);
    const again = loadHfT5(out).model;
    for (const name of model.trainableNames()) {
      expect(Buffer.from(again.weights.get(name)!.dataSync().buffer).equals(Buffer.from(model.weights.get(name)!.dataSync().buffer)), name).toBe(true);
    }
  });

  it('names a missing folder', () => {
    expect(() => loadHfT5('/nonexistent/t5')).toThrow(/no config.json/);
  });
});
