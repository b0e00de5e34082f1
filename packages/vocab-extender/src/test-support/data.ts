/** Locating the shared real data (never copied into the repo) for tests and benchmarks. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenCodebook } from '@meta-id/core';
import { codebookFromIndexing, parseMetaIdIndexing } from '../meta-id-indexing.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `../shared/data/<rel>` from the repository root. */
export function sharedDataPath(rel: string): string {
  return resolve(repoRoot, '../shared/data', rel);
}

export const BEAUTY_ITEM_CODES = sharedDataPath('meta-id-reference/beauty/item_metapath_indexing_kmcos_100_ag.txt');
export const BEAUTY_USER_CODES = sharedDataPath('meta-id-reference/beauty/user_metapath_indexing_kmcos_100_ag.txt');

export const hasBeautyCodes = existsSync(BEAUTY_ITEM_CODES) && existsSync(BEAUTY_USER_CODES);

/** The META ID authors' Beauty codes (items and users) as one TokenCodebook. */
export function beautyReferenceCodebook(): TokenCodebook {
  const items = parseMetaIdIndexing(readFileSync(BEAUTY_ITEM_CODES, 'utf8'), 'item', BEAUTY_ITEM_CODES);
  const users = parseMetaIdIndexing(readFileSync(BEAUTY_USER_CODES, 'utf8'), 'user', BEAUTY_USER_CODES);
  return codebookFromIndexing([...items, ...users]);
}
