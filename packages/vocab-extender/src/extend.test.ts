import { DataFormatError, type TokenCodebook } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { extendTokenizer, type ExtendableTokenizer } from './extend.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { codeText } from './naming.js';
import { beautyReferenceCodebook, hasBeautyCodes } from './test-support/data.js';
import { bertLikeTokenizer, t5LikeTokenizer } from './test-support/fixtures.js';
import { syntheticCodebook } from './test-support/synthetic-codebook.js';
import { WordLevelTokenizer } from './word-level.js';

const TEMPLATE_TEXTS = ['user_ has interacted with items , . What is the next item ?', 'item_ x'];

/** Every code alone, glued to a word, and inside a prompt: exact ids and exact text back. */
function expectEveryCodeRoundTrips(tok: ExtendableTokenizer, codebook: TokenCodebook, contexts: boolean) {
  let checked = 0;
  const entries = Object.entries(codebook.codes);
  for (let e = 0; e < entries.length; e++) {
    const code = entries[e][1];
    const text = codeText(code);
    const want = code.map((t) => tok.tokenId(t));
    const got = tok.encode(text);
    if (got.length !== want.length || got.some((id, i) => id !== want[i])) expect(got, text).toEqual(want);
    const back = tok.decode(got);
    if (back !== text) expect(back).toBe(text);
    if (contexts) {
      const other = codeText(entries[(e + 1) % entries.length][1]);
      for (const t of [`item_${text}`, `user_${text} has interacted with items ${other} , ${text} . What is the next item ?`]) {
        const d = tok.decode(tok.encode(t));
        if (d !== t) expect(d).toBe(t);
      }
    }
    checked++;
  }
  expect(checked).toBe(entries.length);
}

describe('extendTokenizer', () => {
  it('adds every codebook token as a new whole token and leaves the input unchanged', () => {
    const base = WordLevelTokenizer.fromTexts(TEMPLATE_TEXTS);
    const codebook = syntheticCodebook({ items: 200, users: 100, clusters: 8, dim: 4 });
    const { tokenizer, oovTokenIds, newTokens, sizeBefore } = extendTokenizer(base, codebook);
    expect(base.tokenId(codebook.tokens[0].token)).toBeUndefined();
    expect(sizeBefore).toBe(base.size);
    expect(tokenizer.size).toBe(base.size + codebook.tokens.length);
    // New ids follow the codebook's token order.
    expect(newTokens).toEqual(codebook.tokens.map((t) => t.token));
    codebook.tokens.forEach((t, i) => {
      expect(oovTokenIds.get(t.token)).toBe(base.size + i);
      expect(tokenizer.tokenId(t.token)).toBe(base.size + i);
    });
    expectEveryCodeRoundTrips(tokenizer, codebook, true);
  });

  it('treats tokens as whole whatever their spelling', () => {
    const codebook = syntheticCodebook({
      items: 150,
      users: 0,
      clusters: 12,
      dim: 2,
      spell: { cluster: (k) => `C\u03b1${k}\u00b7`, fine: (b) => `f${b}|` },
    });
    const { tokenizer } = extendTokenizer(WordLevelTokenizer.fromTexts(TEMPLATE_TEXTS), codebook);
    expectEveryCodeRoundTrips(tokenizer, codebook, true);
    const { tokenizer: t5 } = extendTokenizer(HfTokenizer.fromTokenizerJson(t5LikeTokenizer()), codebook);
    expectEveryCodeRoundTrips(t5, codebook, false);
  });

  it('reuses the id of a token the vocabulary already has', () => {
    const base = WordLevelTokenizer.fromTexts(['x <y>z'], { addedTokens: ['<y>'] });
    const codebook: TokenCodebook = {
      scheme: 't',
      dim: 1,
      tokens: [
        { token: 'z', level: 0, members: 1 },
        { token: '<q>', level: 1, members: 1 },
      ],
      codes: { 'i:a': ['z', '<q>'] },
    };
    const { tokenizer, newTokens, oovTokenIds } = extendTokenizer(base, codebook);
    expect(oovTokenIds.get('z')).toBe(base.tokenId('z'));
    expect(newTokens).toEqual(['<q>']);
    expect(tokenizer.tokenId('<q>')).toBe(base.size);
  });

  it('rejects codebooks whose codes cannot be told apart or use unlisted tokens', () => {
    const ambiguous: TokenCodebook = {
      scheme: 't',
      dim: 1,
      tokens: ['ab', 'abc', 'c'].map((token) => ({ token, level: 0, members: 1 })),
      codes: { 'i:x': ['ab', 'c'] },
    };
    expect(() => extendTokenizer(WordLevelTokenizer.fromTexts(['a']), ambiguous)).toThrow(/codes\[i:x\].*ambiguous/);
    const unlisted: TokenCodebook = { scheme: 't', dim: 1, tokens: [{ token: '<a>', level: 0, members: 1 }], codes: { 'u:1': ['<a>', '<b>'] } };
    expect(() => extendTokenizer(WordLevelTokenizer.fromTexts(['a']), unlisted)).toThrow(DataFormatError);
    expect(() => extendTokenizer(WordLevelTokenizer.fromTexts(['a']), unlisted)).toThrow(/missing from codebook.tokens.*<b>/);
    const twice: TokenCodebook = { scheme: 't', dim: 1, tokens: [{ token: '<a>', level: 0, members: 1 }, { token: '<a>', level: 1, members: 1 }], codes: {} };
    expect(() => extendTokenizer(WordLevelTokenizer.fromTexts(['a']), twice)).toThrow(/listed twice/);
  });

  it("flags a decoder that changes code texts, and accepts it with check: 'encode'", () => {
    const codebook = syntheticCodebook({ items: 20, users: 0, clusters: 3, dim: 2 });
    const bert = HfTokenizer.fromTokenizerJson(bertLikeTokenizer());
    expect(() => extendTokenizer(bert, codebook)).toThrow(/check: 'encode'/);
    const { tokenizer } = extendTokenizer(bert, codebook, { check: 'encode' });
    const code = Object.values(codebook.codes)[0];
    expect(tokenizer.encode(codeText(code))).toEqual(code.map((t) => tokenizer.tokenId(t)));
  });
});

describe.skipIf(!hasBeautyCodes)('extendTokenizer on the META ID authors\' Beauty codes (../shared/data)', () => {
  const codebook = hasBeautyCodes ? beautyReferenceCodebook() : undefined;

  it('reads 34,464 unique codes over 101 cluster and 1,218 fine tokens', () => {
    expect(Object.keys(codebook!.codes).length).toBe(12_101 + 22_363);
    expect(codebook!.tokens.filter((t) => t.level === 0).length).toBe(101);
    expect(codebook!.tokens.filter((t) => t.level === 1).length).toBe(1_218);
    expect(codebook!.codes['i:B007ZBUQ1A']).toEqual(['<CT79>', '<1220>']);
  });

  it('round-trips every code, alone and in prompts (word-level tokenizer)', () => {
    const { tokenizer } = extendTokenizer(WordLevelTokenizer.fromTexts(TEMPLATE_TEXTS), codebook!);
    expectEveryCodeRoundTrips(tokenizer, codebook!, true);
  });

  it('round-trips every code through tokenizers.js (t5-small layout)', () => {
    const { tokenizer } = extendTokenizer(HfTokenizer.fromTokenizerJson(t5LikeTokenizer()), codebook!, { check: 'none' });
    expectEveryCodeRoundTrips(tokenizer, codebook!, false);
  });
});
if (!hasBeautyCodes) console.warn('skipping Beauty code tests: ../shared/data/meta-id-reference/beauty not found');
