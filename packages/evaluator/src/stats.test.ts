import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { averageRanks, pearson, spearman } from './stats.js';
import { pythonUnavailable, runPython } from './test-support/python.js';

describe('ranks and correlations', () => {
  it('hand-computed Spearman with ties', () => {
    // x = [1,2,3,4,5] → ranks [1,2,3,4,5]; y = [5,6,7,8,7] → ranks [1,2,3.5,5,3.5]
    // centred: dx = [-2,-1,0,1,2], dy = [-2,-1,0.5,2,0.5]
    // Σdxdy = 4+1+0+2+1 = 8; Σdx² = 10; Σdy² = 4+1+0.25+4+0.25 = 9.5 → ρ = 8/sqrt(95) = 0.8207827
    expect(Array.from(averageRanks([5, 6, 7, 8, 7]))).toEqual([1, 2, 3.5, 5, 3.5]);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 1, 1], [2, 4, 6])).toBeNaN();
  });

  const why = pythonUnavailable(['scipy']);
  it.skipIf(why !== undefined)(`agrees with scipy.stats.spearmanr / pearsonr${why ? ` (skipped: ${why})` : ''}`, () => {
    const rng = new Rng(2);
    const x = Array.from({ length: 300 }, () => rng.int(20)); // many ties
    const y = x.map((v) => v + rng.normal() * 5);
    const py = runPython<{ s: number; p: number }>(
      `from scipy.stats import spearmanr, pearsonr
print(json.dumps({'s': float(spearmanr(data['x'], data['y'])[0]), 'p': float(pearsonr(data['x'], data['y'])[0])}))`,
      { x, y },
    );
    expect(spearman(x, y)).toBeCloseTo(py.s, 10);
    expect(pearson(x, y)).toBeCloseTo(py.p, 10);
  });
});
