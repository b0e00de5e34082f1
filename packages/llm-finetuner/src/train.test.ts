import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjs } from '@meta-id/kernels';
import { generateSyntheticDataset, leaveOneOutSplit, userSequences } from '@meta-id/core';
import { T5Model } from './model.js';
import { makeConfig } from './config.js';
import { evaluationSources, PromptEncoder, promptTexts, trainingSources } from './prompts.js';
import { ItemTrie } from './trie.js';
import { trainModel } from './train.js';
import { recommend } from './generate.js';
import { categoryCodes, TestWordTokenizer } from './test-support/word-tokenizer.js';

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

function setup(users: number, items: number, seed: number) {
  const data = generateSyntheticDataset({ seed, users, items, categories: 4, communities: 4, maxLength: 12, reviews: false });
  const split = leaveOneOutSplit(data);
  const codes = categoryCodes(data.truth!.itemCategory);
  const tokenizer = new TestWordTokenizer([...promptTexts(), ...data.users.ids.map((u) => `user_${u}`)], codes.flat());
  const encoder = new PromptEncoder({ tokenizer, itemCodes: codes, userIds: data.users.ids });
  return { data, split, codes, tokenizer, encoder, trie: ItemTrie.fromTokens(codes, tokenizer) };
}

const quiet = () => {};

describe('trainModel', () => {
  it('resumed from a mid-run checkpoint ends with weights identical to an uninterrupted run', async () => {
    const { split, tokenizer, encoder } = setup(24, 40, 1);
    const sources = trainingSources(split);
    const config = makeConfig({ vocabSize: tokenizer.vocabulary.tokens.length, dModel: 16, dKv: 8, numHeads: 2, dFf: 32, numLayers: 1, numDecoderLayers: 1, dropoutRate: 0.1 });
    // ~7 batches per epoch: the interrupted run stops inside epoch 1 and resumes across the epoch boundary.
    const options = { epochs: 2, batchSize: 16, lr: 3e-3, warmupSteps: 3, seed: 5, log: quiet, checkpointEvery: 0 };
    const whole = new T5Model(config, { seed: 1 });
    const a = await trainModel(whole, encoder, sources, { ...options, maxSteps: 10 });
    const dir = mkdtempSync(join(tmpdir(), 'resume-'));
    const first = new T5Model(config, { seed: 1 });
    await trainModel(first, encoder, sources, { ...options, maxSteps: 4, checkpointDir: dir });
    const resumed = new T5Model(config, { seed: 99 }); // different init: everything must come from the checkpoint
    const b = await trainModel(resumed, encoder, sources, { ...options, maxSteps: 10, resumeFrom: join(dir, 'last') });
    expect(a.state.step).toBe(10);
    expect(b.state.step).toBe(10);
    expect(a.state.epoch).toBe(1);
    expect(b.state.epoch).toBe(a.state.epoch);
    for (const name of whole.trainableNames()) {
      const x = Buffer.from(whole.weights.get(name)!.dataSync().buffer);
      const y = Buffer.from(resumed.weights.get(name)!.dataSync().buffer);
      expect(x.equals(y), name).toBe(true);
    }
  }, 150_000);

  it('a tiny model learns the synthetic data well above popularity (HR@10 on the test split)', async () => {
    const { data, split, tokenizer, encoder, trie } = setup(150, 40, 2);
    const sources = trainingSources(split);
    const config = makeConfig({ vocabSize: tokenizer.vocabulary.tokens.length, dModel: 32, dKv: 8, numHeads: 4, dFf: 64, numLayers: 1, numDecoderLayers: 1, dropoutRate: 0 });
    const model = new T5Model(config, { seed: 3 });
    await trainModel(model, encoder, sources, { epochs: 5, batchSize: 48, lr: 1e-2, warmupSteps: 5, seed: 1, log: quiet, checkpointEvery: 0 });
    const test = evaluationSources(split, 'test');
    const recs = recommend(model, test.map((s) => encoder.encode(s, -1).input), trie, { beamSize: 10 });
    const hr = recs.filter((r, i) => r.items.includes(test[i].item)).length / test.length;
    // Popularity: the 10 most frequent training items for everyone.
    const counts = new Map<number, number>();
    for (const x of split.train) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
    const popular = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([i]) => i);
    const popHr = test.filter((s) => popular.includes(s.item)).length / test.length;
    console.log(`synthetic (150 users, 40 items): model HR@10 ${hr.toFixed(3)} vs popularity ${popHr.toFixed(3)}`);
    expect(userSequences(split.train, data.users.size).length).toBe(150);
    expect(hr).toBeGreaterThan(popHr * 1.5);
    expect(hr).toBeGreaterThan(popHr + 0.1);
  }, 150_000);
});
