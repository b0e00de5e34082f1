import { describe, expect, it } from 'vitest';
import { ConfigError, DataFormatError, Rng } from '@meta-id/core';
import { ratingMetrics } from './rating.js';

describe('ratingMetrics', () => {
  it('hand-computed case with clipping', () => {
    // predictions [4.5, 6, 2, 0], targets [5, 5, 1, 2], scale 1..5
    // clipped predictions [4.5, 5, 2, 1] (6 → 5, 0 → 1: two clipped)
    // errors [-0.5, 0, 1, -1]: squared 0.25 + 0 + 1 + 1 = 2.25 → RMSE = sqrt(2.25/4) = 0.75
    // absolute 0.5 + 0 + 1 + 1 = 2.5 → MAE = 0.625
    const r = ratingMetrics([4.5, 6, 2, 0], [5, 5, 1, 2]);
    expect(r.metrics.RMSE).toBeCloseTo(0.75, 12);
    expect(r.metrics.MAE).toBeCloseTo(0.625, 12);
    expect(r.meta.clipped).toBe(2);
    expect(r.count).toBe(4);
  });

  it('without clipping uses raw predictions', () => {
    // errors [-0.5, 1, 1, -2]: squares 0.25+1+1+4 = 6.25 → RMSE sqrt(6.25/4) = 1.25; MAE 4.5/4
    const r = ratingMetrics([4.5, 6, 2, 0], [5, 5, 1, 2], { clip: false });
    expect(r.metrics.RMSE).toBeCloseTo(1.25, 12);
    expect(r.metrics.MAE).toBeCloseTo(1.125, 12);
  });

  it('agrees with a two-pass formula on random data (RMSE² = mean² error + variance of error)', () => {
    const rng = new Rng(3);
    const p = Array.from({ length: 500 }, () => 1 + rng.next() * 4);
    const y = Array.from({ length: 500 }, () => 1 + rng.int(5));
    const e = p.map((v, i) => v - y[i]);
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    const variance = e.reduce((a, b) => a + (b - mean) ** 2, 0) / e.length;
    const r = ratingMetrics(p, y);
    expect(r.metrics.RMSE).toBeCloseTo(Math.sqrt(mean * mean + variance), 10);
    expect(r.metrics.MAE).toBeCloseTo(e.map(Math.abs).reduce((a, b) => a + b, 0) / 500, 10);
    expect(r.meta.clipped).toBe(0);
  });

  it('names bad input', () => {
    expect(() => ratingMetrics([1], [1, 2])).toThrow(ConfigError);
    expect(() => ratingMetrics([1, NaN], [1, 2])).toThrow(DataFormatError);
    expect(() => ratingMetrics([1, NaN], [1, 2])).toThrow(/predictions:2/);
    expect(() => ratingMetrics([1], [1], { min: 5, max: 1 })).toThrow(ConfigError);
  });
});
