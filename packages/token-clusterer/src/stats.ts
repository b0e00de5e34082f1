/**
 * Codebook statistics, computed from the codes themselves: tokens per level,
 * how many entities share each token of a level (cluster sizes), code
 * lengths, and how many entities needed a disambiguating token.
 */
import type { TokenCodebook } from '@meta-id/core';

export interface Distribution {
  count: number;
  min: number;
  median: number;
  mean: number;
  max: number;
  /** Histogram: `edges[i] ≤ value < edges[i+1]` (last bin closed), `counts[i]` values. */
  histogram: { edges: number[]; counts: number[] };
}

export interface CodebookStats {
  entities: number;
  users: number;
  items: number;
  /** Distinct tokens used at each code position (level 0 = coarse). */
  tokensPerLevel: number[];
  /** Distinct tokens in the codebook overall. */
  tokens: number;
  /** Entities per token, for each level. */
  clusterSizes: Distribution[];
  codeLength: Distribution;
  /** Entities whose code needed a disambiguating token (set by the scheme). */
  collisionsResolved: number;
  [key: string]: unknown;
}

/** Summary of a list of numbers with a histogram of `bins` equal-width bins. */
export function distribution(values: readonly number[], bins = 10): Distribution {
  if (values.length === 0) return { count: 0, min: 0, median: 0, mean: 0, max: 0, histogram: { edges: [], counts: [] } };
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  const min = s[0];
  const max = s[s.length - 1];
  const nb = max === min ? 1 : Math.min(bins, Math.max(1, Math.ceil(max - min + (Number.isInteger(min) && Number.isInteger(max) ? 1 : 0))));
  const width = max === min ? 1 : (max - min) / nb;
  const edges = Array.from({ length: nb + 1 }, (_, i) => round(min + i * width));
  const counts = new Array<number>(nb).fill(0);
  for (const v of s) counts[Math.min(nb - 1, Math.floor((v - min) / width))]++;
  return { count: s.length, min, median, mean: round(s.reduce((a, b) => a + b, 0) / s.length), max, histogram: { edges, counts } };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Statistics of `codebook`; `collisionsResolved` comes from the scheme. */
export function codebookStats(codebook: Pick<TokenCodebook, 'codes' | 'tokens'>, collisionsResolved: number, bins = 10): CodebookStats {
  const perLevel: Map<string, number>[] = [];
  const lengths: number[] = [];
  let users = 0;
  let items = 0;
  for (const [key, code] of Object.entries(codebook.codes)) {
    if (key.startsWith('u:')) users++;
    else if (key.startsWith('i:')) items++;
    lengths.push(code.length);
    code.forEach((t, l) => {
      perLevel[l] ??= new Map();
      perLevel[l].set(t, (perLevel[l].get(t) ?? 0) + 1);
    });
  }
  return {
    entities: lengths.length,
    users,
    items,
    tokensPerLevel: perLevel.map((m) => m.size),
    tokens: codebook.tokens.length,
    clusterSizes: perLevel.map((m) => distribution([...m.values()], bins)),
    codeLength: distribution(lengths, bins),
    collisionsResolved,
  };
}

/** Human-readable lines of {@link CodebookStats}. */
export function formatStats(scheme: string, s: CodebookStats): string {
  const lines = [
    `codebook (${scheme}): ${s.entities} entities (${s.users} users, ${s.items} items), ${s.tokens} tokens`,
    `  tokens per level: ${s.tokensPerLevel.join(' / ')}`,
    `  code length: min ${s.codeLength.min}, median ${s.codeLength.median}, max ${s.codeLength.max}`,
    `  collisions resolved: ${s.collisionsResolved} entities`,
  ];
  s.clusterSizes.forEach((d, l) => {
    const hist = d.histogram.counts.map((c, i) => `[${d.histogram.edges[i]},${d.histogram.edges[i + 1]}${i === d.histogram.counts.length - 1 ? ']' : ')'}:${c}`).join(' ');
    lines.push(`  level ${l} entities per token: min ${d.min}, median ${d.median}, max ${d.max}; ${hist}`);
  });
  return lines.join('\n');
}
