import { describe, expect, it } from 'vitest';
import { ConfigError, DataFormatError, generateSyntheticDataset, leaveOneOutSplit, Rng, type EmbeddingTable, type Interaction } from '@meta-id/core';
import { interactionSimilarity, memorizationScore, neighbourLists } from './memorization.js';

function table(ids: string[], rows: number[][]): EmbeddingTable {
  return { ids, dim: rows[0].length, vectors: Float32Array.from(rows.flat()) };
}

describe('interaction similarity', () => {
  // u0: {A, B}, u1: {A, B, C}, u2: {C, D}  (A..D = items 0..3)
  const xs: Interaction[] = [
    { user: 0, item: 0 }, { user: 0, item: 1 },
    { user: 1, item: 0 }, { user: 1, item: 1 }, { user: 1, item: 2 },
    { user: 2, item: 2 }, { user: 2, item: 3 },
  ];
  it('cosine and Jaccard of neighbour sets', () => {
    const { item, user } = neighbourLists(xs, false);
    // N(A) = {0,1}, N(C) = {1,2}: cosine 1/sqrt(2·2) = 0.5, Jaccard 1/3
    expect(interactionSimilarity(item, 0, 2, 'cosine')).toBeCloseTo(0.5, 12);
    expect(interactionSimilarity(item, 0, 2, 'jaccard')).toBeCloseTo(1 / 3, 12);
    // N(C) = {1,2}, N(D) = {2}: cosine 1/sqrt(2) ; users u0 {A,B}, u1 {A,B,C}: 2/sqrt(6)
    expect(interactionSimilarity(item, 2, 3, 'cosine')).toBeCloseTo(Math.SQRT1_2, 12);
    expect(interactionSimilarity(user, 0, 1, 'cosine')).toBeCloseTo(2 / Math.sqrt(6), 12);
    expect(interactionSimilarity(item, 0, 3, 'cosine')).toBe(0);
  });

  it('adjusted cosine (Sarwar et al.): deviations from each shared user\'s mean', () => {
    // u0 rates A 5, B 4, C 1 (mean 10/3); u1 rates A 2, B 1 (mean 3/2)
    // deviations A: [5/3, 1/2], B: [2/3, −1/2]
    // num = 10/9 − 1/4 = 31/36; ΣA² = 25/9 + 1/4 = 109/36; ΣB² = 4/9 + 1/4 = 25/36
    // sim = (31/36) / sqrt(109·25/36²) = 31 / (5·sqrt(109)) = 0.5938528
    const rated: Interaction[] = [
      { user: 0, item: 0, rating: 5 }, { user: 0, item: 1, rating: 4 }, { user: 0, item: 2, rating: 1 },
      { user: 1, item: 0, rating: 2 }, { user: 1, item: 1, rating: 1 },
    ];
    const { item } = neighbourLists(rated, true);
    expect(interactionSimilarity(item, 0, 1, 'adjusted-cosine')).toBeCloseTo(31 / (5 * Math.sqrt(109)), 12);
    expect(() => neighbourLists(xs, true)).toThrow(DataFormatError);
  });

  it('MS over all item pairs, hand-computed (Spearman and the paper-mse form)', () => {
    // Interaction cosine of pairs [AB, AC, AD, BC, BD, CD] = [1, .5, 0, .5, 0, .7071]
    // Vectors A = B = (1,0), C = (0,1), D = (−1,0): cosines [1, 0, −1, 0, −1, 0]
    // ranks s: [6, 3.5, 1.5, 3.5, 1.5, 5]; ranks c: [6, 4, 1.5, 4, 1.5, 4]; both mean 3.5
    // Σ ds·dc = 6.25 + 0 + 4 + 0 + 4 + 0.75 = 15; Σ ds² = 16.5; Σ dc² = 15 → ρ = 15 / sqrt(247.5) = 0.9534626
    // paper-mse: minmax(s) = s; squared errors [0, .25, 1, .25, 1, .5] → mean 0.5 → MS = 0.5
    const emb = table(['i:0', 'i:1', 'i:2', 'i:3'], [[1, 0], [1, 0], [0, 1], [-1, 0]]);
    const r = memorizationScore({ embeddings: emb, interactions: xs, pairs: 'all', entityTypes: ['item'] });
    expect(r.metrics['MS-item']).toBeCloseTo(15 / Math.sqrt(247.5), 12);
    expect(r.metrics.MS).toBe(r.metrics['MS-item']);
    expect(r.count).toBe(6);
    const m = memorizationScore({ embeddings: emb, interactions: xs, pairs: 'all', entityTypes: ['item'], method: 'paper-mse' });
    expect(m.metrics['MS-item']).toBeCloseTo(0.5, 6);
  });
});

describe('memorizationScore on constructed embeddings', () => {
  const data = generateSyntheticDataset({ seed: 3, users: 300, items: 150, reviews: false });
  const split = leaveOneOutSplit(data);
  const train = split.train;

  /** Each entity's vector = its normalised binary interaction row: vector cosine = interaction cosine exactly. */
  function followingEmbeddings(): EmbeddingTable {
    const ids: string[] = [];
    const rows: number[][] = [];
    const nU = data.users.size;
    const nI = data.items.size;
    const itemRows = Array.from({ length: nI }, () => new Array(nU).fill(0));
    const userRows = Array.from({ length: nU }, () => new Array(nI).fill(0));
    for (const x of train) {
      itemRows[x.item][x.user] = 1;
      userRows[x.user][x.item] = 1;
    }
    // Pad both kinds to one width (users first, then items); zeros do not change cosines within a type.
    const width = nU + nI;
    itemRows.forEach((r, i) => {
      ids.push(`i:${data.items.id(i)}`);
      rows.push([...r, ...new Array(nI).fill(0)]);
    });
    userRows.forEach((r, u) => {
      ids.push(`u:${data.users.id(u)}`);
      rows.push([...new Array(nU).fill(0), ...r]);
    });
    expect(rows[0]).toHaveLength(width);
    return table(ids, rows);
  }

  it('embeddings that exactly follow interaction similarity → MS ≈ 1', () => {
    const r = memorizationScore({ embeddings: followingEmbeddings(), interactions: train, users: data.users, items: data.items, pairs: 4000 });
    expect(r.metrics['MS-item']).toBeGreaterThan(0.999);
    expect(r.metrics['MS-user']).toBeGreaterThan(0.999);
    expect(r.meta.types.item!.coInteractionPairs).toBe(2000);
    expect(r.meta.warnings).toEqual([]);
  });

  it('random embeddings → MS ≈ 0 (both sampling schemes)', () => {
    const rng = new Rng(9);
    const ids = [...data.items.ids.map((i) => `i:${i}`), ...data.users.ids.map((u) => `u:${u}`)];
    const emb = table(ids, ids.map(() => Array.from({ length: 16 }, () => rng.normal())));
    for (const sampling of ['mixed', 'uniform'] as const) {
      const r = memorizationScore({ embeddings: emb, interactions: train, users: data.users, items: data.items, pairs: 4000, sampling });
      // sd of ρ over 4000 pairs ≈ 1/sqrt(4000) = 0.016
      expect(Math.abs(r.metrics.MS)).toBeLessThan(0.06);
    }
  });

  it('planted structure: vectors from the true category / community → clearly positive MS', () => {
    const rng = new Rng(10);
    const truth = data.truth!;
    const onehot = (k: number) => Array.from({ length: 8 }, (_, j) => (j === k ? 1 : 0) + 0.3 * rng.normal());
    const ids: string[] = [];
    const rows: number[][] = [];
    for (let i = 0; i < data.items.size; i++) {
      ids.push(`i:${data.items.id(i)}`);
      rows.push(onehot(truth.itemCategory[i]));
    }
    for (let u = 0; u < data.users.size; u++) {
      ids.push(`u:${data.users.id(u)}`);
      rows.push(onehot(truth.userCommunity[u] % 8));
    }
    const r = memorizationScore({ embeddings: table(ids, rows), interactions: train, users: data.users, items: data.items, pairs: 4000 });
    expect(r.metrics['MS-item']).toBeGreaterThan(0.2);
    expect(r.metrics['MS-user']).toBeGreaterThan(0.2);
  });

  it('is seeded, and counts entities it cannot pair instead of dropping them silently', () => {
    const full = followingEmbeddings();
    // Drop the vector of item 0, keep an extra vector for an unknown item.
    const ids = full.ids.slice(1).concat(['i:not-in-data']);
    const vectors = new Float32Array(ids.length * full.dim);
    vectors.set(full.vectors.subarray(full.dim));
    const emb = { ids, dim: full.dim, vectors };
    const a = memorizationScore({ embeddings: emb, interactions: train, users: data.users, items: data.items, pairs: 1000, seed: 1 });
    const b = memorizationScore({ embeddings: emb, interactions: train, users: data.users, items: data.items, pairs: 1000, seed: 1 });
    expect(a.metrics).toEqual(b.metrics);
    expect(a.meta.types.item!.withoutVector).toBe(1);
    expect(a.meta.types.item!.withoutInteractions).toBe(1);
    expect(a.meta.types.item!.zeroVectors).toBe(0); // only paired entities are checked; the unknown item is not paired
  });

  it('rejects bad options', () => {
    const emb = followingEmbeddings();
    expect(() => memorizationScore({ embeddings: emb, interactions: train, pairs: 1 })).toThrow(ConfigError);
    expect(() => memorizationScore({ embeddings: emb, interactions: train, method: 'mse' as never })).toThrow(ConfigError);
    expect(() => memorizationScore({ embeddings: emb, interactions: undefined as never })).toThrow(/interactions/);
  });
});

describe('memorizationScore limits', () => {
  it("refuses 'all' pairs when there would be millions", () => {
    const n = 2100; // 2100·2099/2 = 2,203,950 pairs > 2,000,000
    const xs = Array.from({ length: n }, (_, i) => ({ user: i % 7, item: i }));
    const emb = { ids: Array.from({ length: n }, (_, i) => `i:${i}`), dim: 1, vectors: new Float32Array(n).fill(1) };
    expect(() => memorizationScore({ embeddings: emb, interactions: xs, pairs: 'all', entityTypes: ['item'] })).toThrow(/2203950 item pairs/);
  });
});
