/**
 * Rating-prediction metrics, as P5 and META ID report them for the rating
 * task: RMSE = sqrt(mean((clip(ŷ) − y)²)) and MAE = mean(|clip(ŷ) − y|), where
 * clip(ŷ) = min(max(ŷ, min), max) keeps a prediction inside the rating scale
 * (a generated "7" on a 1..5 scale counts as 5).
 */
import { ConfigError, DataFormatError, type MetricReport } from '@meta-id/core';

export interface RatingMetricOptions {
  /** Lowest rating of the scale. Default 1. */
  min?: number;
  /** Highest rating of the scale. Default 5. */
  max?: number;
  /** Clip predictions into [min, max] before scoring. Default true. */
  clip?: boolean;
}

export interface RatingReport extends MetricReport {
  meta: { countOf: 'predictions'; min: number; max: number; clipped: number } & Record<string, unknown>;
}

/**
 * RMSE and MAE of predicted against true ratings (same order, same length).
 * A prediction that is not a finite number is an error naming its position;
 * parse model output into numbers first, deciding there what an unparsable
 * answer means.
 *
 * @example
 * ratingMetrics([4.5, 6, 2], [5, 5, 1]).metrics; // { RMSE: sqrt((0.25+0+1)/3), MAE: (0.5+0+1)/3 }
 */
export function ratingMetrics(
  predictions: ArrayLike<number>,
  targets: ArrayLike<number>,
  options: RatingMetricOptions = {},
): RatingReport {
  const min = options.min ?? 1;
  const max = options.max ?? 5;
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max)) {
    throw new ConfigError('min/max', 'need finite numbers with min < max', [min, max]);
  }
  if (predictions.length !== targets.length) {
    throw new ConfigError('predictions', `has ${predictions.length} values but targets has ${targets.length}`);
  }
  const clip = options.clip ?? true;
  let se = 0;
  let ae = 0;
  let clipped = 0;
  for (let i = 0; i < predictions.length; i++) {
    let p = predictions[i];
    const y = targets[i];
    if (typeof p !== 'number' || !Number.isFinite(p)) throw new DataFormatError({ source: 'predictions', line: i + 1 }, 'prediction is not a finite number', p);
    if (typeof y !== 'number' || !Number.isFinite(y)) throw new DataFormatError({ source: 'targets', line: i + 1 }, 'target rating is not a finite number', y);
    if (clip && (p < min || p > max)) {
      p = Math.min(max, Math.max(min, p));
      clipped++;
    }
    se += (p - y) ** 2;
    ae += Math.abs(p - y);
  }
  const n = predictions.length;
  return {
    metrics: { RMSE: n ? Math.sqrt(se / n) : 0, MAE: n ? ae / n : 0 },
    count: n,
    meta: { countOf: 'predictions', min, max, clipped },
  };
}
