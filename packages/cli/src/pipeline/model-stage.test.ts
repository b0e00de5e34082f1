import { describe, expect, it } from 'vitest';
import { entityKey, generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { collaborativeIds, randomIds, sequentialIds } from '@meta-id/token-clusterer';
import { resolveConfig } from './config.js';
import { schemeVocabulary } from './model-stage.js';

describe('schemeVocabulary', () => {
  // Enough items that CID numbers reach two digits at the pipeline's default 16 clusters per level and leaves of 64.
  const dataset = generateSyntheticDataset({ users: 400, items: 1500, categories: 8, communities: 8, seed: 5 });
  const split = leaveOneOutSplit(dataset);
  const config = resolveConfig({ model: { overrides: { dModel: 16, dKv: 4, numHeads: 4 } } });

  it.each([
    ['cid', collaborativeIds({ clustersPerLevel: config.codes.cidClustersPerLevel, leafSize: config.codes.cidLeafSize })],
    ['sequential', sequentialIds],
    ['random', randomIds],
  ] as const)('the %s codebook reads back: every item and user code text encodes to exactly its tokens', async (_, scheme) => {
    const codebook = await scheme.assign({ split, itemIds: dataset.items.ids, seed: 1 });
    const { built, userCodes } = schemeVocabulary(codebook, dataset, config);
    const vocab = built.tokenizer.vocabulary.tokens;
    const readBack = (code: readonly string[]) => built.tokenizer.encode(code.join('')).map((id) => vocab[id]);
    for (const raw of dataset.items.ids) {
      const code = codebook.codes[entityKey('item', raw)];
      expect(readBack(code)).toEqual(code);
    }
    expect(userCodes).toHaveLength(dataset.users.size);
    for (const code of userCodes) expect(readBack(code)).toEqual(code);
    // User numbers are written in full: 400 users, 3 digits, in tokens as wide as the item tokens.
    expect(userCodes[122].join('')).toMatch(/^0*123$/);
  });
});
