import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { nearestReference } from './reference.js';
import { randomNearestArgs } from './choose.js';
import { createElkanKernel, elkanReference, type ElkanKernel } from './elkan.js';
import type { NearestArgs } from './types.js';
import { availableParallelism } from 'node:os';
import { kernelHelperThreads } from './wasm-helper-thread.js';

/** Labels must name a nearest centre: its distance equals the brute-force minimum (ties may pick either). */
function expectNearest(a: NearestArgs, labels: Int32Array): void {
  const ref = nearestReference(a);
  const wrong: string[] = [];
  for (let i = 0; i < a.n; i++) {
    let s = 0;
    for (let d = 0; d < a.dim; d++) s += (a.points[i * a.dim + d] - a.centroids[labels[i] * a.dim + d]) ** 2;
    if (!(Math.abs(s - ref.distances[i]) <= 1e-5 * (1 + ref.distances[i]))) wrong.push(`point ${i}: label ${labels[i]} at ${s}, nearest at ${ref.distances[i]}`);
  }
  expect(wrong.slice(0, 3)).toEqual([]);
}

/**
 * A few Lloyd steps (means of the current labels, a little noise) through a session; every step checked.
 * Centres for which `still(step, j)` holds keep their place that step (shift 0), as most do near convergence.
 */
async function lloydAgainstBruteForce(kernel: ElkanKernel, a: NearestArgs, steps: number, seed: number, still?: (step: number, j: number) => boolean): Promise<{ evaluations: number; listed: number }> {
  const rng = new Rng(seed);
  const { n, dim, k } = a;
  const s = kernel({ points: a.points, n, dim, k });
  let c = Float32Array.from(a.centroids.subarray(0, k * dim));
  let r = s.assign(c);
  expectNearest({ ...a, centroids: c }, r.labels);
  let evaluations = 0;
  let listed = 0;
  for (let t = 0; t < steps; t++) {
    const sums = new Float64Array(k * dim);
    const cnt = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      cnt[r.labels[i]]++;
      for (let d = 0; d < dim; d++) sums[r.labels[i] * dim + d] += a.points[i * dim + d];
    }
    const next = new Float32Array(k * dim);
    const shift = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      for (let d = 0; d < dim; d++) next[j * dim + d] = cnt[j] ? sums[j * dim + d] / cnt[j] : c[j * dim + d] + 0.3 * rng.normal();
      if (still?.(t, j)) next.set(c.subarray(j * dim, j * dim + dim), j * dim);
      for (let d = 0; d < dim; d++) shift[j] += (next[j * dim + d] - c[j * dim + d]) ** 2;
      shift[j] = Math.sqrt(shift[j]);
    }
    c = next;
    const before = r.labels;
    r = s.assign(c, shift);
    evaluations += r.evaluations;
    expectNearest({ ...a, centroids: c }, r.labels);
    if (r.changed) {
      // exactly the points whose centre differs from the last step's
      const want = [];
      for (let i = 0; i < n; i++) if (r.labels[i] !== before[i]) want.push(i);
      expect(Array.from(r.changed).sort((x, y) => x - y)).toEqual(want);
      listed++;
    }
  }
  s.dispose?.(); // the next session of this size may take its memory (tested below)
  // listed: the steps that gave `changed` (Elkan steps, not full passes), each checked above
  return { evaluations, listed };
}

describe.each(['typescript', 'wasm-simd'] as const)('elkan-assign %s', (backend) => {
  it('gives brute-force labels at every Lloyd step: odd dims, k not a multiple of 4, k = 1, duplicated centres, wide rows', async () => {
    const kernel = await createElkanKernel(backend);
    // 6001 points: wasm-simd splits its passes with the helper thread from 4096 points on
    const shapes: [number, number, number][] = [[300, 7, 5], [257, 1, 3], [400, 13, 64], [150, 40, 33], [60, 5, 300], [500, 100, 64], [6001, 19, 16]];
    // wasm-simd tests a row 64 centres a word: one word exactly, one and a bit, two and a bit
    shapes.push([700, 64, 16], [700, 65, 8], [900, 130, 12]);
    for (const [n, k, dim] of shapes) {
      const a = randomNearestArgs(n, k, dim, n + k);
      // clustered points, so the bounds prune and the run has real Lloyd structure
      for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) a.points[i * dim + d] = a.centroids[(i % k) * dim + d] + 0.5 * a.points[i * dim + d];
      const { evaluations } = await lloydAgainstBruteForce(kernel, a, 6, k);
      if (k >= 13) expect(evaluations).toBeLessThan(6 * n * k); // the bounds did prune
    }
    // the 6001-point case above really ran split over two threads where there are two cores
    if (availableParallelism() >= 2 && !process.env.META_ID_KERNEL_THREADS) expect(kernelHelperThreads()).toBe(1);
    // exact ties: duplicated centres and a point midway between two
    const t = randomNearestArgs(200, 9, 8, 77);
    t.centroids.copyWithin(5 * 8, 4 * 8, 5 * 8);
    for (let d = 0; d < 8; d++) t.points[d] = (t.centroids[d] + t.centroids[8 + d]) / 2;
    await lloydAgainstBruteForce(kernel, t, 4, 3);
  });
  it('gives brute-force labels when only some centres move (the gaps between still centres are kept)', async () => {
    const kernel = await createElkanKernel(backend);
    let listed = 0;
    for (const [n, k, dim] of [[5000, 37, 24], [800, 100, 64]] as [number, number, number][]) {
      const a = randomNearestArgs(n, k, dim, 3 * n + k);
      for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) a.points[i * dim + d] = a.centroids[(i % k) * dim + d] + 0.7 * a.points[i * dim + d];
      // a different third of the centres moves each step; every centre stands still in the last two
      listed += (await lloydAgainstBruteForce(kernel, a, 12, k, (step, j) => step >= 10 || j % 3 !== step % 3)).listed;
    }
    // wasm-simd lists the points whose centre changed (checked in lloydAgainstBruteForce) after its full passes
    if (backend === 'wasm-simd') expect(listed).toBeGreaterThan(10);
  });

  it('recomputes the gap between a still centre and one that moves up to it (hand-made case)', async () => {
    const kernel = await createElkanKernel(backend);
    // 1-d: point 1.2 is nearest centre 0 (at 0) while centre 1 sits at 10 and centre 2 at −50; then only centre 1
    // moves, to 1.0: the point's nearest is now centre 1, which only a fresh ½‖c_0 − c_1‖ = 0.5 < 1.2 lets through
    const s = kernel({ points: new Float32Array([1.2, -49, 9.5]), n: 3, dim: 1, k: 3 });
    expect(Array.from(s.assign(new Float32Array([0, 10, -50])).labels)).toEqual([0, 2, 1]);
    for (let step = 0; step < 3; step++) expect(Array.from(s.assign(new Float32Array([0, 10, -50]), [0, 0, 0]).labels)).toEqual([0, 2, 1]);
    expect(Array.from(s.assign(new Float32Array([0, 1, -50]), [0, 9, 0]).labels)).toEqual([1, 2, 1]);
  });

  it('keeps a bound that the centre-gap test raised a lower bound (hand-made case)', async () => {
    const kernel = await createElkanKernel(backend);
    // 1-d. Point 0 sits at 0, nearest centre a = −1 (u = 1); b = −2.5 keeps ½ min gap of a below u. Step 2: j
    // jumps from 3 to 6, so its bound 3 − 3 = 0 falls below u, but ½|a − j| = 3.5 ≥ u rules it out; the bound
    // may then rise to |a − j| − u = 6 (the true distance), no higher. Step 3: j moves to 0.5, nearer than a: a
    // bound raised above 5.5 would keep it out and leave the point with a.
    const s = kernel({ points: new Float32Array([0, -2.5, 6]), n: 3, dim: 1, k: 3 });
    expect(Array.from(s.assign(new Float32Array([-1, -2.5, 3])).labels)).toEqual([0, 1, 2]);
    expect(Array.from(s.assign(new Float32Array([-1, -2.5, 3]), [0, 0, 0]).labels)).toEqual([0, 1, 2]);
    expect(Array.from(s.assign(new Float32Array([-1, -2.5, 6]), [0, 0, 3]).labels)).toEqual([0, 1, 2]);
    expect(Array.from(s.assign(new Float32Array([-1, -2.5, 0.5]), [0, 0, 5.5]).labels)).toEqual([2, 1, 2]);
  });

  it('after relabel, a point can return to the centre it was moved from (hand-made case)', async () => {
    const kernel = await createElkanKernel(backend);
    // 1-d, centres at 0, 10, 20: the repair of an empty cluster moves point 0 (at 0) to centre 2; with the
    // centres still, the next steps must give it back to centre 0, not to centre 1 (the nearest it is not
    // moved from)
    const s = kernel({ points: new Float32Array([0, 10, 20, 1]), n: 4, dim: 1, k: 3 });
    const c = new Float32Array([0, 10, 20]);
    expect(Array.from(s.assign(c).labels)).toEqual([0, 1, 2, 0]);
    expect(Array.from(s.assign(c, [0, 0, 0]).labels)).toEqual([0, 1, 2, 0]);
    s.relabel(0, 2);
    expect(Array.from(s.assign(c, [0, 0, 0]).labels)).toEqual([0, 1, 2, 0]);
    expect(Array.from(s.assign(c, [0, 0, 0]).labels)).toEqual([0, 1, 2, 0]);
  });

  it('a disposed session refuses calls, and the next session of its size (same or other points) is exact', async () => {
    const kernel = await createElkanKernel(backend);
    const [n, k, dim] = [5000, 23, 16];
    const a = randomNearestArgs(n, k, dim, 99);
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) a.points[i * dim + d] = a.centroids[(i % k) * dim + d] + 0.6 * a.points[i * dim + d];
    const first = kernel({ points: a.points, n, dim, k });
    first.assign(a.centroids);
    if (!first.dispose) return; // backends without pooled memory
    first.dispose();
    expect(() => first.assign(a.centroids, new Float64Array(k))).toThrow(/disposed/);
    expect(() => first.upperBounds()).toThrow(/disposed/);
    // the same values in another array (the memory's copy is kept), then other points (it is replaced)
    await lloydAgainstBruteForce(kernel, { ...a, points: a.points.slice() }, 5, 1);
    const b = randomNearestArgs(n, k, dim, 7);
    await lloydAgainstBruteForce(kernel, b, 5, 2);
  });

  it('relabel resets the bounds of a moved point', async () => {
    const kernel = await createElkanKernel(backend);
    const a = randomNearestArgs(100, 6, 10, 8);
    const s = kernel({ points: a.points, n: a.n, dim: a.dim, k: a.k });
    const r = s.assign(a.centroids);
    const other = (r.labels[0] + 1) % 6;
    s.relabel(0, other);
    expect(s.upperBounds()[0]).toBe(Infinity);
    const again = s.assign(a.centroids, new Float64Array(6));
    expect(again.labels[0]).toBe(r.labels[0]);
  });
  it('names a missing shift', async () => {
    const kernel = await createElkanKernel(backend);
    const a = randomNearestArgs(10, 2, 3, 1);
    const s = kernel({ points: a.points, n: a.n, dim: a.dim, k: a.k });
    s.assign(a.centroids);
    expect(() => s.assign(a.centroids)).toThrow(/shift/);
  });
});

describe('elkan-assign reference', () => {
  it('is brute force (hand-computed case)', () => {
    const s = elkanReference({ points: new Float32Array([0, 0, 1, 0, 4, 4]), n: 3, dim: 2, k: 2 });
    expect(Array.from(s.assign(new Float32Array([0, 1, 5, 5])).labels)).toEqual([0, 0, 1]);
    expect(Array.from(s.upperBounds())).toEqual([1, Math.sqrt(2), Math.sqrt(2)]);
  });
  it('has no tfjs or gpu.js backend', async () => {
    await expect(createElkanKernel('tfjs-wasm')).rejects.toThrow(/no tfjs backend/);
  });
});
