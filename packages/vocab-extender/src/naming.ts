/**
 * How entity codes are written in prompt text.
 *
 * An entity's code is a short sequence of OOV tokens (see `TokenCodebook.codes`);
 * its text form is the plain concatenation of those tokens, with nothing in
 * between: the item with code `['<CT38>', '<1049>']` is written `<CT38><1049>`,
 * so a prompt reads `user_<CT21><1383> has interacted with items <CT38><1049> , ...`.
 *
 * Naming scheme (the META ID authors' release and our clusterer use these
 * spellings; the tokenizer does not depend on them, it keeps every token listed
 * in a codebook whole whatever its spelling):
 *
 * | kind | spelling | example |
 * | --- | --- | --- |
 * | cluster token (coarse, shared by similar entities) | `<CT` + cluster index + `>` | `<CT38>` |
 * | fine token (keeps codes unique) | `<` + number + `>` | `<1049>` (the authors number them from 1001) |
 * | level token of a hierarchical code | `<L` + (level + 1) + `_` + index + `>` | `<L1_5>` (level 0, token 5) |
 *
 * Rules a codebook must follow so the text form is unambiguous, checked by
 * {@link checkCodeTexts}: a token is non-empty, has no whitespace at its ends
 * and no `▁` (U+2581, the word-boundary mark of the tokenizers), and every
 * code's text splits back into exactly its tokens under leftmost-longest
 * matching (the rule Hugging Face tokenizers use for added tokens). Bracketed
 * spellings such as the ones above always satisfy it.
 */

/** Cluster token `<CTa>` (META ID naming). */
export function clusterToken(cluster: number): string {
  return `<CT${cluster}>`;
}

/** Fine token `<b>` (META ID naming; the authors start at 1001). */
export function fineToken(index: number): string {
  return `<${index}>`;
}

/**
 * Token `index` of a hierarchical code's level `level`, counted from 0 like
 * `TokenInfo.level` and spelled from 1: `levelToken(0, 5)` is `<L1_5>`
 * (the same spelling as @meta-id/token-clusterer's hierarchical scheme).
 */
export function levelToken(level: number, index: number): string {
  return `<L${level + 1}_${index}>`;
}

/** Text form of a code: its tokens concatenated, e.g. `<CT38><1049>`. */
export function codeText(tokens: readonly string[]): string {
  return tokens.join('');
}

/** Pattern of one bracketed token, `<...>` with no `<`, `>` or whitespace inside. */
const BRACKETED = /<[^<>\s]+>/g;

/**
 * Splits a code text made of bracketed tokens (`<CT38><1049>`) into its tokens.
 * Returns undefined when the text is not entirely bracketed tokens. For codes
 * with other spellings, use a tokenizer's added-token matching instead.
 */
export function splitBracketedCode(text: string): string[] | undefined {
  const out: string[] = [];
  let end = 0;
  for (const m of text.matchAll(BRACKETED)) {
    if (m.index !== end) return undefined;
    out.push(m[0]);
    end = m.index + m[0].length;
  }
  if (end !== text.length || out.length === 0) return undefined;
  return out;
}
