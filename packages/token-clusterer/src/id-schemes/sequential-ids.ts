import { codebookFromItemCodes } from './codebook-from-codes.js';
import { digitTokens, type ItemIdInput, type ItemIdScheme } from './types.js';

/**
 * Sequential indexing (SID, P5: Geng et al., RecSys 2022; Hua et al., 2023):
 * items are numbered 1..N in order of first appearance when reading the users'
 * training sequences one after the other, so items bought together by one user
 * get consecutive numbers and share leading digits. Items absent from training
 * are numbered after all the others, in index order.
 */
export const sequentialIds: ItemIdScheme = {
  name: 'sequential',
  async assign({ split, itemIds }: ItemIdInput) {
    const number = new Int32Array(itemIds.length);
    let next = 1;
    for (const x of split.train) if (number[x.item] === 0) number[x.item] = next++;
    const unseen = number.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    for (let i = 0; i < itemIds.length; i++) if (number[i] === 0) number[i] = next++;
    return codebookFromItemCodes('sequential', itemIds, Array.from(number, (n) => digitTokens(n, String(itemIds.length).length)), { itemsAbsentFromTraining: unseen });
  },
};
