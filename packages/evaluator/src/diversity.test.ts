import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type EmbeddingTable } from '@meta-id/core';
import { diversityScore } from './diversity.js';
import { pythonUnavailable, runPython } from './test-support/python.js';

function table(ids: string[], rows: number[][]): EmbeddingTable {
  return { ids, dim: rows[0].length, vectors: Float32Array.from(rows.flat()) };
}

function randomRows(rng: Rng, n: number, dim: number, scale: number): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: dim }, () => rng.normal() * scale));
}

describe('diversityScore (DS)', () => {
  it('identical vectors → 0', () => {
    const r = diversityScore({ embeddings: table(['i:a', 'i:b', 'i:c'], [[1, 2, 3], [1, 2, 3], [1, 2, 3]]) });
    expect(r.metrics.DS).toBe(0);
    expect(r.metrics['DS-item']).toBe(0);
  });

  it('hand-computed pair', () => {
    // a = [0, 0] → p = (1/2, 1/2); b = [ln 3, 0] → q = (3/4, 1/4)
    // KL(p‖q) = ½ ln(½ / ¾) + ½ ln(½ / ¼) = ½ ln(4/3) = 0.1438410
    // KL(q‖p) = ¾ ln(3/2) + ¼ ln(1/2) = 0.3040988 − 0.1732868 = 0.1308120
    // symmetric (mean of both directions) = 0.1373265; every sampled pair is (a, b) or (b, a).
    const expected = (0.5 * Math.log(4 / 3) + 0.75 * Math.log(1.5) + 0.25 * Math.log(0.5)) / 2;
    expect(expected).toBeCloseTo(0.1373265, 6);
    const emb = new Map<string, number[]>([['a', [0, 0]], ['b', [Math.log(3), 0]]]);
    const r = diversityScore({ embeddings: emb, pairs: 50 });
    expect(r.metrics.DS).toBeCloseTo(expected, 12);
    expect(r.meta.reported).toBe('all');
    expect(diversityScore({ embeddings: emb, pairs: 'all' }).metrics.DS).toBeCloseTo(expected, 12);
  });

  it("'all' pairs agree with the official formula (softmax, eps-clamped KL, mean of both directions) computed directly", () => {
    const rng = new Rng(1);
    const rows = randomRows(rng, 12, 8, 1);
    const softmax = (v: number[]) => {
      const m = Math.max(...v);
      const e = v.map((x) => Math.exp(x - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / s);
    };
    const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + Math.max(pi, 1e-10) * Math.log(Math.max(pi, 1e-10) / Math.max(q[i], 1e-10)), 0);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) {
      const p = softmax(rows[i].map((x) => Math.fround(x)));
      const q = softmax(rows[j].map((x) => Math.fround(x)));
      sum += (kl(p, q) + kl(q, p)) / 2;
      n++;
    }
    const r = diversityScore({ embeddings: table(rows.map((_, i) => `i:${i}`), rows), pairs: 'all' });
    expect(r.metrics.DS).toBeCloseTo(sum / n, 10);
    expect(r.count).toBe(66);
  });

  it('sampled pairs estimate the all-pairs value; seeded; larger, more distinct vectors → larger DS', () => {
    const rng = new Rng(3);
    const rows = randomRows(rng, 60, 16, 1);
    const emb = table(rows.map((_, i) => `i:${i}`), rows);
    const exact = diversityScore({ embeddings: emb, pairs: 'all' }).metrics.DS;
    const sampled = diversityScore({ embeddings: emb, pairs: 20000, seed: 5 });
    expect(Math.abs(sampled.metrics.DS - exact) / exact).toBeLessThan(0.03);
    expect(diversityScore({ embeddings: emb, pairs: 20000, seed: 5 }).metrics.DS).toBe(sampled.metrics.DS);
    const wider = table(rows.map((_, i) => `i:${i}`), rows.map((r) => r.map((x) => 3 * x)));
    expect(diversityScore({ embeddings: wider, pairs: 'all' }).metrics.DS).toBeGreaterThan(exact);
  });

  it('scores items and users separately; DS is the item score', () => {
    const rng = new Rng(4);
    const items = randomRows(rng, 10, 4, 2);
    const users = Array.from({ length: 10 }, () => [0.1, 0.1, 0.1, 0.1]);
    const emb = table([...items.map((_, i) => `i:${i}`), ...users.map((_, i) => `u:${i}`)], [...items, ...users]);
    const r = diversityScore({ embeddings: emb, pairs: 'all' });
    expect(r.metrics['DS-user']).toBe(0);
    expect(r.metrics['DS-item']).toBeGreaterThan(0);
    expect(r.metrics.DS).toBe(r.metrics['DS-item']);
    expect(r.meta.entities).toEqual({ item: 10, user: 10 });
  });

  it('rejects bad options and mixed keys', () => {
    const emb = table(['i:a', 'b'], [[1], [2]]);
    expect(() => diversityScore({ embeddings: emb })).toThrow(/mixes entity keys/);
    expect(() => diversityScore({ embeddings: table(['i:a', 'i:b'], [[1], [2]]), pairs: 0 })).toThrow(ConfigError);
    expect(() => diversityScore({ embeddings: new Map([['a', [1, NaN]]]) })).toThrow(/non-finite/);
  });

  const why = pythonUnavailable(['numpy', 'scipy']);
  it.skipIf(why !== undefined)(`agrees with scipy (softmax + entropy) over all pairs${why ? ` (skipped: ${why})` : ''}`, () => {
    const rng = new Rng(8);
    const rows = randomRows(rng, 20, 10, 1.5).map((r) => r.map((x) => Math.fround(x)));
    const py = runPython<{ ds: number }>(
      `import numpy as np
from scipy.special import softmax
from scipy.stats import entropy
P = softmax(np.array(data['rows'], dtype=np.float64), axis=1)
vals = [(entropy(P[i], P[j]) + entropy(P[j], P[i])) / 2 for i in range(len(P)) for j in range(i + 1, len(P))]
print(json.dumps({'ds': float(np.mean(vals))}))`,
      { rows },
    );
    const r = diversityScore({ embeddings: table(rows.map((_, i) => `i:${i}`), rows), pairs: 'all' });
    expect(r.metrics.DS).toBeCloseTo(py.ds, 10);
  });
});
