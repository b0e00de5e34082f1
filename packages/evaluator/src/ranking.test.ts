import { describe, expect, it } from 'vitest';
import { ConfigError, DataFormatError, Rng, type Ranking } from '@meta-id/core';
import { rankingMetrics } from './ranking.js';
import { pythonUnavailable, runPython } from './test-support/python.js';

describe('rankingMetrics: hand-computed cases', () => {
  it('one relevant item at rank 2', () => {
    // ranking [7, 3, 9, 1, 2], relevant {3} → first hit at rank 2.
    // HR@1 = 0, HR@3 = 1; MRR@3 = 1/2; NDCG@3 = (1/log2(3)) / (1/log2(2)) = 0.630930
    const r = rankingMetrics([{ user: 0, items: [7, 3, 9, 1, 2] }], [{ user: 0, item: 3 }], { ks: [1, 3] });
    expect(r.metrics['HR@1']).toBe(0);
    expect(r.metrics['HR@3']).toBe(1);
    expect(r.metrics['MRR@1']).toBe(0);
    expect(r.metrics['MRR@3']).toBe(0.5);
    expect(r.metrics['NDCG@1']).toBe(0);
    expect(r.metrics['NDCG@3']).toBeCloseTo(0.6309297536, 10);
    expect(r.metrics['Recall@3']).toBe(1);
    expect(r.count).toBe(1);
  });

  it('several relevant items', () => {
    // ranking [1..6], relevant {2, 5, 9}: hits at ranks 2 and 5; 9 never listed.
    // @5: HR 1; Recall 2/3; MRR 1/2;
    //     DCG = 1/log2(3) + 1/log2(6) = 0.6309298 + 0.3868528 = 1.0177826
    //     IDCG = min(3,5)=3 ideal hits: 1 + 0.6309298 + 0.5 = 2.1309298 → NDCG 0.4776219
    // @3: one hit (rank 2): Recall 1/3; DCG 0.6309298; IDCG 2.1309298 → 0.2960819
    // @1: nothing; IDCG@1 = 1 → NDCG 0
    const r = rankingMetrics([{ user: 1, items: [1, 2, 3, 4, 5, 6] }], new Map([[1, [2, 5, 9]]]), { ks: [1, 3, 5] });
    expect(r.metrics['HR@5']).toBe(1);
    expect(r.metrics['Recall@5']).toBeCloseTo(2 / 3, 12);
    expect(r.metrics['MRR@5']).toBe(0.5);
    expect(r.metrics['NDCG@5']).toBeCloseTo(1.0177826 / 2.1309298, 6);
    expect(r.metrics['Recall@3']).toBeCloseTo(1 / 3, 12);
    expect(r.metrics['NDCG@3']).toBeCloseTo(0.6309298 / 2.1309298, 6);
    expect(r.metrics['HR@1']).toBe(0);
    expect(r.metrics['NDCG@1']).toBe(0);
  });

  it('a user without a ranking is a miss, counted, never skipped', () => {
    // users 0 (hit at rank 1), 1 (no ranking), 2 (miss): HR@2 = (1 + 0 + 0) / 3
    const r = rankingMetrics(
      [{ user: 0, items: [4, 1] }, { user: 2, items: [5, 6] }, { user: 9, items: [1] }],
      [{ user: 0, item: 4 }, { user: 1, item: 4 }, { user: 2, item: 0 }],
      { ks: [2] },
    );
    expect(r.count).toBe(3);
    expect(r.metrics['HR@2']).toBeCloseTo(1 / 3, 12);
    expect(r.metrics['NDCG@2']).toBeCloseTo(1 / 3, 12);
    expect(r.meta.missingRankings).toBe(1);
    expect(r.meta.rankingsWithoutRelevant).toBe(1); // user 9
  });

  it('repeated items keep their first rank; exclude removes seen items but never relevant ones', () => {
    // [5, 5, 8]: the repeat is dropped, 8 sits at rank 2 → NDCG@2 = 1/log2(3)
    const r = rankingMetrics([{ user: 0, items: [5, 5, 8] }], [{ user: 0, item: 8 }], { ks: [2] });
    expect(r.metrics['NDCG@2']).toBeCloseTo(1 / Math.log2(3), 12);
    expect(r.meta.duplicateItems).toBe(1);
    // Excluding training item 5 moves 8 to rank 1 → NDCG@1 = 1.
    const f = rankingMetrics([{ user: 0, items: [5, 8] }], [{ user: 0, item: 8 }], {
      ks: [1],
      exclude: [{ user: 0, item: 5 }, { user: 0, item: 8 }],
    });
    expect(f.metrics['NDCG@1']).toBe(1);
    expect(f.meta.excludedItems).toBe(1);
  });

  it('takes a core Split (test or validation part)', () => {
    const split = {
      kind: 'leave-one-out' as const,
      numUsers: 1,
      numItems: 5,
      train: [{ user: 0, item: 0 }],
      validation: [{ user: 0, item: 1 }],
      test: [{ user: 0, item: 2 }],
    };
    const rankings = [{ user: 0, items: [2, 1] }];
    expect(rankingMetrics(rankings, split, { ks: [1] }).metrics['HR@1']).toBe(1);
    expect(rankingMetrics(rankings, split, { ks: [1], target: 'validation' }).metrics['HR@1']).toBe(0);
  });

  it('rejects bad input with actionable errors', () => {
    expect(() => rankingMetrics([], [], { ks: [0] })).toThrow(ConfigError);
    expect(() => rankingMetrics([{ user: 0, items: [1.5] }], [{ user: 0, item: 1 }])).toThrow(DataFormatError);
    expect(() => rankingMetrics([{ user: 0, items: [1] }, { user: 0, items: [2] }], [{ user: 0, item: 1 }])).toThrow(/second ranking for user 0/);
    expect(() => rankingMetrics([], [], { metrics: ['AUC' as never] })).toThrow(/unknown ranking metric/);
  });
});

/** Textbook DCG over a graded relevance vector, written independently of the package. */
function referenceNdcg(ranked: number[], relevant: Set<number>, k: number): number {
  const gains = ranked.slice(0, k).map((i): number => (relevant.has(i) ? 1 : 0));
  const dcg = gains.reduce((s, g, i) => s + (Math.pow(2, g) - 1) / Math.log2(i + 2), 0);
  const ideal = Array.from({ length: relevant.size }, () => 1).slice(0, k);
  const idcg = ideal.reduce((s, g, i) => s + (Math.pow(2, g) - 1) / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

function randomCase(rng: Rng, users: number, numItems: number, maxRel: number) {
  const rankings: Ranking[] = [];
  const relevant = new Map<number, number[]>();
  for (let u = 0; u < users; u++) {
    const perm = rng.shuffle(Array.from({ length: numItems }, (_, i) => i));
    rankings.push({ user: u, items: perm });
    const nRel = 1 + rng.int(maxRel);
    relevant.set(u, rng.shuffle(Array.from({ length: numItems }, (_, i) => i)).slice(0, nRel));
  }
  return { rankings, relevant };
}

describe('rankingMetrics against independent formulas', () => {
  it('matches a straightforward DCG/IDCG, hit, recall and reciprocal-rank computation on random cases', () => {
    const rng = new Rng(7);
    const { rankings, relevant } = randomCase(rng, 200, 40, 4);
    const ks = [1, 5, 10, 20];
    const r = rankingMetrics(rankings, relevant, { ks });
    for (const k of ks) {
      let ndcg = 0, hr = 0, recall = 0, mrr = 0;
      for (const { user, items } of rankings) {
        const rel = new Set(relevant.get(user));
        ndcg += referenceNdcg(items, rel, k);
        const top = items.slice(0, k);
        const found = top.filter((i) => rel.has(i)).length;
        hr += found > 0 ? 1 : 0;
        recall += found / rel.size;
        const first = top.findIndex((i) => rel.has(i));
        mrr += first >= 0 ? 1 / (first + 1) : 0;
      }
      expect(r.metrics[`NDCG@${k}`]).toBeCloseTo(ndcg / 200, 12);
      expect(r.metrics[`HR@${k}`]).toBeCloseTo(hr / 200, 12);
      expect(r.metrics[`Recall@${k}`]).toBeCloseTo(recall / 200, 12);
      expect(r.metrics[`MRR@${k}`]).toBeCloseTo(mrr / 200, 12);
    }
  });

  const why = pythonUnavailable(['numpy', 'sklearn']);
  it.skipIf(why !== undefined)(`agrees with sklearn.metrics.ndcg_score and top_k_accuracy_score${why ? ` (skipped: ${why})` : ''}`, () => {
    const rng = new Rng(11);
    const numItems = 30;
    const { rankings, relevant } = randomCase(rng, 60, numItems, 3);
    // One relevant item per user for top_k_accuracy (HR@K); several for NDCG.
    const single = new Map([...relevant].map(([u, items]) => [u, [items[0]]]));
    const ks = [1, 5, 10];
    const ours = rankingMetrics(rankings, relevant, { ks });
    const oursSingle = rankingMetrics(rankings, single, { ks });
    // Scores: a full permutation, so sklearn sees no ties.
    const scores = rankings.map((r) => {
      const s = new Array(numItems).fill(0);
      r.items.forEach((item, rank) => (s[item] = numItems - rank));
      return s;
    });
    const truth = rankings.map((r) => {
      const t = new Array(numItems).fill(0);
      for (const i of relevant.get(r.user)!) t[i] = 1;
      return t;
    });
    const labels = rankings.map((r) => single.get(r.user)![0]);
    const py = runPython<Record<string, number>>(
      `import numpy as np
from sklearn.metrics import ndcg_score, top_k_accuracy_score
out = {}
for k in data['ks']:
    out['NDCG@%d' % k] = float(ndcg_score(np.array(data['truth']), np.array(data['scores'], dtype=float), k=k))
    out['HR@%d' % k] = float(top_k_accuracy_score(np.array(data['labels']), np.array(data['scores'], dtype=float), k=k, labels=list(range(${numItems}))))
print(json.dumps(out))`,
      { ks, truth, scores, labels },
    );
    for (const k of ks) {
      expect(ours.metrics[`NDCG@${k}`]).toBeCloseTo(py[`NDCG@${k}`], 10);
      expect(oursSingle.metrics[`HR@${k}`]).toBeCloseTo(py[`HR@${k}`], 10);
    }
  });
});
