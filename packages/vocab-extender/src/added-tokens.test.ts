import { Rng } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { AddedTokenMatcher } from './added-tokens.js';

/** Reference: at each position try every token, keep the longest that matches. */
function naiveSplit(text: string, tokens: string[]) {
  const out: Array<{ text: string; added: boolean }> = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    let best = '';
    for (const t of tokens) if (t.length > best.length && text.startsWith(t, i)) best = t;
    if (best) {
      if (i > start) out.push({ text: text.slice(start, i), added: false });
      out.push({ text: best, added: true });
      i += best.length;
      start = i;
    } else i++;
  }
  if (start < text.length) out.push({ text: text.slice(start), added: false });
  return out;
}

describe('AddedTokenMatcher', () => {
  it('splits codes out of surrounding text, leftmost-longest', () => {
    const m = new AddedTokenMatcher(['<CT3>', '<CT38>', '<1049>', '<10>']);
    expect(m.split('item_<CT38><1049> x')).toEqual([
      { text: 'item_', added: false },
      { text: '<CT38>', added: true },
      { text: '<1049>', added: true },
      { text: ' x', added: false },
    ]);
    expect(m.split('<CT3><10>')).toEqual([
      { text: '<CT3>', added: true },
      { text: '<10>', added: true },
    ]);
    // '<CT3' without '>' is not a token.
    expect(m.split('<CT3 <104')).toEqual([{ text: '<CT3 <104', added: false }]);
    expect(m.split('')).toEqual([]);
  });

  it('agrees with a brute-force splitter on random texts', () => {
    const rng = new Rng(7);
    const alphabet = 'ab<>c1 ';
    const word = (n: number) => Array.from({ length: n }, () => alphabet[rng.int(alphabet.length)]).join('');
    for (let trial = 0; trial < 300; trial++) {
      const tokens = [...new Set(Array.from({ length: 1 + rng.int(6) }, () => word(1 + rng.int(4))))];
      const m = new AddedTokenMatcher(tokens);
      const text = word(rng.int(40));
      expect(m.split(text)).toEqual(naiveSplit(text, tokens));
    }
  });

  it('rejects an empty token', () => {
    expect(() => new AddedTokenMatcher([''])).toThrow(/empty/);
  });
});
