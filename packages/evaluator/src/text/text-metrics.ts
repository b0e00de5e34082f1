/** BLEU and ROUGE together, as one core MetricReport (what `meta-id evaluate` writes for text tasks). */
import type { MetricReport } from '@meta-id/core';
import { bleu, type BleuSmoothing } from './bleu.js';
import { rouge } from './rouge.js';
import type { TextNormalization } from './normalize.js';

export interface TextMetricOptions {
  /** Highest BLEU order. Default 4. */
  maxN?: number;
  /** BLEU smoothing. Default `'none'`. */
  smoothing?: BleuSmoothing;
  /** Default `'default'`: NFKC, lower-case, punctuation split off, whitespace tokens. */
  normalization?: TextNormalization;
}

/**
 * BLEU-1..4 (corpus level) and ROUGE-1/2/L (mean F1, P, R) of generated texts.
 *
 * @example
 * textMetrics(['great price and works well'], ['works well , great price']).metrics['ROUGE-1'];
 */
export function textMetrics(
  candidates: readonly string[],
  references: readonly (string | readonly string[])[],
  options: TextMetricOptions = {},
): MetricReport {
  const normalization = options.normalization ?? 'default';
  const b = bleu(candidates, references, { maxN: options.maxN, smoothing: options.smoothing, normalization });
  const r = rouge(candidates, references, { normalization });
  return {
    metrics: { ...b.scores, ...r.scores },
    count: candidates.length,
    meta: {
      countOf: 'texts',
      normalization: typeof normalization === 'function' ? 'custom' : normalization,
      bleuSmoothing: options.smoothing ?? 'none',
      bleuPrecisions: b.precisions,
      brevityPenalty: b.brevityPenalty,
      candidateLength: b.candidateLength,
      referenceLength: b.referenceLength,
    },
  };
}
