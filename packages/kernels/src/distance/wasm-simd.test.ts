import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { nearestReference, distanceMatrixReference } from './reference.js';
import { nearestAgrees, randomNearestArgs } from './choose.js';
import { createWasmSimdNearest, createWasmSimdDistanceMatrix, createWasmSimdSeeding } from './wasm-simd.js';
import { seedingFromMatrix } from './seeding.js';
import type { NearestArgs } from './types.js';

describe('wasm-simd distance kernels', () => {
  it('nearest agrees with the reference on odd shapes', async () => {
    const kern = await createWasmSimdNearest();
    const rng = new Rng(5);
    for (const [n, k, dim] of [[1, 1, 1], [50, 1, 3], [97, 2, 5], [300, 17, 64], [211, 100, 64], [64, 130, 7], [40, 16, 200], [33, 15, 132], [9001, 21, 12]]) {
      const a: NearestArgs = randomNearestArgs(n, k, dim, n + k + dim);
      a.second = true;
      const ref = nearestReference(a);
      const got = await kern(a);
      expect(nearestAgrees(a, ref, got)).toBeUndefined();
      const sub = { ...a, rows: Int32Array.from({ length: Math.ceil(n / 2) }, () => rng.int(n)) };
      expect(nearestAgrees(sub, nearestReference(sub), await kern(sub))).toBeUndefined();
    }
  });
  it('matrix agrees', async () => {
    const kern = await createWasmSimdDistanceMatrix();
    // 9001 rows: split with the helper thread (from 4096 rows on), also for a row subset
    for (const [n, m, dim] of [[10, 1, 3], [500, 6, 64], [77, 9, 33], [9001, 6, 16]]) {
      const a = randomNearestArgs(n, m, dim, 3);
      const rows = Int32Array.from({ length: Math.floor(n * 0.9) }, (_, i) => (i * 7) % n);
      for (const args of [{ points: a.points, n, dim, centers: a.centroids, m }, { points: a.points, n, dim, centers: a.centroids, m, rows }]) {
        const ref = distanceMatrixReference(args);
        const got = await kern(args);
        let bad = 0;
        for (let i = 0; i < ref.length; i++) if (!(Math.abs(got[i] - ref[i]) < 1e-4 * (1 + ref[i]) + 1e-3)) bad++;
        expect(bad).toBe(0);
      }
    }
  });
  it('fused k-means++ step agrees with the reference reduction', async () => {
    const fused = await createWasmSimdSeeding();
    const ref = seedingFromMatrix(distanceMatrixReference);
    const rng = new Rng(11);
    // Every row from 256 on: the points-in-lanes kernel (seeding-wasm-module.ts), candidates in groups of ≤ 6
    // (13 = 5 + 4 + 4), n not a multiple of 4; row subsets and fewer rows: the centres-in-lanes `pot`, whose
    // m = 1, 6, 13 fill one, two and four lanes' blocks. 9001 rows: two threads, each summing its half.
    for (const [n, m, dim] of [[1, 1, 1], [10, 1, 3], [500, 6, 64], [77, 13, 33], [301, 13, 33], [9001, 6, 16], [9001, 8, 64], [1030, 1, 200]]) {
      const a = randomNearestArgs(n, m, dim, n + m);
      // D(x): some below and some above the candidates' distances, some exactly 0
      const closest = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : rng.next() * 2 * dim));
      const rows = Int32Array.from({ length: Math.floor(n * 0.6) }, () => rng.int(n));
      for (const args of [{ points: a.points, n, dim, centers: a.centroids, m, closest }, { points: a.points, n, dim, centers: a.centroids, m, rows, closest }]) {
        const want = await ref.seed(args);
        const got = await fused.seed(args);
        for (let t = 0; t < m; t++) {
          expect(Math.abs(got.potentials[t] - want.potentials[t])).toBeLessThan(1e-5 * (1 + want.potentials[t]));
          const gc = got.column(t);
          const wc = want.column(t);
          expect(gc.length).toBe(wc.length);
          let bad = 0;
          for (let i = 0; i < wc.length; i++) if (!(Math.abs(gc[i] - wc[i]) < 1e-4 * (1 + wc[i]) + 1e-3)) bad++;
          expect(bad).toBe(0);
        }
      }
    }
  });
  it('keeps resident points for an equal array and replaces them for one that differs where no sample looks', async () => {
    const fused = await createWasmSimdSeeding();
    const ref = seedingFromMatrix(distanceMatrixReference);
    const [n, m, dim] = [2000, 6, 64];
    const a = randomNearestArgs(n, m, dim, 21);
    const closest = new Float64Array(n).fill(1e9);
    const step = (points: Float32Array) => ({ points, n, dim, centers: a.centroids, m, closest });
    const first = (await fused.seed(step(a.points))).potentials.slice();
    // a copy: same bits, another array (what k-means passes on every run)
    expect(Array.from((await fused.seed(step(a.points.slice()))).potentials)).toEqual(Array.from(first));
    // a copy with one value changed at an index the fingerprint does not sample (it samples every len/64-th)
    const changed = a.points.slice();
    changed[dim * 7 + 3] += 5;
    const got = (await fused.seed(step(changed))).potentials;
    const want = (await ref.seed(step(changed))).potentials;
    for (let t = 0; t < m; t++) expect(Math.abs(got[t] - want[t])).toBeLessThan(1e-5 * (1 + want[t]));
    expect(Array.from(got)).not.toEqual(Array.from(first));
  });
});
