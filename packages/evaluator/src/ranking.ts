/**
 * Top-K ranking metrics for full ranking (every item is a candidate), as the
 * META ID paper (Huang et al., ICML 2025, §5) and P5 evaluate sequential and
 * direct recommendation: HR@K and NDCG@K on the leave-one-out test item, here
 * also MRR@K and Recall@K, with one or several relevant items per user.
 *
 * Definitions (binary relevance, ranks r = 1, 2, ... best first, R_u = the
 * user's relevant items, top_K = the first K items of the user's ranking):
 * - HR@K     = 1 if any relevant item is in top_K, else 0
 * - Recall@K = |R_u ∩ top_K| / |R_u|
 * - MRR@K    = 1 / (rank of the first relevant item) if it is ≤ K, else 0
 * - NDCG@K   = DCG@K / IDCG@K, DCG@K = Σ_{r ≤ K, item_r ∈ R_u} 1 / log2(r + 1),
 *              IDCG@K = Σ_{r = 1}^{min(|R_u|, K)} 1 / log2(r + 1)
 * Each is averaged over users (macro average). With exactly one relevant item
 * HR@K = Recall@K.
 */
import { ConfigError, DataFormatError, type MetricReport, type Ranking } from '@meta-id/core';
import { relevantItems, type RelevantInput, type SplitTarget, itemsByUser } from './relevance.js';
import type { Interaction } from '@meta-id/core';

/** The ranking metrics this package computes. */
export type RankingMetricName = 'HR' | 'NDCG' | 'MRR' | 'Recall';

/** Every ranking metric, in report order. */
export const RANKING_METRICS: readonly RankingMetricName[] = ['HR', 'NDCG', 'MRR', 'Recall'];

/** Default cut-offs, as in the paper: 5, 10, 20. */
export const DEFAULT_KS: readonly number[] = [5, 10, 20];

export interface RankingMetricOptions {
  /** Cut-offs K. Default `[5, 10, 20]`. */
  ks?: readonly number[];
  /** Metrics to report. Default all: `['HR', 'NDCG', 'MRR', 'Recall']`. */
  metrics?: readonly RankingMetricName[];
  /** When `relevant` is a Split: which part holds the targets. Default `'test'`. */
  target?: SplitTarget;
  /**
   * Items removed from each user's ranking before scoring, e.g. the user's
   * training items ("filter seen items"). Default: none (the paper and P5 do
   * not filter; constrained beam search may still emit a seen item).
   * Relevant items are never removed.
   */
  exclude?: readonly Interaction[];
}

/** What a full-ranking evaluation reports besides the averages. */
export interface RankingReportMeta {
  protocol: 'full';
  /** What `count` counts. */
  countOf: 'users';
  ks: number[];
  /** Users with at least one relevant item: every metric averages over them. */
  users: number;
  /** Users with relevant items but no ranking: scored 0 on every metric (misses), never skipped. */
  missingRankings: number;
  /** Rankings for users with no relevant item: not scored (nothing to hit), counted here. */
  rankingsWithoutRelevant: number;
  /** Repeated items inside a ranking: only the first occurrence keeps its rank. */
  duplicateItems: number;
  /** Items taken out of rankings by `exclude`. */
  excludedItems: number;
  /** Rankings shorter than the largest K (fine for beam search; HR@K then only counts what was listed). */
  shortRankings: number;
}

export interface RankingReport extends MetricReport {
  meta: RankingReportMeta & Record<string, unknown>;
}

/** Validated cut-offs, ascending and distinct. */
export function checkKs(ks: readonly number[] | undefined, option = 'ks'): number[] {
  const list = ks ?? DEFAULT_KS;
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(option, 'must be a non-empty list of positive integers', ks);
  for (const k of list) {
    if (!Number.isInteger(k) || k < 1) throw new ConfigError(option, 'every cut-off must be a positive integer', k);
  }
  return [...new Set(list)].sort((a, b) => a - b);
}

export function checkMetrics(metrics: readonly RankingMetricName[] | undefined): RankingMetricName[] {
  const list = metrics ?? RANKING_METRICS;
  for (const m of list) {
    if (!RANKING_METRICS.includes(m)) throw new ConfigError('metrics', `unknown ranking metric (want ${RANKING_METRICS.join(', ')})`, m);
  }
  return [...list];
}

const LOG2 = Math.log(2);
/** 1 / log2(r + 1) for rank r (1-based). */
function discount(r: number): number {
  return LOG2 / Math.log(r + 1);
}

/**
 * Metrics of one ranked list against one user's relevant items, for each K.
 * `ranked` must already be deduplicated. Returns values per metric per K (in
 * the order of `ks`).
 */
export function scoreRankedList(
  ranked: readonly number[],
  relevant: ReadonlySet<number>,
  ks: readonly number[],
): Record<RankingMetricName, number[]> {
  const out: Record<RankingMetricName, number[]> = { HR: [], NDCG: [], MRR: [], Recall: [] };
  const nRel = relevant.size;
  const maxK = ks[ks.length - 1];
  // Ranks (1-based) of relevant items inside the top maxK.
  const hits: number[] = [];
  const limit = Math.min(maxK, ranked.length);
  for (let r = 0; r < limit; r++) if (relevant.has(ranked[r])) hits.push(r + 1);
  for (const k of ks) {
    let nHits = 0;
    let dcg = 0;
    for (const r of hits) {
      if (r > k) break;
      nHits++;
      dcg += discount(r);
    }
    let idcg = 0;
    for (let r = 1; r <= Math.min(nRel, k); r++) idcg += discount(r);
    out.HR.push(nHits > 0 ? 1 : 0);
    out.Recall.push(nRel > 0 ? nHits / nRel : 0);
    out.MRR.push(nHits > 0 ? 1 / hits[0] : 0);
    out.NDCG.push(idcg > 0 ? dcg / idcg : 0);
  }
  return out;
}

/** Metric key as written in reports, e.g. `NDCG@10`. */
export function metricKey(metric: string, k: number, suffix = ''): string {
  return `${metric}@${k}${suffix}`;
}

/**
 * Averages per-user values into a report. `perUser` yields, for each
 * evaluated user, the ranked list to score (already deduplicated / filtered)
 * or `undefined` for a user without a ranking (scored as a miss).
 * @internal shared by full and sampled ranking.
 */
export function aggregateRanking(
  users: readonly number[],
  relevant: ReadonlyMap<number, readonly number[]>,
  rankedOf: (user: number) => readonly number[] | undefined,
  ks: readonly number[],
  metrics: readonly RankingMetricName[],
  suffix: string,
): { metrics: Record<string, number>; missing: number; short: number } {
  const sums: Record<RankingMetricName, number[]> = {
    HR: ks.map(() => 0),
    NDCG: ks.map(() => 0),
    MRR: ks.map(() => 0),
    Recall: ks.map(() => 0),
  };
  let missing = 0;
  let short = 0;
  const maxK = ks[ks.length - 1];
  for (const u of users) {
    const ranked = rankedOf(u);
    if (ranked === undefined) {
      missing++;
      continue; // adds 0 to every sum: a miss, still in the denominator
    }
    if (ranked.length < maxK) short++;
    const v = scoreRankedList(ranked, new Set(relevant.get(u)), ks);
    for (const m of metrics) for (let i = 0; i < ks.length; i++) sums[m][i] += v[m][i];
  }
  const n = users.length;
  const out: Record<string, number> = {};
  for (const m of metrics) ks.forEach((k, i) => (out[metricKey(m, k, suffix)] = n > 0 ? sums[m][i] / n : 0));
  return { metrics: out, missing, short };
}

/** Checks a ranking's shape and returns its items with repeats (and excluded items) removed. */
export function cleanRanking(
  ranking: Ranking,
  index: number,
  exclude: ReadonlySet<number> | undefined,
  relevant: ReadonlySet<number> | undefined,
  counts: { duplicates: number; excluded: number },
): number[] {
  if (!ranking || !Array.isArray(ranking.items)) {
    throw new DataFormatError({ source: 'rankings', line: index + 1 }, 'a ranking needs an `items` array', ranking);
  }
  const seen = new Set<number>();
  const out: number[] = [];
  for (const item of ranking.items) {
    if (!Number.isInteger(item) || item < 0) {
      throw new DataFormatError({ source: 'rankings', line: index + 1 }, `item of user ${ranking.user} must be a non-negative integer index`, item);
    }
    if (seen.has(item)) {
      counts.duplicates++;
      continue;
    }
    seen.add(item);
    if (exclude?.has(item) && !relevant?.has(item)) {
      counts.excluded++;
      continue;
    }
    out.push(item);
  }
  return out;
}

/** Rankings indexed by user; two rankings for one user is an error (which one would count?). */
export function rankingsByUser(rankings: readonly Ranking[]): Map<number, { ranking: Ranking; index: number }> {
  const byUser = new Map<number, { ranking: Ranking; index: number }>();
  rankings.forEach((ranking, index) => {
    if (!ranking || !Number.isInteger(ranking.user) || ranking.user < 0) {
      throw new DataFormatError({ source: 'rankings', line: index + 1 }, 'user must be a non-negative integer index', ranking?.user);
    }
    const prev = byUser.get(ranking.user);
    if (prev) {
      throw new DataFormatError(
        { source: 'rankings', line: index + 1 },
        `second ranking for user ${ranking.user} (first at entry ${prev.index + 1}); give one ranking per user`,
      );
    }
    byUser.set(ranking.user, { ranking, index });
  });
  return byUser;
}

/**
 * HR@K, NDCG@K, MRR@K and Recall@K over full rankings.
 *
 * Every user with at least one relevant item is evaluated; a user without a
 * ranking counts as a miss (0 on every metric) and is counted in
 * `meta.missingRankings`. Rankings of users with no relevant item are counted
 * in `meta.rankingsWithoutRelevant` and not scored.
 *
 * @example
 * import { rankingMetrics } from '@meta-id/evaluator';
 * const report = rankingMetrics(
 *   [{ user: 0, items: [7, 3, 9] }, { user: 1, items: [4, 5, 6] }],
 *   [{ user: 0, item: 3 }, { user: 1, item: 8 }], // e.g. split.test
 *   { ks: [1, 3] },
 * );
 * // report.metrics['HR@3'] === 0.5; report.metrics['NDCG@3'] === 0.5 / Math.log2(3)
 */
export function rankingMetrics(
  rankings: readonly Ranking[],
  relevant: RelevantInput,
  options: RankingMetricOptions = {},
): RankingReport {
  const ks = checkKs(options.ks);
  const metrics = checkMetrics(options.metrics);
  const rel = relevantItems(relevant, options.target ?? 'test');
  const users = [...rel.keys()].filter((u) => rel.get(u)!.length > 0).sort((a, b) => a - b);
  const byUser = rankingsByUser(rankings);
  const exclude = options.exclude ? itemsByUser(options.exclude) : undefined;
  const counts = { duplicates: 0, excluded: 0 };
  let withoutRelevant = 0;
  for (const u of byUser.keys()) if (!(rel.get(u)?.length)) withoutRelevant++;
  const agg = aggregateRanking(
    users,
    rel,
    (u) => {
      const entry = byUser.get(u);
      if (!entry) return undefined;
      return cleanRanking(entry.ranking, entry.index, exclude?.get(u), new Set(rel.get(u)), counts);
    },
    ks,
    metrics,
    '',
  );
  return {
    metrics: agg.metrics,
    count: users.length,
    meta: {
      protocol: 'full',
      countOf: 'users',
      ks,
      users: users.length,
      missingRankings: agg.missing,
      rankingsWithoutRelevant: withoutRelevant,
      duplicateItems: counts.duplicates,
      excludedItems: counts.excluded,
      shortRankings: agg.short,
    },
  };
}
