import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@meta-id/core';
import { pca } from './pca.js';
import { pythonUnavailable, runPython } from './test-support/python.js';

describe('pca (power iteration)', () => {
  it('recovers known axes of constructed data', () => {
    // Points spread with sd 5 along (1,1,0)/√2 and sd 1 along (1,−1,0)/√2, nothing along z.
    // Covariance eigenvalues ≈ 25 and 1; explained ratios ≈ 25/26 and 1/26.
    const rng = new Rng(1);
    const n = 4000;
    const data = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const a = 5 * rng.normal();
      const b = rng.normal();
      data[i * 3] = (a + b) / Math.SQRT2 + 10; // an offset the centring must remove
      data[i * 3 + 1] = (a - b) / Math.SQRT2 - 3;
      data[i * 3 + 2] = 0;
    }
    const r = pca(data, n, 3, { seed: 3 });
    const [u, v] = r.components;
    expect(Math.abs(u[0])).toBeCloseTo(Math.SQRT1_2, 2);
    expect(Math.abs(u[1])).toBeCloseTo(Math.SQRT1_2, 2);
    expect(Math.sign(u[0])).toBe(Math.sign(u[1]));
    expect(Math.sign(v[0])).toBe(-Math.sign(v[1]));
    expect(r.variances[0]).toBeGreaterThan(22);
    expect(r.variances[0]).toBeLessThan(28);
    expect(r.variances[1]).toBeGreaterThan(0.9);
    expect(r.variances[1]).toBeLessThan(1.1);
    expect(r.explainedVarianceRatio[0] + r.explainedVarianceRatio[1]).toBeCloseTo(1, 10);
    // Orthonormal axes.
    expect(u[0] * v[0] + u[1] * v[1] + u[2] * v[2]).toBeCloseTo(0, 10);
    // Projections are centred.
    let s = 0;
    for (let i = 0; i < n; i++) s += r.points[i * 2];
    expect(s / n).toBeCloseTo(0, 8);
  });

  it('is seeded and rejects bad shapes', () => {
    const rng = new Rng(2);
    const data = Float64Array.from({ length: 50 * 6 }, () => rng.normal());
    expect(pca(data, 50, 6, { seed: 1 }).points).toEqual(pca(data, 50, 6, { seed: 1 }).points);
    expect(() => pca(data, 49, 6)).toThrow(ConfigError);
    expect(() => pca(data, 50, 6, { components: 7 })).toThrow(ConfigError);
  });

  const why = pythonUnavailable(['numpy']);
  it.skipIf(why !== undefined)(`agrees with numpy's eigendecomposition of the covariance${why ? ` (skipped: ${why})` : ''}`, () => {
    const rng = new Rng(5);
    const n = 300;
    const dim = 8;
    // Distinct variances per direction so the top two eigenvalues are well separated.
    const data = Array.from({ length: n * dim }, (_, i) => rng.normal() * (dim - (i % dim)));
    const py = runPython<{ vals: number[]; vecs: number[][] }>(
      `import numpy as np
X = np.array(data['x']).reshape(${n}, ${dim})
C = np.cov(X - X.mean(0), rowvar=False, bias=True)
w, V = np.linalg.eigh(C)
idx = np.argsort(w)[::-1][:2]
print(json.dumps({'vals': w[idx].tolist(), 'vecs': V[:, idx].T.tolist()}))`,
      { x: data },
    );
    const r = pca(Float64Array.from(data), n, dim);
    for (let c = 0; c < 2; c++) {
      expect(r.variances[c]).toBeCloseTo(py.vals[c], 6);
      const dot = r.components[c].reduce((s, x, j) => s + x * py.vecs[c][j], 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 6);
    }
  });
});
