/**
 * ROUGE (Lin, "ROUGE: A Package for Automatic Evaluation of Summaries",
 * 2004), as P5 and META ID report it for review summarisation.
 *
 * ROUGE-N of one candidate against one reference: overlap = Σ_g min(count_c(g),
 * count_ref(g)) over n-grams g; P = overlap / #candidate n-grams, R = overlap /
 * #reference n-grams, F1 = 2PR / (P + R) (0 when P + R = 0).
 * ROUGE-L: the same with overlap = length of the longest common subsequence
 * (LCS) of the token sequences, P = LCS / |candidate|, R = LCS / |reference|.
 * With several references, each variant takes the reference giving the best
 * F1. Corpus scores are the mean over candidates of P, R and F1 (macro
 * average). Keys: `ROUGE-1`, `ROUGE-2`, `ROUGE-L` (F1), with `-P` / `-R` suffixes.
 */
import { ConfigError } from '@meta-id/core';
import { ngramCounts, tokenize, type TextNormalization } from './normalize.js';
import { referenceLists } from './bleu.js';

export interface RougeOptions {
  /** n-gram orders for ROUGE-N. Default [1, 2]. */
  orders?: readonly number[];
  /** Include ROUGE-L. Default true. */
  lcs?: boolean;
  /** Default `'default'` (NFKC, lower-case, punctuation split off). */
  normalization?: TextNormalization;
}

export interface PrfScore {
  precision: number;
  recall: number;
  f1: number;
}

function prf(overlap: number, candTotal: number, refTotal: number): PrfScore {
  const precision = candTotal > 0 ? overlap / candTotal : 0;
  const recall = refTotal > 0 ? overlap / refTotal : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** ROUGE-N of token sequences. */
export function rougeN(candidate: readonly string[], reference: readonly string[], n: number): PrfScore {
  const c = ngramCounts(candidate, n);
  const r = ngramCounts(reference, n);
  let overlap = 0;
  for (const [g, k] of c) overlap += Math.min(k, r.get(g) ?? 0);
  return prf(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence (dynamic programming, two rows). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Uint32Array(b.length + 1);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** ROUGE-L of token sequences. */
export function rougeL(candidate: readonly string[], reference: readonly string[]): PrfScore {
  return prf(lcsLength(candidate, reference), candidate.length, reference.length);
}

export interface RougeResult {
  /** `ROUGE-1`, `ROUGE-1-P`, `ROUGE-1-R`, ..., `ROUGE-L`, `ROUGE-L-P`, `ROUGE-L-R`. */
  scores: Record<string, number>;
  count: number;
}

/**
 * Mean ROUGE-N / ROUGE-L (F1, precision, recall) of generated texts against
 * one or several references each.
 *
 * @example
 * rouge(['the cat was found under the bed'], ['the cat was under the bed']).scores['ROUGE-1']; // 12/13
 */
export function rouge(
  candidates: readonly string[],
  references: readonly (string | readonly string[])[],
  options: RougeOptions = {},
): RougeResult {
  const orders = options.orders ?? [1, 2];
  for (const n of orders) if (!Number.isInteger(n) || n < 1) throw new ConfigError('orders', 'ROUGE-N orders must be positive integers', n);
  const useL = options.lcs ?? true;
  const norm = options.normalization ?? 'default';
  const refs = referenceLists(candidates, references);
  const variants: [string, (c: string[], r: string[]) => PrfScore][] = orders.map((n) => [`ROUGE-${n}`, (c, r) => rougeN(c, r, n)]);
  if (useL) variants.push(['ROUGE-L', rougeL]);
  const sums = variants.map(() => ({ precision: 0, recall: 0, f1: 0 }));
  candidates.forEach((cand, i) => {
    const c = tokenize(cand, norm);
    const rs = refs[i].map((s) => tokenize(s, norm));
    variants.forEach(([, fn], v) => {
      let best: PrfScore | undefined;
      for (const r of rs) {
        const s = fn(c, r);
        if (!best || s.f1 > best.f1) best = s;
      }
      sums[v].precision += best!.precision;
      sums[v].recall += best!.recall;
      sums[v].f1 += best!.f1;
    });
  });
  const n = candidates.length;
  const scores: Record<string, number> = {};
  variants.forEach(([name], v) => {
    scores[name] = n ? sums[v].f1 / n : 0;
    scores[`${name}-P`] = n ? sums[v].precision / n : 0;
    scores[`${name}-R`] = n ? sums[v].recall / n : 0;
  });
  return { scores, count: n };
}
