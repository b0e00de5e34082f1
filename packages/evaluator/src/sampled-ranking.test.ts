import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, type Interaction } from '@meta-id/core';
import { sampleNegatives, sampledRankingMetrics } from './sampled-ranking.js';
import { itemsByUser } from './relevance.js';

describe('sampled 1+N ranking', () => {
  const userItems: Interaction[] = [
    { user: 0, item: 0 },
    { user: 0, item: 1 },
    { user: 0, item: 2 }, // test item
    { user: 1, item: 3 },
    { user: 1, item: 4 }, // test item
  ];
  const test = [{ user: 0, item: 2 }, { user: 1, item: 4 }];

  it('negatives are seeded and never the user\'s own items', () => {
    const rng = new Rng(5);
    const xs: Interaction[] = [];
    for (let u = 0; u < 50; u++) for (let j = 0; j < 30; j++) xs.push({ user: u, item: rng.int(200) });
    const own = itemsByUser(xs);
    const rel = new Map([...own].map(([u, s]) => [u, [...s].slice(0, 1)]));
    const a = sampleNegatives([...rel.keys()], rel, own, 200, 99, 1);
    const b = sampleNegatives([...rel.keys()], rel, own, 200, 99, 1);
    expect(a).toEqual(b);
    for (const [u, negs] of a) {
      expect(new Set(negs).size).toBe(99);
      for (const i of negs) expect(own.get(u)!.has(i)).toBe(false);
    }
    expect(sampleNegatives([...rel.keys()], rel, own, 200, 99, 2)).not.toEqual(a);
  });

  it('scorer: rank of the positive among 1 + N candidates, ties against the model', () => {
    // 10 items, 3 negatives per user. User 0 scores item 2 highest → rank 1 (HR@1 = 1).
    // User 1: every score equal → the positive is placed after its 3 tied negatives: rank 4.
    //   HR@3 = 0, MRR@4 = 1/4, NDCG@4 = 1/log2(5) = 0.4306766
    // Averages over 2 users: HR@1 = 0.5, HR@3 = 0.5, MRR@4 = (1 + 0.25)/2, NDCG@4 = (1 + 0.4306766)/2
    const r = sampledRankingMetrics((u, items) => items.map((i) => (u === 0 ? (i === 2 ? 10 : 0) : 1)), test, {
      numItems: 10,
      userItems,
      numNegatives: 3,
      ks: [1, 3, 4],
    });
    expect(r.metrics['HR@1 (sampled 1+3)']).toBe(0.5);
    expect(r.metrics['HR@3 (sampled 1+3)']).toBe(0.5);
    expect(r.metrics['MRR@4 (sampled 1+3)']).toBeCloseTo(0.625, 12);
    expect(r.metrics['NDCG@4 (sampled 1+3)']).toBeCloseTo((1 + 1 / Math.log2(5)) / 2, 12);
    expect(r.meta.protocol).toBe('sampled');
    expect(r.meta.ties).toBe(3);
  });

  it('rankings: candidates keep their ranking order; unlisted relevant items come last', () => {
    // User 0's ranking lists its positive (2) first → rank 1 among candidates.
    // User 1's ranking does not list item 4 → placed after all 3 negatives: rank 4, HR@3 = 0.
    const r = sampledRankingMetrics([{ user: 0, items: [2, 7] }, { user: 1, items: [0, 1] }], test, {
      numItems: 10,
      userItems,
      numNegatives: 3,
      ks: [3],
    });
    expect(r.metrics['HR@3 (sampled 1+3)']).toBe(0.5);
    expect(r.meta.relevantNotListed).toBe(1);
  });

  it('a user without a ranking is a miss', () => {
    const r = sampledRankingMetrics([{ user: 0, items: [2] }], test, { numItems: 10, userItems, numNegatives: 3, ks: [1] });
    expect(r.metrics['HR@1 (sampled 1+3)']).toBe(0.5);
    expect(r.meta.missingRankings).toBe(1);
  });

  it('a random scorer gives HR@K ≈ K / (N + 1)', () => {
    const rng = new Rng(9);
    const xs: Interaction[] = [];
    const tests: Interaction[] = [];
    for (let u = 0; u < 2000; u++) {
      for (let j = 0; j < 5; j++) xs.push({ user: u, item: rng.int(1000) });
      tests.push(xs[xs.length - 1]);
    }
    const r = sampledRankingMetrics((_u, items) => items.map(() => rng.next()), tests, { numItems: 1000, userItems: xs, ks: [10] });
    // Expected 10/100 = 0.1; binomial sd over 2000 users ≈ 0.0067.
    expect(r.metrics['HR@10 (sampled 1+99)']).toBeGreaterThan(0.08);
    expect(r.metrics['HR@10 (sampled 1+99)']).toBeLessThan(0.12);
  });

  it('needs numItems and userItems', () => {
    expect(() => sampledRankingMetrics([], test, { numItems: 0, userItems })).toThrow(ConfigError);
    expect(() => sampledRankingMetrics([], test, { numItems: 10, userItems: undefined as never })).toThrow(/userItems/);
    expect(() => sampledRankingMetrics([], test, { numItems: 4, userItems, numNegatives: 3 })).toThrow(/outside|fewer/);
  });
});
