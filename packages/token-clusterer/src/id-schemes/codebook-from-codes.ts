import { entityKey, MetaIdError, type TokenCodebook, type TokenInfo } from '@meta-id/core';

/**
 * Packs item codes into a {@link TokenCodebook}: entity keys, token member
 * counts, and a check that no two items share a code (a recommender could not
 * tell them apart).
 */
export function codebookFromItemCodes(
  scheme: string,
  itemIds: readonly string[],
  codes: readonly string[][],
  stats: Record<string, unknown> = {},
): TokenCodebook {
  const out: Record<string, string[]> = {};
  const owner = new Map<string, string>();
  const info = new Map<string, TokenInfo>();
  codes.forEach((code, item) => {
    const key = entityKey('item', itemIds[item]);
    const joined = code.join(' ');
    const previous = owner.get(joined);
    if (previous !== undefined) {
      throw new MetaIdError(`${scheme}: items ${previous} and ${key} received the same code "${joined}"`);
    }
    owner.set(joined, key);
    out[key] = [...code];
    code.forEach((token, level) => {
      const t = info.get(token) ?? { token, level, members: 0 };
      t.members++;
      info.set(token, t);
    });
  });
  const lengths = codes.map((c) => c.length);
  return {
    scheme,
    dim: 0,
    tokens: [...info.values()],
    codes: out,
    stats: {
      entities: codes.length,
      distinctTokens: info.size,
      codeLength: { min: Math.min(...lengths), max: Math.max(...lengths), mean: lengths.reduce((a, b) => a + b, 0) / lengths.length },
      ...stats,
    },
  };
}
