/**
 * How text is turned into tokens before BLEU and ROUGE. Scores are only
 * comparable under the same normalisation, so it is explicit and reported.
 *
 * `'default'`: Unicode NFKC, lower-case, every punctuation character (Unicode
 * class P) split off as its own token, then split on whitespace:
 * `"Great price, works well!"` → `great price , works well !`.
 * `'whitespace'`: split on whitespace only (case and punctuation kept), for
 * text that is already tokenised.
 */
export type TextNormalization = 'default' | 'whitespace' | ((text: string) => string[]);

/** Tokens of `text` under the given normalisation. */
export function tokenize(text: string, normalization: TextNormalization = 'default'): string[] {
  if (typeof normalization === 'function') return normalization(text);
  const s = normalization === 'default' ? text.normalize('NFKC').toLowerCase().replace(/(\p{P})/gu, ' $1 ') : text;
  const t = s.trim();
  return t === '' ? [] : t.split(/\s+/u);
}

/** n-gram → count. Keys join tokens with U+0001, which no tokenizer output contains after splitting on whitespace. */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
