import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { nearestReference, distanceMatrixReference } from './reference.js';
import { nearestTypescript, distanceMatrixTypescript } from './typescript-fast.js';
import { createNearestKernel, createDistanceMatrixKernel, nearestAgrees, randomNearestArgs, chooseNearestKernel, type NearestBackend } from './choose.js';
import type { NearestArgs } from './types.js';

describe('nearest-centroid reference', () => {
  it('matches a hand-computed case', () => {
    // points (0,0) (1,0) (4,4); centroids (0,1) (5,5)
    const r = nearestReference({ points: new Float32Array([0, 0, 1, 0, 4, 4]), n: 3, dim: 2, centroids: new Float32Array([0, 1, 5, 5]), k: 2, second: true });
    expect(Array.from(r.labels)).toEqual([0, 0, 1]);
    expect(Array.from(r.distances)).toEqual([1, 2, 2]);
    expect(Array.from(r.second!)).toEqual([50, 41, 25]);
    expect(r.inertia).toBe(5);
  });
  it('restricts to rows and breaks exact ties to the lower index', () => {
    const r = nearestReference({ points: new Float32Array([0, 0, 1, 0, 4, 4]), n: 3, dim: 2, centroids: new Float32Array([-1, 0, 1, 0]), k: 2, rows: new Int32Array([2, 0]) });
    expect(Array.from(r.labels)).toEqual([1, 0]);
    expect(Array.from(r.distances)).toEqual([25, 1]);
  });
  it('names the wrong argument', () => {
    expect(() => nearestReference({ points: new Float32Array(3), n: 2, dim: 2, centroids: new Float32Array(2), k: 1 })).toThrow(/points has 3 values/);
    expect(() => nearestReference({ points: new Float32Array(4), n: 2, dim: 2, centroids: new Float32Array(2), k: 1, rows: new Int32Array([5]) })).toThrow(/rows\[0\] = 5/);
  });
  it('distance matrix agrees with the nearest kernel', () => {
    const a = randomNearestArgs(50, 7, 5, 3);
    const m = distanceMatrixReference({ points: a.points, n: a.n, dim: a.dim, centers: a.centroids, m: a.k });
    const r = nearestReference(a);
    for (let i = 0; i < a.n; i++) {
      const row = Array.from(m.subarray(i * 7, i * 7 + 7));
      expect(Math.min(...row)).toBeCloseTo(r.distances[i], 4);
    }
  });
});

/** Near-ties on purpose: duplicated centroids and points exactly between two. */
function tieArgs(): NearestArgs {
  const a = randomNearestArgs(400, 40, 24, 21);
  a.centroids.copyWithin(5 * 24, 4 * 24, 5 * 24); // centroid 5 = centroid 4
  for (let d = 0; d < 24; d++) a.points[d] = (a.centroids[d] + a.centroids[24 + d]) / 2; // point 0 midway between 0 and 1
  return a;
}

const ALL: NearestBackend[] = ['typescript', 'wasm-simd', 'tfjs-tensorflow', 'tfjs-wasm', 'tfjs-cpu', 'gpu.js-webasm', 'gpu.js-async', 'gpu.js-cpu', 'gpu.js-gpu'];

describe.each(ALL)('nearest-centroid backend %s', (backend) => {
  it('agrees with the reference on random inputs, near-ties, row subsets and k = 1', async (ctx) => {
    let kernel;
    try {
      kernel = await createNearestKernel(backend);
    } catch (e) {
      // Only optional pieces may be missing: gpu.js GL mode (needs `gl`) and tfjs-node (optional dependency,
      // built by tools/setup-native.sh where it can be); everything else must start.
      // (and any other tfjs backend when META_ID_TFJS_BACKEND pins one)
      if (backend === 'gpu.js-gpu' || backend === 'tfjs-tensorflow' || (process.env.META_ID_TFJS_BACKEND && backend.startsWith('tfjs-'))) {
        console.warn(`${backend} unavailable: ${(e as Error).message.split('\n')[0]}`);
        ctx.skip();
        return;
      }
      throw e;
    }
    const rng = new Rng(99);
    const cases: NearestArgs[] = [randomNearestArgs(1000, 50, 64, 1), randomNearestArgs(333, 3, 7, 2), tieArgs(), { ...randomNearestArgs(200, 1, 9, 4) }];
    const sub = randomNearestArgs(700, 20, 16, 5);
    sub.rows = new Int32Array(150).map(() => rng.int(700));
    cases.push(sub);
    // spread of scales: large offsets stress the ‖x‖² − 2x·c + ‖c‖² form
    const off = randomNearestArgs(300, 12, 8, 6);
    for (let i = 0; i < off.points.length; i++) off.points[i] = off.points[i] * 0.1 + 3;
    for (let i = 0; i < off.centroids.length; i++) off.centroids[i] = off.centroids[i] * 0.1 + 3;
    cases.push(off);
    for (const args of cases) {
      args.second = true;
      const ref = nearestReference(args);
      const got = await kernel(args);
      expect(nearestAgrees(args, ref, got)).toBeUndefined();
      if (args.k === 1) expect(got.second![0]).toBe(Infinity);
      // the path without second distances (a separate code path on tfjs)
      const plain = await kernel({ ...args, second: false });
      expect(plain.second).toBeUndefined();
      expect(nearestAgrees(args, ref, plain)).toBeUndefined();
    }
  });
});

describe('distance matrix backends', () => {
  it.for(['typescript', 'wasm-simd', 'tfjs-tensorflow', 'tfjs-wasm'] as const)('%s agrees with the reference', async (b, ctx) => {
    let kern;
    try {
      kern = await createDistanceMatrixKernel(b);
    } catch (e) {
      if (b !== 'tfjs-tensorflow') throw e;
      console.warn(`tfjs-tensorflow unavailable: ${(e as Error).message.split('\n')[0]}`);
      ctx.skip();
      return;
    }
    const a = randomNearestArgs(500, 8, 33, 8);
    const args = { points: a.points, n: a.n, dim: a.dim, centers: a.centroids, m: a.k, rows: new Int32Array([4, 9, 499, 0]) };
    for (const x of [args, { ...args, rows: undefined }]) {
      const ref = distanceMatrixReference(x);
      const got = await kern(x);
      expect(got.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-4 * (1 + ref[i]) + 1e-3);
    }
  });
  it('typescript matrix equals its nearest kernel', () => {
    const a = randomNearestArgs(60, 5, 10, 9);
    const m = distanceMatrixTypescript({ points: a.points, n: a.n, dim: a.dim, centers: a.centroids, m: a.k });
    const r = nearestTypescript(a);
    for (let i = 0; i < a.n; i++) expect(m[i * 5 + r.labels[i]]).toBeCloseTo(r.distances[i], 5);
  });
});

describe('chooseNearestKernel', () => {
  it('reports timings for every backend tried and picks one that agrees', async () => {
    const sel = await chooseNearestKernel({ backends: ['typescript', 'tfjs-tensorflow', 'gpu.js-webasm'], timeShape: { n: 512, k: 16, dim: 8 }, quiet: true });
    expect(sel.timings.map((t) => t.backend)).toEqual(['typescript-reference', 'typescript', 'tfjs-tensorflow', 'gpu.js-webasm']);
    const chosen = sel.timings.find((t) => t.backend === sel.backend)!;
    expect(chosen.ms).toBeGreaterThanOrEqual(0);
    for (const t of sel.timings) if (t.ms !== undefined) expect(chosen.ms!).toBeLessThanOrEqual(t.ms);
    const a = randomNearestArgs(100, 10, 8, 12);
    expect(nearestAgrees(a, nearestReference(a), await sel.run(a))).toBeUndefined();
  });
});

describe('nearestAgrees', () => {
  it('rejects a wrong label, a wrong distance and a wrong second distance', () => {
    const a = randomNearestArgs(50, 6, 5, 13);
    const ref = nearestReference(a);
    const wrongLabel = { ...ref, labels: ref.labels.map((l) => (l + 1) % 6) };
    expect(nearestAgrees(a, ref, wrongLabel)).toMatch(/label/);
    const wrongDist = { ...ref, distances: ref.distances.map((d, i) => (i === 3 ? d + 0.5 : d)) };
    expect(nearestAgrees(a, ref, wrongDist)).toMatch(/point 3/);
    const wrongSecond = { ...ref, second: ref.second!.map((d) => d * 1.1) };
    expect(nearestAgrees(a, ref, wrongSecond)).toMatch(/second/);
  });
});

describe('tfjs resident points', () => {
  it('stay correct when the nearest and matrix kernels alternate on the same and on rewritten points', async (ctx) => {
    let near;
    let mat;
    try {
      near = await createNearestKernel('tfjs-tensorflow');
      mat = await createDistanceMatrixKernel('tfjs-tensorflow');
    } catch {
      ctx.skip();
      return;
    }
    const a = randomNearestArgs(400, 9, 12, 31);
    for (let round = 0; round < 3; round++) {
      expect(nearestAgrees(a, nearestReference(a), await near(a))).toBeUndefined();
      const margs = { points: a.points, n: a.n, dim: a.dim, centers: a.centroids, m: a.k };
      const ref = distanceMatrixReference(margs);
      const got = await mat(margs);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-4 * (1 + ref[i]) + 1e-3);
      for (let i = 0; i < a.points.length; i++) a.points[i] = -a.points[i] * 0.5; // rewritten in place
    }
  });
});
