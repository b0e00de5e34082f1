import { describe, expect, it } from 'vitest';
import { Rng, entityKey, type EmbeddingTable } from '@meta-id/core';
import { buildCodebook } from './build.js';
import { checkCodebook } from './codebook.js';
import { ColdStartCoder, codeNewEntities, coldStartVector } from './cold-start.js';

function table(n: number, dim: number, seed: number, prefix = ''): EmbeddingTable {
  const rng = new Rng(seed);
  const ids = Array.from({ length: n }, (_, i) => entityKey(i % 3 ? 'item' : 'user', `${prefix}${i}`));
  return { ids, dim, vectors: new Float32Array(n * dim).map(() => rng.normal()) };
}
const quiet = { printStats: false, progress: false } as const;

describe('cold start', () => {
  it('meta-id: nearest centroid and the next free fine token; old codes unchanged; still unique', async () => {
    const t = table(300, 6, 1);
    const cb = await buildCodebook(t, { k: 8, seed: 2, ...quiet });
    const before = structuredClone(cb.codes);
    const fresh = table(40, 6, 99, 'new');
    const added = codeNewEntities(cb, fresh);
    for (const [k, v] of Object.entries(before)) expect(cb.codes[k]).toEqual(v);
    expect(Object.keys(cb.codes).length).toBe(340);
    checkCodebook(cb); // unique codes, member counts still right
    const centroids = cb.tokens.filter((x) => x.level === 0);
    fresh.ids.forEach((id, i) => {
      const v = Array.from(fresh.vectors.subarray(i * 6, i * 6 + 6));
      const norm = Math.hypot(...v);
      const dist = (c: number[]) => v.reduce((s, x, d) => s + (x / norm - c[d]) ** 2, 0);
      const best = centroids.reduce((a, b) => (dist(b.centroid!) < dist(a.centroid!) ? b : a));
      expect(added[id][0]).toBe(best.token);
    });
    // the first new entity in a cluster takes the number after that cluster's last one
    const first = fresh.ids[0];
    const ct = added[first][0];
    const oldMax = Math.max(...Object.entries(before).filter(([, c]) => c[0] === ct).map(([, c]) => Number(c[1].slice(1, -1))));
    expect(added[first][1]).toBe(`<${oldMax + 1}>`);
  });

  it('meta-id apart: a new user only gets user clusters', async () => {
    const t = table(300, 5, 3);
    const cb = await buildCodebook(t, { k: 4, joint: false, seed: 1, ...quiet });
    const userTokens = new Set(Object.entries(cb.codes).filter(([k]) => k.startsWith('u:')).map(([, c]) => c[0]));
    const coder = new ColdStartCoder(cb);
    const rng = new Rng(5);
    for (let i = 0; i < 20; i++) expect(userTokens.has(coder.code(`u:n${i}`, Array.from({ length: 5 }, () => rng.normal()))[0])).toBe(true);
    checkCodebook(cb);
  });

  it('hierarchical: level by level on residuals, disambiguation only on collision, unique', async () => {
    const t = table(400, 6, 4);
    const cb = await buildCodebook(t, { scheme: 'hierarchical', levels: [4, 2], seed: 1, ...quiet });
    const fresh = table(50, 6, 77, 'new');
    const added = codeNewEntities(cb, fresh);
    checkCodebook(cb);
    for (const code of Object.values(added)) {
      expect(code[0]).toMatch(/^<L1_/);
      expect(code[1]).toMatch(/^<L2_/);
      // 4 × 2 level codes for 400 entities: every level code is taken, so new ones need a disambiguator
      expect(code.length).toBe(3);
    }
  });

  it('rejects an entity that already has a code, and a vector of the wrong size', async () => {
    const t = table(60, 4, 6);
    const cb = await buildCodebook(t, { k: 3, seed: 1, ...quiet });
    const coder = new ColdStartCoder(cb);
    expect(() => coder.code(t.ids[0], [1, 0, 0, 0])).toThrow(/already has a code/);
    expect(() => coder.code('i:zz', [1, 0])).toThrow(/has 2 values, the codebook's dim is 4/);
    expect(() => new ColdStartCoder({ ...cb, scheme: 'other' })).toThrow(/cold start needs/);
  });

  it('a vector from interactions: the mean of the neighbours\' unit vectors, missing ones reported', () => {
    const t: EmbeddingTable = { ids: ['i:a', 'i:b', 'i:c'], dim: 2, vectors: new Float32Array([2, 0, 0, 3, 1, 1]) };
    const v = coldStartVector(t, ['i:a', 'i:b', 'i:x']);
    expect(Array.from(v.vector)).toEqual([0.5, 0.5]);
    expect(v.used).toEqual(['i:a', 'i:b']);
    expect(v.missing).toEqual(['i:x']);
    const e = coldStartVector(t, ['i:a', 'i:b'], { metric: 'euclidean', weights: [3, 1] });
    expect(Array.from(e.vector)).toEqual([1.5, 0.75]);
    expect(() => coldStartVector(t, ['i:q'])).toThrow(/none of the 1 neighbours/);
  });
});
