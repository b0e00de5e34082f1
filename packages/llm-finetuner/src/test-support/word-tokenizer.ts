/**
 * A whitespace word-level tokenizer for tests (pad=0, `</s>`=1, unk=2), with
 * whole extra tokens such as item codes. Stands in for
 * @meta-id/vocab-extender's WordLevelTokenizer in this package's tests.
 */
import type { TextTokenizer, Vocabulary } from '@meta-id/core';

export class TestWordTokenizer implements TextTokenizer {
  readonly vocabulary: Vocabulary;
  private readonly ids = new Map<string, number>();

  constructor(texts: readonly string[], extraTokens: readonly string[] = []) {
    const tokens = ['<pad>', '</s>', '<unk>'];
    const add = (t: string) => {
      if (!this.ids.has(t)) {
        this.ids.set(t, tokens.length);
        tokens.push(t);
      }
    };
    tokens.forEach((t, i) => this.ids.set(t, i));
    for (const text of texts) for (const w of text.split(/\s+/)) if (w) add(w);
    extraTokens.forEach(add);
    this.vocabulary = { tokens, padId: 0, eosId: 1, unkId: 2 };
  }

  encode(text: string): number[] {
    return text.split(/\s+/).filter(Boolean).map((w) => this.ids.get(w) ?? 2);
  }

  decode(ids: readonly number[]): string {
    return ids.filter((i) => i > 2).map((i) => this.vocabulary.tokens[i]).join(' ');
  }

  tokenId(token: string): number | undefined {
    return this.ids.get(token);
  }
}

/**
 * Codes for synthetic items: planted category token + rank inside the
 * category (`['<C3>', '<R12>']`), meaningful because categories drive the data.
 */
export function categoryCodes(itemCategory: Int32Array): string[][] {
  const rank = new Map<number, number>();
  return Array.from(itemCategory, (c) => {
    const r = rank.get(c) ?? 0;
    rank.set(c, r + 1);
    return [`<C${c}>`, `<R${r}>`];
  });
}
