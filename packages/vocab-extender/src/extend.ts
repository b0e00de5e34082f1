/**
 * Adding a codebook's OOV tokens to a tokenizer (META ID, Huang et al.,
 * ICML 2025, §3.2: "we add the OOV tokens to the vocabulary of the LLM").
 * Unlike the official code we check the result: every entity's code text must
 * encode to exactly its tokens and decode back to the same text.
 */
import { DataFormatError, type TextTokenizer, type TokenCodebook } from '@meta-id/core';
import { codeText } from './naming.js';

/** A tokenizer that can take whole tokens and be saved as a tokenizer.json. */
export interface ExtendableTokenizer extends TextTokenizer {
  /** Adds whole tokens (never split); returns their ids in order. */
  addTokens(tokens: readonly string[]): number[];
  /** An independent copy. */
  clone(): this;
  /** The Hugging Face tokenizer.json text. */
  toTokenizerJson(): string;
  /** The tokenizer_config.json transformers reads next to it (special-token roles). */
  tokenizerConfig(): Record<string, unknown>;
}

/** Options of {@link extendTokenizer}. */
export interface ExtendOptions {
  /**
   * What to check for every entity's code text: `'round-trip'` (default) that
   * it encodes to exactly its tokens and decodes back to the same text;
   * `'encode'` only the first (for tokenizers whose decoder puts spaces
   * between tokens, such as BERT's WordPiece); `'none'` nothing.
   */
  check?: 'round-trip' | 'encode' | 'none';
  /** Label of the codebook in error messages. Default `'codebook'`. */
  source?: string;
}

/** What {@link extendTokenizer} returns. */
export interface ExtendResult<T extends ExtendableTokenizer> {
  /** A new tokenizer (the input is left unchanged). */
  tokenizer: T;
  /** Id of every codebook token. */
  oovTokenIds: Map<string, number>;
  /**
   * Tokens that got new ids, in id order (ids `rowsBefore`, `rowsBefore+1`,
   * ...): the rows to grow the embedding matrix by. Tokens the vocabulary
   * already had keep their id and are not listed.
   */
  newTokens: string[];
  /** Vocabulary size before the extension (= the id of `newTokens[0]`). */
  sizeBefore: number;
}

/**
 * Adds every token of `codebook.tokens` to a copy of `tokenizer` as a whole
 * token, in the codebook's order.
 *
 * @example
 * ```ts
 * import { WordLevelTokenizer, extendTokenizer } from '@meta-id/vocab-extender';
 * const base = WordLevelTokenizer.fromTexts(['user_ has interacted with items , .']);
 * const codebook = {
 *   scheme: 'meta-id', dim: 2,
 *   tokens: [{ token: '<CT38>', level: 0, members: 1 }, { token: '<1049>', level: 1, members: 1 }],
 *   codes: { 'i:B00X': ['<CT38>', '<1049>'] },
 * };
 * const { tokenizer, oovTokenIds } = extendTokenizer(base, codebook);
 * tokenizer.decode(tokenizer.encode('item_<CT38><1049>')); // 'item_<CT38><1049>'
 * ```
 * @throws DataFormatError when a code uses a token the codebook does not list,
 *   a token is listed twice, or (with `check`) a code text does not encode to its tokens.
 */
export function extendTokenizer<T extends ExtendableTokenizer>(tokenizer: T, codebook: TokenCodebook, options: ExtendOptions = {}): ExtendResult<T> {
  const source = options.source ?? 'codebook';
  const tokens = checkCodebookTokens(codebook, source);
  const sizeBefore = tokenizer.vocabulary.tokens.length;
  const ext = tokenizer.clone();
  const ids = ext.addTokens(tokens);
  const oovTokenIds = new Map<string, number>();
  tokens.forEach((t, i) => oovTokenIds.set(t, ids[i]));
  const newTokens = tokens
    .map((t, i) => [t, ids[i]] as const)
    .filter(([, id]) => id >= sizeBefore)
    .sort((a, b) => a[1] - b[1]);
  newTokens.forEach(([t, id], k) => {
    if (id !== sizeBefore + k) {
      throw new DataFormatError({ source, column: 'tokens' }, `new token ids are not contiguous from ${sizeBefore}: ${JSON.stringify(t)} got ${id}`);
    }
  });
  const check = options.check ?? 'round-trip';
  if (check !== 'none') checkCodeRoundTrip(ext, codebook, oovTokenIds, source, check === 'round-trip');
  return { tokenizer: ext, oovTokenIds, newTokens: newTokens.map(([t]) => t), sizeBefore };
}

/**
 * The codebook's token list, checked: unique non-empty strings, and every
 * token used in a code is listed.
 * @throws DataFormatError naming the entity or token.
 */
export function checkCodebookTokens(codebook: TokenCodebook, source = 'codebook'): string[] {
  if (!codebook || !Array.isArray(codebook.tokens) || codebook.codes === null || typeof codebook.codes !== 'object') {
    throw new DataFormatError({ source }, 'a TokenCodebook needs "tokens" (array) and "codes" (object)');
  }
  const listed = new Set<string>();
  const tokens: string[] = [];
  codebook.tokens.forEach((info, i) => {
    const t = info?.token;
    if (typeof t !== 'string' || t.length === 0) throw new DataFormatError({ source, column: `tokens[${i}]` }, 'token must be a non-empty string', t);
    if (listed.has(t)) throw new DataFormatError({ source, column: `tokens[${i}]` }, 'token listed twice', t);
    listed.add(t);
    tokens.push(t);
  });
  for (const [key, code] of Object.entries(codebook.codes)) {
    if (!Array.isArray(code) || code.length === 0) throw new DataFormatError({ source, column: `codes[${key}]` }, 'a code must be a non-empty array of tokens', code);
    for (const t of code) {
      if (!listed.has(t)) throw new DataFormatError({ source, column: `codes[${key}]` }, 'code uses a token missing from codebook.tokens', t);
    }
  }
  return tokens;
}

function checkCodeRoundTrip(tok: TextTokenizer, codebook: TokenCodebook, ids: Map<string, number>, source: string, decode: boolean): void {
  for (const [key, code] of Object.entries(codebook.codes)) {
    const text = codeText(code);
    const got = tok.encode(text);
    let ok = got.length === code.length;
    for (let i = 0; ok && i < code.length; i++) ok = got[i] === ids.get(code[i]);
    if (!ok) {
      throw new DataFormatError(
        { source, column: `codes[${key}]` },
        `code text ${JSON.stringify(text)} encodes to ids [${got.join(', ')}], not to its tokens [${code.map((t) => ids.get(t)).join(', ')}]: token spellings are ambiguous when concatenated`,
      );
    }
    if (!decode) continue;
    const back = tok.decode(got);
    if (back !== text) {
      throw new DataFormatError(
        { source, column: `codes[${key}]` },
        `code text ${JSON.stringify(text)} decodes to ${JSON.stringify(back)} (the tokenizer's decoder changes it; pass check: 'encode' to accept that)`,
      );
    }
  }
}
