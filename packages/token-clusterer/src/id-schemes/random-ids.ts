import { Rng } from '@meta-id/core';
import { codebookFromItemCodes } from './codebook-from-codes.js';
import { digitTokens, type ItemIdInput, type ItemIdScheme } from './types.js';

/**
 * Random indexing (RID in Hua et al., "How to Index Item IDs for
 * Recommendation Foundation Models", SIGIR-AP 2023; P5's random numbering):
 * each item gets a distinct random number in 1..N, written as its digits.
 * Numbers carry no information about the item, so shared prefixes are noise.
 */
export const randomIds: ItemIdScheme = {
  name: 'random',
  async assign({ itemIds, seed = 42 }: ItemIdInput) {
    const numbers = new Rng(seed).shuffle(Array.from({ length: itemIds.length }, (_, i) => i + 1));
    return codebookFromItemCodes('random', itemIds, numbers.map((n) => digitTokens(n, String(itemIds.length).length)));
  },
};
