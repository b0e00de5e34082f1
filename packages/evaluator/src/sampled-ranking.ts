/**
 * Sampled ranking ("1 + 99"): each user's relevant item(s) are ranked against
 * a small seeded sample of negatives instead of the whole catalogue. Common in
 * older recommender papers (e.g. NCF) but known to overstate and even reorder
 * results (Krichene & Rendle, "On Sampled Metrics for Item Recommendation",
 * KDD 2020); META ID and P5 report full ranking. Offered as a clearly labelled
 * option: every metric key carries the suffix ` (sampled 1+N)`.
 *
 * Negatives are drawn uniformly without replacement from items the user never
 * interacted with (per `userItems`, which must hold ALL of the user's
 * interactions: train, validation and test) and that are not relevant.
 */
import { ConfigError, MetaIdError, Rng, type MetricReport, type Ranking, type Interaction } from '@meta-id/core';
import { relevantItems, itemsByUser, type RelevantInput, type SplitTarget } from './relevance.js';
import {
  aggregateRanking,
  checkKs,
  checkMetrics,
  cleanRanking,
  rankingsByUser,
  type RankingMetricName,
} from './ranking.js';

/** Scores candidate items for a user; higher is better. Must return one finite score per item. */
export type CandidateScorer = (user: number, items: readonly number[]) => ArrayLike<number>;

export interface SampledRankingOptions {
  /** Number of catalogue items (item indices are 0..numItems-1). Required. */
  numItems: number;
  /** Every interaction of every user (train + validation + test), so negatives are never the user's own items. Required. */
  userItems: readonly Interaction[];
  /** Negatives per user. Default 99. */
  numNegatives?: number;
  /** Seed of the negative sampler. Default 42. */
  seed?: number;
  /** Cut-offs. Default `[5, 10, 20]`. */
  ks?: readonly number[];
  /** Metrics. Default all four. */
  metrics?: readonly RankingMetricName[];
  /** When `relevant` is a Split: which part. Default `'test'`. */
  target?: SplitTarget;
}

export interface SampledRankingReport extends MetricReport {
  meta: {
    protocol: 'sampled';
    countOf: 'users';
    numNegatives: number;
    seed: number;
    ks: number[];
    users: number;
    /** Users without a ranking / score: misses, counted. */
    missingRankings: number;
    /** Relevant items absent from a (truncated) ranking: placed after every listed candidate, so a miss at any K below the candidate count. */
    relevantNotListed: number;
    /** Ties between a relevant item and a negative (scorer input): broken against the relevant item (pessimistic). */
    ties: number;
  } & Record<string, unknown>;
}

/** The seeded negatives of each user, in ascending user order. Exposed so a model can be scored on exactly these candidates. */
export function sampleNegatives(
  users: readonly number[],
  relevant: ReadonlyMap<number, readonly number[]>,
  userItems: ReadonlyMap<number, ReadonlySet<number>>,
  numItems: number,
  numNegatives: number,
  seed: number,
): Map<number, number[]> {
  const rng = new Rng(seed);
  const out = new Map<number, number[]>();
  // mark[i] === stamp: item i is the current user's own, relevant or already chosen (no per-user Sets).
  const mark = new Int32Array(numItems);
  let stamp = 0;
  for (const u of [...users].sort((a, b) => a - b)) {
    stamp++;
    let taken = 0;
    const take = (i: number) => {
      if (i < numItems && mark[i] !== stamp) {
        mark[i] = stamp;
        taken++;
      }
    };
    for (const i of userItems.get(u) ?? []) take(i);
    for (const i of relevant.get(u) ?? []) take(i);
    const available = numItems - taken;
    if (available < numNegatives) {
      throw new MetaIdError(
        `sampled ranking: user ${u} has only ${available} items they never interacted with, fewer than numNegatives=${numNegatives}`,
      );
    }
    const list: number[] = [];
    // Rejection sampling: users touch a tiny fraction of the catalogue, so it
    // needs ~numNegatives draws; fall back to an explicit pool when dense.
    if (available > 2 * numNegatives) {
      while (list.length < numNegatives) {
        const i = rng.int(numItems);
        if (mark[i] === stamp) continue;
        mark[i] = stamp;
        list.push(i);
      }
    } else {
      const pool: number[] = [];
      for (let i = 0; i < numItems; i++) if (mark[i] !== stamp) pool.push(i);
      rng.shuffle(pool);
      list.push(...pool.slice(0, numNegatives));
    }
    out.set(u, list);
  }
  return out;
}

/**
 * Ranking metrics under the sampled protocol: relevant items + `numNegatives`
 * seeded negatives per user. `source` is either the model's rankings (the
 * candidates keep the order they have in the ranking; candidates the ranking
 * does not list come after all listed ones, relevant ones last) or a scorer
 * called once per user with its candidates.
 *
 * @example
 * const r = sampledRankingMetrics(rankings, split, { numItems: 12101, userItems: dataset.interactions });
 * r.metrics['HR@10 (sampled 1+99)'];
 */
export function sampledRankingMetrics(
  source: readonly Ranking[] | CandidateScorer,
  relevant: RelevantInput,
  options: SampledRankingOptions,
): SampledRankingReport {
  const numItems = options.numItems;
  if (!Number.isInteger(numItems) || numItems < 1) throw new ConfigError('numItems', 'must be a positive integer', numItems);
  if (!Array.isArray(options.userItems)) {
    throw new ConfigError('userItems', 'required: all interactions of every user, so negatives are never their own items', options.userItems);
  }
  const numNegatives = options.numNegatives ?? 99;
  if (!Number.isInteger(numNegatives) || numNegatives < 1) throw new ConfigError('numNegatives', 'must be a positive integer', numNegatives);
  const seed = options.seed ?? 42;
  const ks = checkKs(options.ks);
  const metrics = checkMetrics(options.metrics);
  const rel = relevantItems(relevant, options.target ?? 'test');
  const users = [...rel.keys()].filter((u) => rel.get(u)!.length > 0).sort((a, b) => a - b);
  for (const u of users) {
    for (const i of rel.get(u)!) if (i >= numItems) throw new ConfigError('numItems', `relevant item ${i} of user ${u} is outside 0..numItems-1`, numItems);
  }
  const negatives = sampleNegatives(users, rel, itemsByUser(options.userItems), numItems, numNegatives, seed);
  let relevantNotListed = 0;
  let ties = 0;
  let rankedOf: (u: number) => number[] | undefined;
  if (typeof source === 'function') {
    rankedOf = (u) => {
      const pos = rel.get(u)!;
      const candidates = [...pos, ...negatives.get(u)!];
      const scores = source(u, candidates);
      if (!scores || scores.length !== candidates.length) {
        throw new MetaIdError(`scorer returned ${scores?.length} scores for ${candidates.length} candidates of user ${u}`);
      }
      for (let i = 0; i < scores.length; i++) {
        if (!Number.isFinite(scores[i])) throw new MetaIdError(`scorer returned a non-finite score for user ${u}, item ${candidates[i]}: ${scores[i]}`);
      }
      // Candidates 0..pos.length-1 are the relevant ones.
      const nPos = pos.length;
      for (let p = 0; p < nPos; p++) {
        for (let i = nPos; i < candidates.length; i++) if (scores[i] === scores[p]) ties++;
      }
      const order = candidates.map((_, i) => i);
      // Descending score; on a tie the negative goes first (pessimistic for the model).
      order.sort((a, b) => scores[b] - scores[a] || Number(a < nPos) - Number(b < nPos) || a - b);
      return order.map((i) => candidates[i]);
    };
  } else {
    const byUser = rankingsByUser(source);
    const counts = { duplicates: 0, excluded: 0 };
    rankedOf = (u) => {
      const entry = byUser.get(u);
      if (!entry) return undefined;
      const pos = new Set(rel.get(u)!);
      const candidates = new Set<number>([...pos, ...negatives.get(u)!]);
      const listed = cleanRanking(entry.ranking, entry.index, undefined, undefined, counts).filter((i) => candidates.has(i));
      const listedSet = new Set(listed);
      const unlistedNeg = negatives.get(u)!.filter((i) => !listedSet.has(i));
      const unlistedPos = rel.get(u)!.filter((i) => !listedSet.has(i));
      relevantNotListed += unlistedPos.length;
      return [...listed, ...unlistedNeg, ...unlistedPos];
    };
  }
  const suffix = ` (sampled 1+${numNegatives})`;
  const agg = aggregateRanking(users, rel, rankedOf, ks, metrics, suffix);
  return {
    metrics: agg.metrics,
    count: users.length,
    meta: {
      protocol: 'sampled',
      countOf: 'users',
      numNegatives,
      seed,
      ks,
      users: users.length,
      missingRankings: agg.missing,
      relevantNotListed,
      ties,
    },
  };
}
