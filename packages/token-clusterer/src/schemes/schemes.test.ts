import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateSyntheticDataset, Rng, entityKey, type EmbeddingTable } from '@meta-id/core';
import { buildCodebook } from '../build.js';
import { checkCodebook } from '../codebook.js';
import { cooccurrenceTable, nmi, purity } from '../test-support/cooccurrence.js';

function randomTable(users: number, items: number, dim: number, seed: number): EmbeddingTable {
  const rng = new Rng(seed);
  const ids = [...Array.from({ length: users }, (_, i) => entityKey('user', `U${i}`)), ...Array.from({ length: items }, (_, i) => entityKey('item', `I${i}`))];
  const vectors = new Float32Array(ids.length * dim).map(() => rng.normal());
  return { ids, dim, vectors };
}

function expectUnique(codes: Record<string, string[]>, n: number): void {
  expect(Object.keys(codes).length).toBe(n);
  expect(new Set(Object.values(codes).map((c) => c.join(''))).size).toBe(n);
}

const quiet = { printStats: false, progress: false } as const;

describe('meta-id scheme', () => {
  it('gives <CTa><b> codes, b = rank by distance inside the cluster from 1001, unique per entity', async () => {
    const t = randomTable(300, 200, 8, 1);
    const cb = await buildCodebook(t, { scheme: 'meta-id', k: 12, seed: 3, ...quiet });
    expectUnique(cb.codes, 500);
    checkCodebook(cb, { entities: t.ids, requireAll: true });
    // recompute the ranks independently from the centroids stored in the codebook
    const centroid = new Map(cb.tokens.filter((x) => x.level === 0).map((x) => [x.token, x.centroid!]));
    expect(centroid.size).toBe(12);
    const byCluster = new Map<string, { id: string; d: number; fine: number }[]>();
    t.ids.forEach((id, i) => {
      const [ct, fine] = cb.codes[id];
      expect(ct).toMatch(/^<CT\d+>$/);
      const v = Array.from(t.vectors.subarray(i * 8, i * 8 + 8));
      const norm = Math.hypot(...v);
      const c = centroid.get(ct)!;
      const d = v.reduce((s, x, k) => s + (x / norm - c[k]) ** 2, 0);
      // its cluster is the nearest centroid (cosine: compare unit vectors)
      for (const other of centroid.values()) expect(d).toBeLessThanOrEqual(v.reduce((s, x, k) => s + (x / norm - other[k]) ** 2, 0) + 1e-5);
      const list = byCluster.get(ct) ?? [];
      list.push({ id, d, fine: Number(fine.slice(1, -1)) });
      byCluster.set(ct, list);
    });
    let largest = 0;
    for (const list of byCluster.values()) {
      largest = Math.max(largest, list.length);
      const byFine = [...list].sort((a, b) => a.fine - b.fine);
      expect(byFine.map((x) => x.fine)).toEqual(byFine.map((_, r) => 1001 + r));
      for (let r = 1; r < byFine.length; r++) expect(byFine[r].d).toBeGreaterThanOrEqual(byFine[r - 1].d - 1e-6);
    }
    expect(cb.tokens.filter((x) => x.level === 1).length).toBe(largest);
    const stats = cb.stats as { tokensPerLevel: number[]; codeLength: { min: number; max: number }; clusterSizes: { max: number }[] };
    expect(stats.tokensPerLevel).toEqual([12, largest]);
    expect(stats.codeLength.min).toBe(2);
    expect(stats.codeLength.max).toBe(2);
    expect(stats.clusterSizes[0].max).toBe(largest);
  });

  it('clusters users and items apart on request, with disjoint coarse tokens', async () => {
    const t = randomTable(120, 80, 6, 2);
    const cb = await buildCodebook(t, { scheme: 'meta-id', k: 5, joint: false, seed: 1, ...quiet });
    expectUnique(cb.codes, 200);
    const userCt = new Set(t.ids.filter((id) => id.startsWith('u:')).map((id) => cb.codes[id][0]));
    const itemCt = new Set(t.ids.filter((id) => id.startsWith('i:')).map((id) => cb.codes[id][0]));
    expect([...userCt].sort()).toEqual(['<CT0>', '<CT1>', '<CT2>', '<CT3>', '<CT4>']);
    expect([...itemCt].sort()).toEqual(['<CT5>', '<CT6>', '<CT7>', '<CT8>', '<CT9>']);
  });

  it('is reproducible from its seed', async () => {
    const t = randomTable(100, 100, 5, 3);
    const a = await buildCodebook(t, { k: 7, seed: 9, ...quiet });
    const b = await buildCodebook(t, { k: 7, seed: 9, ...quiet });
    expect(a.codes).toEqual(b.codes);
  });

  it('keeps codes unique even when many vectors coincide', async () => {
    const t = randomTable(50, 50, 4, 4);
    for (let i = 1; i < 60; i++) t.vectors.set(t.vectors.subarray(0, 4), i * 4); // 60 identical vectors
    const cb = await buildCodebook(t, { k: 6, seed: 1, ...quiet });
    expectUnique(cb.codes, 100);
  });
});

describe('hierarchical scheme', () => {
  it('gives level tokens plus a disambiguation token only where level codes collide', async () => {
    const t = randomTable(400, 300, 8, 5);
    const cb = await buildCodebook(t, { scheme: 'hierarchical', levels: [6, 3], seed: 2, ...quiet });
    expectUnique(cb.codes, 700);
    checkCodebook(cb, { entities: t.ids, requireAll: true });
    const groups = new Map<string, string[]>();
    for (const [id, code] of Object.entries(cb.codes)) {
      expect(code[0]).toMatch(/^<L1_\d>$/);
      expect(code[1]).toMatch(/^<L2_\d>$/);
      const key = code.slice(0, 2).join('');
      groups.set(key, [...(groups.get(key) ?? []), id]);
    }
    for (const ids of groups.values()) {
      for (const id of ids) expect(cb.codes[id].length).toBe(ids.length > 1 ? 3 : 2);
    }
    // bounded: 6 + 3 level tokens plus the largest collision group
    const largest = Math.max(...[...groups.values()].map((g) => g.length));
    expect(cb.tokens.length).toBe(6 + 3 + largest);
    // no code is a prefix of another (trie-safe)
    const texts = Object.values(cb.codes).map((c) => c.join('|') + '|');
    let prefixes = 0;
    for (const a of texts) for (const b of texts) if (a !== b && b.startsWith(a)) prefixes++;
    expect(prefixes).toBe(0);
  });

  it('needs no disambiguation when levels separate every entity', async () => {
    // 4 tight groups of 4 well separated points: levels [4, 4] give 16 distinct codes
    const rng = new Rng(1);
    const ids: string[] = [];
    const v: number[] = [];
    for (let g = 0; g < 4; g++) {
      for (let m = 0; m < 4; m++) {
        ids.push(entityKey('item', `${g}-${m}`));
        v.push(g * 100 + (m % 2) * 10 + rng.normal() * 0.01, g * 50 + Math.floor(m / 2) * 10 + rng.normal() * 0.01);
      }
    }
    const cb = await buildCodebook({ ids, dim: 2, vectors: Float32Array.from(v) }, { scheme: 'hierarchical', levels: [4, 4], metric: 'euclidean', seed: 3, ...quiet });
    expect(Object.values(cb.codes).every((c) => c.length === 2)).toBe(true);
    expect((cb.stats as { collisionsResolved: number }).collisionsResolved).toBe(0);
    expectUnique(cb.codes, 16);
  });

  it('rejects contradictory options by name', async () => {
    await expect(buildCodebook(randomTable(10, 10, 3, 1), { scheme: 'hierarchical', k: 5, levels: [4], ...quiet })).rejects.toThrow(/option levels/);
    await expect(buildCodebook(randomTable(10, 10, 3, 1), { scheme: 'nope' as never })).rejects.toThrow(/option scheme/);
    await expect(buildCodebook({ ids: ['x', 'y'], dim: 1, vectors: new Float32Array(2) }, { k: 1, ...quiet })).rejects.toThrow(/entity key/);
  });
});

describe('coarse tokens follow planted structure (synthetic dataset)', () => {
  it('users of one community and items of one category share coarse tokens far more than chance', async () => {
    const data = generateSyntheticDataset({ seed: 11, users: 600, items: 240, communities: 6, categories: 6 });
    const t = cooccurrenceTable(data);
    const cb = await buildCodebook(t, { k: 6, seed: 5, ...quiet });
    const cluster = t.ids.map((id) => Number(cb.codes[id][0].slice(3, -1)));
    const U = data.users.size;
    const truth = [...Array.from(data.truth!.userCommunity), ...Array.from(data.truth!.itemCategory)];
    const score = nmi(cluster, truth);
    const shuffled = new Rng(1).shuffle([...truth]);
    const chance = nmi(cluster, shuffled);
    expect(score).toBeGreaterThan(0.5);
    expect(chance).toBeLessThan(0.05);
    expect(purity(cluster.slice(0, U), truth.slice(0, U))).toBeGreaterThan(0.7);
  });
});

const BEAUTY = resolve(__dirname, '../../../../../shared/data/amazon-p5/beauty/datamaps.json');

describe.skipIf(!existsSync(BEAUTY))('Beauty-sized codebook (needs ../shared/data)', () => {
  it('codes all 34,464 Beauty users and items uniquely in the release\'s shape', async () => {
    const maps = JSON.parse(readFileSync(BEAUTY, 'utf8')) as { user2id: Record<string, string>; item2id: Record<string, string> };
    const ids = [...Object.keys(maps.user2id).map((u) => entityKey('user', u)), ...Object.keys(maps.item2id).map((i) => entityKey('item', i))];
    expect(ids.length).toBe(34464);
    const rng = new Rng(2);
    const dim = 8;
    const vectors = new Float32Array(ids.length * dim).map(() => rng.normal());
    const cb = await buildCodebook({ ids, dim, vectors }, { k: 100, seed: 1, maxIter: 15, backend: 'typescript', ...quiet });
    expectUnique(cb.codes, 34464);
    checkCodebook(cb, { entities: ids, requireAll: true });
    const stats = cb.stats as { tokensPerLevel: number[] };
    expect(stats.tokensPerLevel[0]).toBe(100);
  }, 60_000);
});
