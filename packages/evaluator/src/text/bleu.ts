/**
 * Corpus-level BLEU (Papineni et al., "BLEU: a Method for Automatic
 * Evaluation of Machine Translation", ACL 2002), as P5 and META ID report it
 * for explanation generation (BLEU-4).
 *
 * For n = 1..N, the modified precision pools clipped n-gram matches over the
 * whole corpus: p_n = Σ_c Σ_g min(count_c(g), max_ref count_ref(g)) / Σ_c Σ_g count_c(g).
 * Brevity penalty: c = total candidate length, r = Σ over candidates of the
 * reference length closest to the candidate's (ties → the shorter);
 * BP = 1 if c > r else exp(1 − r/c) (0 when c = 0).
 * BLEU-N = BP · exp(Σ_{n=1..N} (1/N) · ln p_n), i.e. the cumulative score
 * with uniform weights (BLEU-1 uses p_1 only, BLEU-4 p_1..p_4).
 *
 * Smoothing: `'none'` (default, the standard definition: BLEU-N = 0 if any
 * p_n = 0 for n ≤ N); `'add-one'` (Lin & Och 2004: p_n = (m_n + 1)/(l_n + 1)
 * for n ≥ 2, unigrams unsmoothed); `'epsilon'` (a zero match count becomes
 * 0.1, NLTK's method1).
 */
import { ConfigError } from '@meta-id/core';
import { ngramCounts, tokenize, type TextNormalization } from './normalize.js';

export type BleuSmoothing = 'none' | 'add-one' | 'epsilon';

export interface BleuOptions {
  /** Highest n-gram order; reports BLEU-1..BLEU-maxN. Default 4. */
  maxN?: number;
  /** Default `'none'`. */
  smoothing?: BleuSmoothing;
  /** Default `'default'` (NFKC, lower-case, punctuation split off). */
  normalization?: TextNormalization;
}

export interface BleuResult {
  /** `BLEU-1` .. `BLEU-N`, in [0, 1]. */
  scores: Record<string, number>;
  /** Modified precision p_n for n = 1..N (unsmoothed). */
  precisions: number[];
  matches: number[];
  totals: number[];
  brevityPenalty: number;
  candidateLength: number;
  referenceLength: number;
}

/** Normalises `references` to one list of reference strings per candidate. */
export function referenceLists(candidates: readonly string[], references: readonly (string | readonly string[])[]): string[][] {
  if (candidates.length !== references.length) {
    throw new ConfigError('references', `has ${references.length} entries but there are ${candidates.length} candidates`);
  }
  return references.map((r, i) => {
    const list = typeof r === 'string' ? [r] : [...r];
    if (list.length === 0) throw new ConfigError('references', `candidate ${i + 1} has no reference`);
    return list;
  });
}

/**
 * Corpus BLEU-1..N of generated texts against one or several references each.
 *
 * @example
 * bleu(['the cat sat on the mat'], [['the cat sat on the mat']]).scores['BLEU-4']; // 1
 */
export function bleu(
  candidates: readonly string[],
  references: readonly (string | readonly string[])[],
  options: BleuOptions = {},
): BleuResult {
  const maxN = options.maxN ?? 4;
  if (!Number.isInteger(maxN) || maxN < 1) throw new ConfigError('maxN', 'must be a positive integer', maxN);
  const smoothing = options.smoothing ?? 'none';
  if (!['none', 'add-one', 'epsilon'].includes(smoothing)) throw new ConfigError('smoothing', "want 'none', 'add-one' or 'epsilon'", smoothing);
  const norm = options.normalization ?? 'default';
  const refs = referenceLists(candidates, references);
  const matches = new Array<number>(maxN).fill(0);
  const totals = new Array<number>(maxN).fill(0);
  let c = 0;
  let r = 0;
  candidates.forEach((cand, i) => {
    const hyp = tokenize(cand, norm);
    const refTokens = refs[i].map((s) => tokenize(s, norm));
    c += hyp.length;
    // Closest reference length; on a tie the shorter one (as NLTK and sacrebleu do).
    let best = refTokens[0].length;
    for (const t of refTokens) {
      const d = Math.abs(t.length - hyp.length);
      const bd = Math.abs(best - hyp.length);
      if (d < bd || (d === bd && t.length < best)) best = t.length;
    }
    r += best;
    for (let n = 1; n <= maxN; n++) {
      const counts = ngramCounts(hyp, n);
      const maxRef = new Map<string, number>();
      for (const t of refTokens) for (const [g, k] of ngramCounts(t, n)) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, k));
      for (const [g, k] of counts) matches[n - 1] += Math.min(k, maxRef.get(g) ?? 0);
      totals[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const brevityPenalty = c === 0 ? 0 : c > r ? 1 : Math.exp(1 - r / c);
  const precisions = matches.map((m, i) => (totals[i] > 0 ? m / totals[i] : 0));
  const smoothed = matches.map((m, i) => {
    // A corpus with no n-grams of this order has denominator 1, as in NLTK.
    const l = Math.max(1, totals[i]);
    if (smoothing === 'add-one' && i >= 1) return (m + 1) / (l + 1);
    if (smoothing === 'epsilon' && m === 0) return 0.1 / l;
    return m / l;
  });
  const scores: Record<string, number> = {};
  let logSum = 0;
  let zero = false;
  for (let n = 1; n <= maxN; n++) {
    const p = smoothed[n - 1];
    if (!(p > 0)) zero = true;
    else logSum += Math.log(p);
    scores[`BLEU-${n}`] = zero ? 0 : brevityPenalty * Math.exp(logSum / n);
  }
  return { scores, precisions, matches, totals, brevityPenalty, candidateLength: c, referenceLength: r };
}
