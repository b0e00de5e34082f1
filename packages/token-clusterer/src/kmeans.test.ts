import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { kmeans, meanVariance } from './kmeans.js';
import { kmeansPlusPlus, searchSorted } from './kmeans-plusplus.js';
import { createWasmSimdSeeding, distanceMatrixReference } from '@meta-id/kernels';

function blobs(n: number, dim: number, centers: number, spread: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const c = Array.from({ length: centers * dim }, () => rng.normal() * 5);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const b = i % centers;
    for (let d = 0; d < dim; d++) out[i * dim + d] = c[b * dim + d] + rng.normal() * spread;
  }
  return out;
}

describe('kmeans (euclidean)', () => {
  it('solves a hand-computed case', async () => {
    // two pairs: {(0,0),(0,1)} and {(10,0),(10,1)} → centroids (0,.5), (10,.5), inertia 4 × 0.25
    const x = new Float32Array([0, 0, 10, 0, 0, 1, 10, 1]);
    const r = await kmeans(x, 4, 2, { k: 2, metric: 'euclidean', seed: 3, progress: false });
    expect(r.labels[0]).toBe(r.labels[2]);
    expect(r.labels[1]).toBe(r.labels[3]);
    expect(r.labels[0]).not.toBe(r.labels[1]);
    const c0 = Array.from(r.centroids.subarray(r.labels[0] * 2, r.labels[0] * 2 + 2));
    const c1 = Array.from(r.centroids.subarray(r.labels[1] * 2, r.labels[1] * 2 + 2));
    expect(c0).toEqual([0, 0.5]);
    expect(c1).toEqual([10, 0.5]);
    expect(r.inertia).toBeCloseTo(1, 10);
    expect(r.stop).toBe('labels-stable');
  });

  it('finds the optimum found by exhaustive search over all 2-partitions', async () => {
    const rng = new Rng(5);
    const n = 10;
    const x = new Float32Array(n * 2).map(() => rng.normal());
    // brute force: every split into two non-empty groups
    let best = Infinity;
    for (let mask = 1; mask < (1 << n) - 1; mask++) {
      let cost = 0;
      for (const side of [0, 1]) {
        const idx = [...Array(n).keys()].filter((i) => ((mask >> i) & 1) === side);
        const m = [0, 1].map((d) => idx.reduce((s, i) => s + x[i * 2 + d], 0) / idx.length);
        for (const i of idx) cost += (x[i * 2] - m[0]) ** 2 + (x[i * 2 + 1] - m[1]) ** 2;
      }
      best = Math.min(best, cost);
    }
    let ours = Infinity;
    for (let seed = 1; seed <= 5; seed++) ours = Math.min(ours, (await kmeans(x, n, 2, { k: 2, metric: 'euclidean', seed, progress: false })).inertia);
    expect(ours).toBeGreaterThanOrEqual(best - 1e-9);
    expect(ours).toBeCloseTo(best, 5);
  });

  it('ends at a Lloyd fixed point checked by brute force (nearest centroid, centroid = mean)', async () => {
    const n = 600;
    const dim = 5;
    const x = blobs(n, dim, 7, 2, 9);
    const r = await kmeans(x, n, dim, { k: 9, metric: 'euclidean', seed: 2, tol: 0, progress: false });
    const dm = distanceMatrixReference({ points: x, n, dim, centers: r.centroids, m: 9 });
    for (let i = 0; i < n; i++) {
      const row = Array.from(dm.subarray(i * 9, i * 9 + 9));
      expect(row[r.labels[i]]).toBeLessThanOrEqual(Math.min(...row) + 1e-4);
    }
    for (let j = 0; j < 9; j++) {
      const mem = [...Array(n).keys()].filter((i) => r.labels[i] === j);
      expect(mem.length).toBeGreaterThan(0);
      for (let d = 0; d < dim; d++) {
        const mean = mem.reduce((s, i) => s + x[i * dim + d], 0) / mem.length;
        expect(r.centroids[j * dim + d]).toBeCloseTo(mean, 4);
      }
    }
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += dm[i * 9 + r.labels[i]];
    expect(r.inertia).toBeCloseTo(inertia, 2);
  });

  it('gives the same clustering with and without Hamerly bounds, and skips work with them', async () => {
    const n = 3000;
    const dim = 8;
    const x = blobs(n, dim, 20, 3, 4);
    for (const metric of ['euclidean', 'cosine'] as const) {
      const a = await kmeans(x, n, dim, { k: 25, metric, seed: 8, bounds: true, progress: false });
      const b = await kmeans(x, n, dim, { k: 25, metric, seed: 8, bounds: false, progress: false });
      expect(a.iterations).toBe(b.iterations);
      expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
      expect(a.inertia).toBeCloseTo(b.inertia, 6);
      expect(a.distanceEvaluations).toBeLessThan(b.distanceEvaluations);
    }
  });

  it('gives the same clustering with Elkan bounds as plain Lloyd, computing fewer distances', async () => {
    const n = 3000;
    const dim = 10;
    const x = blobs(n, dim, 20, 3, 5);
    for (const metric of ['euclidean', 'cosine'] as const) {
      const e = await kmeans(x, n, dim, { k: 23, metric, seed: 3, bounds: 'elkan', progress: false });
      const p = await kmeans(x, n, dim, { k: 23, metric, seed: 3, bounds: false, progress: false });
      expect(e.backend.nearest).toMatch(/^elkan-/);
      expect(e.iterations).toBe(p.iterations);
      expect(e.stop).toBe(p.stop);
      expect(Array.from(e.labels)).toEqual(Array.from(p.labels));
      expect(e.inertia).toBeCloseTo(p.inertia, 6);
      expect(e.distanceEvaluations).toBeLessThan(p.distanceEvaluations / 2);
    }
  });

  it('Elkan bounds survive empty-cluster repair: the result is a Lloyd fixed point', async () => {
    // 6 far-apart blobs, k = 9 started from explicit centroids, three of them far from every point
    const n = 600;
    const dim = 3;
    const x = blobs(n, dim, 6, 0.3, 12);
    const init = new Float32Array(9 * dim);
    for (let j = 0; j < 6; j++) init.set(x.subarray(j * dim, j * dim + dim), j * dim);
    for (let j = 6; j < 9; j++) init.fill(1000 + j, j * dim, j * dim + dim);
    const r = await kmeans(x, n, dim, { k: 9, metric: 'euclidean', init, bounds: 'elkan', tol: 0, progress: false });
    expect(r.emptyClustersRepaired).toBeGreaterThanOrEqual(3);
    const dm = distanceMatrixReference({ points: x, n, dim, centers: r.centroids, m: 9 });
    for (let i = 0; i < n; i++) {
      const row = Array.from(dm.subarray(i * 9, i * 9 + 9));
      expect(row[r.labels[i]]).toBeLessThanOrEqual(Math.min(...row) + 1e-4);
    }
    expect(new Set(r.labels).size).toBe(9);
  });

  it("bounds: 'auto' drops to plain Lloyd when bounds prune too little, with the same result", async () => {
    // structureless 32-d noise: Hamerly bounds prune little
    const rng = new Rng(3);
    const x = new Float32Array(2000 * 32).map(() => rng.normal());
    const auto = await kmeans(x, 2000, 32, { k: 30, metric: 'euclidean', seed: 4, progress: false });
    const plain = await kmeans(x, 2000, 32, { k: 30, metric: 'euclidean', seed: 4, bounds: false, progress: false });
    expect(auto.boundsDroppedAt).toBe(3);
    expect(auto.recomputed.slice(0, 2)).toEqual([2000, auto.recomputed[1]]);
    expect(auto.recomputed.slice(3).every((c) => c === 2000)).toBe(true);
    expect(Array.from(auto.labels)).toEqual(Array.from(plain.labels));
    expect(auto.iterations).toBe(plain.iterations);
  });

  it('re-seeds empty clusters with far points', async () => {
    const x = blobs(200, 3, 4, 0.5, 1);
    // all initial centroids on one point: every cluster but the first starts empty
    const init = new Float32Array(5 * 3);
    for (let j = 0; j < 5; j++) init.set(x.subarray(0, 3), j * 3);
    const r = await kmeans(x, 200, 3, { k: 5, metric: 'euclidean', init, progress: false });
    expect(r.emptyClustersRepaired).toBeGreaterThanOrEqual(4);
    const sizes = new Array(5).fill(0);
    for (const l of r.labels) sizes[l]++;
    expect(Math.min(...sizes)).toBeGreaterThan(0);
  });

  it('stops on the tolerance as scikit-learn defines it', async () => {
    const x = blobs(500, 4, 5, 1, 2);
    const r = await kmeans(x, 500, 4, { k: 5, metric: 'euclidean', tol: 1e9, progress: false });
    expect(r.iterations).toBe(1);
    expect(r.stop).toBe('tolerance');
    const capped = await kmeans(x, 500, 4, { k: 50, metric: 'euclidean', tol: 0, maxIter: 2, progress: false });
    expect(capped.iterations).toBe(2);
    expect(capped.stop).toBe('max-iter');
    // mean per-feature variance, computed another way: the two-pass textbook form, mean first
    const twoPass = (y: Float32Array) => {
      let v = 0;
      for (let d = 0; d < 4; d++) {
        let s = 0;
        for (let i = 0; i < 500; i++) s += y[i * 4 + d];
        const mean = s / 500;
        let q = 0;
        for (let i = 0; i < 500; i++) q += (y[i * 4 + d] - mean) ** 2;
        v += q / 500;
      }
      return v / 4;
    };
    expect(meanVariance(x, 500, 4)).toBeCloseTo(twoPass(x), 6);
    // a large common offset must not cancel the variance away (E[x²] − E[x]² in float64 loses it at 1e4)
    const shifted = x.map((value) => value + 1e4);
    expect(meanVariance(shifted, 500, 4) / twoPass(shifted)).toBeCloseTo(1, 3);
  });
});

describe('kmeans (cosine)', () => {
  it('groups by direction, not length, and returns unit centroids', async () => {
    // same directions at very different lengths
    const x = new Float32Array([1, 0.1, 100, 5, 0.1, 1, 5, 80, 3, 0.2, 0.2, 9]);
    const r = await kmeans(x, 6, 2, { k: 2, metric: 'cosine', seed: 1, progress: false });
    expect(r.labels[0]).toBe(r.labels[1]);
    expect(r.labels[0]).toBe(r.labels[4]);
    expect(r.labels[2]).toBe(r.labels[3]);
    expect(r.labels[2]).toBe(r.labels[5]);
    for (let j = 0; j < 2; j++) expect(Math.hypot(r.centroids[j * 2], r.centroids[j * 2 + 1])).toBeCloseTo(1, 6);
  });
  it('names the entity whose vector is zero', async () => {
    await expect(kmeans(new Float32Array([1, 0, 0, 0]), 2, 2, { k: 1, ids: ['u:a', 'i:b'], progress: false })).rejects.toThrow(/i:b.*zero vector/);
  });
  it('rejects bad options with the option name', async () => {
    await expect(kmeans(new Float32Array(4), 2, 2, { k: 3, progress: false })).rejects.toThrow(/option k/);
    await expect(kmeans(new Float32Array([1, 0, 0, 1]), 2, 2, { k: 1, metric: 'manhattan' as never, progress: false })).rejects.toThrow(/option metric/);
  });
});

describe('k-means++', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const x = blobs(1000, 6, 10, 1, 3);
    const run = (seed: number) => kmeans(x, 1000, 6, { k: 10, metric: 'euclidean', seed, maxIter: 1, progress: false });
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(Array.from(a.centroids)).not.toEqual(Array.from(c.centroids));
  });
  it('picks distinct, spread-out seeds: one per well-separated blob', async () => {
    const x = blobs(800, 4, 8, 0.05, 6);
    const pp = await kmeansPlusPlus(x, 800, 4, 8, new Rng(1), distanceMatrixReference);
    const blobsHit = new Set(Array.from(pp.indices).map((i) => i % 8));
    expect(blobsHit.size).toBe(8);
  });
  it('the triangle-inequality pruning picks what brute-force greedy k-means++ picks', async () => {
    // brute force, written independently: every distance, every step (scikit-learn's _kmeans_plusplus)
    const bruteForce = (x: Float32Array, n: number, dim: number, k: number, rng: Rng, trials: number): number[] => {
      const d2 = (i: number, j: number) => {
        let s = 0;
        for (let d = 0; d < dim; d++) s += (x[i * dim + d] - x[j * dim + d]) ** 2;
        return s;
      };
      const chosen = [rng.int(n)];
      const closest = Array.from({ length: n }, (_, i) => d2(i, chosen[0]));
      while (chosen.length < k) {
        const cum: number[] = [];
        let run = 0;
        for (const c of closest) cum.push((run += c));
        const cands = Array.from({ length: trials }, () => searchSorted(Float64Array.from(cum), rng.next() * run));
        const pots = cands.map((c) => closest.reduce((s, v, i) => s + Math.min(v, d2(i, c)), 0));
        const best = pots.indexOf(Math.min(...pots));
        chosen.push(cands[best]);
        for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i], d2(i, cands[best]));
      }
      return chosen;
    };
    for (const [spread, seed] of [[0.2, 1], [1, 2], [4, 3]] as const) {
      const x = blobs(700, 5, 12, spread, seed);
      const pp = await kmeansPlusPlus(x, 700, 5, 20, new Rng(seed), distanceMatrixReference, 4);
      expect(Array.from(pp.indices)).toEqual(bruteForce(x, 700, 5, 20, new Rng(seed), 4));
    }
    // the fused WebAssembly seeding step (float32 distances, float64 sums; 6,000 rows: two threads)
    const fused = await createWasmSimdSeeding();
    for (const [n, spread, seed] of [[700, 1, 2], [6000, 4, 3]] as const) {
      const x = blobs(n, 5, 12, spread, seed);
      const pp = await kmeansPlusPlus(x, n, 5, 16, new Rng(seed), fused, 4);
      expect(Array.from(pp.indices)).toEqual(bruteForce(x, n, 5, 16, new Rng(seed), 4));
    }
  });
  it('searchSorted never lands on a zero-weight point', () => {
    const cum = Float64Array.from([0, 0, 1, 1, 3]);
    expect(searchSorted(cum, 0)).toBe(2);
    expect(searchSorted(cum, 0.999)).toBe(2);
    expect(searchSorted(cum, 1)).toBe(4);
    expect(searchSorted(cum, 2.9)).toBe(4);
  });
});

describe('two-thread WebAssembly kernels', () => {
  it('let the process exit by itself after k-means (the helper thread never holds it open)', () => {
    // Regression: with the helper thread started, a script that ran k-means printed its result and then never
    // exited (12 of 12 runs before the fix). Run in a fresh process, as a user's script would.
    const script = `
      import { kmeans } from '@meta-id/token-clusterer';
      const n = 6000, dim = 16;
      const x = new Float32Array(n * dim);
      let s = 1;
      for (let i = 0; i < x.length; i++) { s = (s * 16807) % 2147483647; x[i] = s / 2147483647 - 0.5; }
      const r = await kmeans(x, n, dim, { k: 64, seed: 1, progress: false, backend: 'wasm-simd', bounds: true });
      console.log('done ' + r.iterations);
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: import.meta.dirname, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.signal).toBeNull(); // not killed by the timeout
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^done \d+/);
  }, 90_000);
});
