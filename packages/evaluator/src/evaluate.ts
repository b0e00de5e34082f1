/**
 * One call for a pipeline's evaluation stage: whichever inputs are given
 * (rankings, rating predictions, generated texts, entity vectors) become the
 * sections of an {@link EvaluationResult}, ready for `metricsJson`,
 * `reportMarkdown` or `writeEvaluationReport` (node entry).
 */
import { ConfigError, type IdMap, type Interaction, type Ranking, type Split } from '@meta-id/core';
import { rankingMetrics, type RankingMetricOptions } from './ranking.js';
import { sampledRankingMetrics, type SampledRankingOptions } from './sampled-ranking.js';
import { ratingMetrics, type RatingMetricOptions } from './rating.js';
import { textMetrics, type TextMetricOptions } from './text/text-metrics.js';
import { memorizationScore, type MemorizationOptions } from './memorization.js';
import { diversityScore, type DiversityOptions } from './diversity.js';
import type { EntityVectors } from './entity-vectors.js';
import type { EvaluationResult } from './report.js';

export interface EvaluateInput {
  title?: string;
  run?: Record<string, unknown>;
  /** The split the rankings are scored against (its `test` part by default) and whose `train` part feeds MS. */
  split?: Split;
  /** Full rankings → section `ranking`. Needs `split`. */
  rankings?: readonly Ranking[];
  rankingOptions?: RankingMetricOptions;
  /** Also report the sampled 1+N protocol → section `ranking-sampled` (needs `split` and `sampled.userItems`). */
  sampled?: Omit<SampledRankingOptions, 'numItems'> & { numItems?: number };
  /** Rating predictions → section `rating`. */
  ratings?: { predictions: ArrayLike<number>; targets: ArrayLike<number>; options?: RatingMetricOptions };
  /** Generated texts → section `text`. */
  texts?: { candidates: readonly string[]; references: readonly (string | readonly string[])[]; options?: TextMetricOptions };
  /** Entity vectors (keys `u:<raw>` / `i:<raw>`) → sections `memorization` (needs `split` or `trainInteractions`) and `diversity`. */
  entityVectors?: EntityVectors;
  /** Training interactions for MS. Default: `split.train`. */
  trainInteractions?: readonly Interaction[];
  users?: IdMap | readonly string[];
  items?: IdMap | readonly string[];
  msOptions?: Omit<MemorizationOptions, 'embeddings' | 'interactions' | 'users' | 'items'>;
  dsOptions?: Omit<DiversityOptions, 'embeddings'>;
}

/**
 * Every metric the inputs allow, as sections of one result.
 *
 * @example
 * import { evaluate, metricsJson } from '@meta-id/evaluator';
 * const result = evaluate({ split, rankings, entityVectors, users: dataset.users, items: dataset.items });
 * console.log(result.sections.ranking.metrics['NDCG@10'], result.sections.memorization.metrics.MS);
 */
export function evaluate(input: EvaluateInput): EvaluationResult {
  const sections: EvaluationResult['sections'] = {};
  if (input.rankings) {
    if (!input.split) throw new ConfigError('split', 'rankings need a split to score against');
    sections.ranking = rankingMetrics(input.rankings, input.split, input.rankingOptions);
    if (input.sampled) {
      sections['ranking-sampled'] = sampledRankingMetrics(input.rankings, input.split, {
        ...input.sampled,
        numItems: input.sampled.numItems ?? input.split.numItems,
        ks: input.sampled.ks ?? input.rankingOptions?.ks,
        target: input.sampled.target ?? input.rankingOptions?.target,
      });
    }
  }
  if (input.ratings) sections.rating = ratingMetrics(input.ratings.predictions, input.ratings.targets, input.ratings.options);
  if (input.texts) sections.text = textMetrics(input.texts.candidates, input.texts.references, input.texts.options);
  if (input.entityVectors) {
    const interactions = input.trainInteractions ?? input.split?.train;
    if (interactions) {
      sections.memorization = memorizationScore({
        ...input.msOptions,
        embeddings: input.entityVectors,
        interactions,
        users: input.users,
        items: input.items,
      });
    }
    sections.diversity = diversityScore({ ...input.dsOptions, embeddings: input.entityVectors });
  }
  return { title: input.title, run: input.run, sections };
}
