/**
 * Run-time choice of the distance-kernel backend through {@link selectFastest}:
 * every available backend is checked against the plain TypeScript reference
 * on a random input (by distances, so ties may pick either centroid) and
 * timed on a representative one; the fastest that agrees runs, and the
 * choice and timings are printed to stderr.
 */
import { Rng } from '@meta-id/core';
import { createFromFamily, selectFastest, type KernelBackend, type KernelCandidate, type Selection } from '../select.js';
import { distanceMatrixReference, nearestReference } from './reference.js';
import { distanceMatrixTypescript, nearestTypescript } from './typescript-fast.js';
import { createTfjsDistanceMatrix, createTfjsNearest } from './tfjs.js';
import { createGpuJsNearest } from './gpujs.js';
import { createWasmSimdDistanceMatrix, createWasmSimdNearest } from './wasm-simd.js';
import type { DistanceMatrixArgs, DistanceMatrixKernel, NearestArgs, NearestKernel, NearestResult } from './types.js';

/** Backend names of the nearest-centroid kernel. */
export type NearestBackend = KernelBackend;

/**
 * Tried by `auto`, in this order. tfjs-cpu and gpu.js-cpu run only by name:
 * both are slower than the plain TypeScript loop everywhere we measured
 * (tfjs-cpu 13x, gpu.js-cpu 4.5x at 34464 x 100 x 64), and racing them costs
 * seconds. wasm-simd too runs by name only here: a whole-table pass costs it
 * ~3x libtensorflow's (4-lane float32 without FMA against AVX2 FMA); its
 * place is the row subsets of Elkan steps and pruned k-means++.
 */
export const AUTO_NEAREST_BACKENDS: NearestBackend[] = ['typescript', 'tfjs-tensorflow', 'tfjs-wasm', 'gpu.js-gpu', 'gpu.js-webasm', 'gpu.js-async'];

/** Builds one backend of the nearest-centroid kernel; throws (with the reason) when it cannot run here. */
export async function createNearestKernel(backend: NearestBackend): Promise<NearestKernel> {
  return createFromFamily({ name: 'nearest-centroid', reference: nearestReference, typescript: nearestTypescript, tfjs: createTfjsNearest, gpujs: createGpuJsNearest, wasmSimd: createWasmSimdNearest }, backend);
}

/** Random points and centroids for checks and timings (seeded, so choices are reproducible). */
export function randomNearestArgs(n: number, k: number, dim: number, seed = 1): NearestArgs {
  const rng = new Rng(seed);
  const points = new Float32Array(n * dim);
  for (let i = 0; i < points.length; i++) points[i] = rng.normal();
  const centroids = new Float32Array(k * dim);
  for (let i = 0; i < centroids.length; i++) centroids[i] = rng.normal();
  return { points, n, dim, centroids, k, second: true };
}

/**
 * Does `candidate` solve the same problem as `reference`? Compared by
 * distance, so a near-tie may pick either centroid: the candidate's nearest
 * distance must match the reference's, and the centroid it names must
 * really be that far (recomputed exactly here).
 */
export function nearestAgrees(args: NearestArgs, reference: NearestResult, candidate: NearestResult, relTol = 1e-4): string | undefined {
  const { points, dim, centroids, rows } = args;
  const count = reference.labels.length;
  if (candidate.labels.length !== count) return `returned ${candidate.labels.length} labels, want ${count}`;
  let scale = 0;
  for (let i = 0; i < centroids.length; i++) scale += centroids[i] * centroids[i];
  scale /= Math.max(1, args.k);
  for (let i = 0; i < count; i++) {
    const off = (rows ? rows[i] : i) * dim;
    let xn = 0;
    for (let d = 0; d < dim; d++) xn += points[off + d] * points[off + d];
    const tol = relTol * (xn + scale) + 1e-6;
    const ref = reference.distances[i];
    if (Math.abs(candidate.distances[i] - ref) > tol) return `point ${i}: distance ${candidate.distances[i]} vs reference ${ref}`;
    const j = candidate.labels[i];
    if (!(j >= 0 && j < args.k)) return `point ${i}: label ${j} out of range`;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const diff = points[off + d] - centroids[j * dim + d];
      s += diff * diff;
    }
    if (Math.abs(s - ref) > tol) return `point ${i}: label ${j} is at ${s}, the nearest is at ${ref}`;
    if (reference.second && candidate.second && Math.abs(candidate.second[i] - reference.second[i]) > tol) {
      return `point ${i}: second distance ${candidate.second[i]} vs reference ${reference.second[i]}`;
    }
  }
  if (Math.abs(candidate.inertia - reference.inertia) > relTol * Math.max(1, Math.abs(reference.inertia)) * 10) {
    return `inertia ${candidate.inertia} vs reference ${reference.inertia}`;
  }
  return undefined;
}

export interface ChooseNearestOptions {
  /** Backends to try. Default {@link AUTO_NEAREST_BACKENDS}; `META_ID_DISTANCE_BACKEND` (one name) overrides. */
  backends?: NearestBackend[];
  /**
   * Shape of the timing input. Default 16384 points, 128 centroids, 64 dims; the timed call assigns every
   * third row with second-nearest distances, as a Lloyd iteration with bounds does (a whole-table pass
   * favours backends that are slow at gathering rows, e.g. tfjs-wasm).
   */
  timeShape?: { n: number; k: number; dim: number };
  quiet?: boolean;
}

const cache = new Map<string, Promise<Selection<NearestArgs, NearestResult>>>();

/**
 * Chooses the fastest nearest-centroid backend that agrees with the
 * reference; cached per process and option set.
 *
 * @example
 * const { backend, run } = await chooseNearestKernel();
 * const { labels, inertia } = await run({ points, n, dim, centroids, k });
 */
export function chooseNearestKernel(options: ChooseNearestOptions = {}): Promise<Selection<NearestArgs, NearestResult>> {
  const forced = process.env.META_ID_DISTANCE_BACKEND as NearestBackend | undefined;
  const backends = forced ? [forced] : (options.backends ?? AUTO_NEAREST_BACKENDS);
  const shape = options.timeShape ?? { n: 16384, k: 128, dim: 64 };
  const key = JSON.stringify([backends, shape]); // not `quiet`: a second race could pick another backend by noise
  let found = cache.get(key);
  if (!found) {
    const checkArgs = randomNearestArgs(300, 37, 19, 7);
    const candidates: KernelCandidate<NearestArgs, NearestResult>[] = [
      { backend: 'typescript-reference', create: async () => nearestReference },
      ...backends.filter((b) => b !== 'typescript-reference').map((b) => ({ backend: b, create: () => createNearestKernel(b) })),
    ];
    found = selectFastest('nearest-centroid', candidates, {
      checkArgs: () => checkArgs,
      timeArgs: () => {
        const t = randomNearestArgs(shape.n, shape.k, shape.dim, 11);
        t.rows = Int32Array.from({ length: Math.ceil(shape.n / 3) }, (_, i) => i * 3);
        return t;
      },
      agree: (ref, cand) => nearestAgrees(checkArgs, ref, cand) === undefined,
      reps: 5,
      quiet: options.quiet,
    });
    if (forced) {
      // A forced backend must not silently fall back to the reference.
      found = found.then((s) => {
        if (s.backend !== forced) throw new Error(`META_ID_DISTANCE_BACKEND=${forced} cannot run: ${s.timings.find((t) => t.backend === forced)?.error}`);
        return s;
      });
    }
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

/** Backend names of the distance-matrix kernel (used by k-means++ seeding). */
export type DistanceMatrixBackend = 'typescript-reference' | 'typescript' | 'wasm-simd' | 'tfjs-tensorflow' | 'tfjs-wasm';

export async function createDistanceMatrixKernel(backend: DistanceMatrixBackend): Promise<DistanceMatrixKernel> {
  switch (backend) {
    case 'typescript-reference':
      return distanceMatrixReference;
    case 'typescript':
      return distanceMatrixTypescript;
    case 'wasm-simd':
      return createWasmSimdDistanceMatrix();
    case 'tfjs-tensorflow':
      return createTfjsDistanceMatrix('tensorflow');
    case 'tfjs-wasm':
      return createTfjsDistanceMatrix('wasm');
    default:
      throw new RangeError(`unknown distance-matrix backend ${JSON.stringify(backend)}`);
  }
}

const matrixCache = new Map<string, Promise<Selection<DistanceMatrixArgs, Float32Array>>>();

/**
 * Like {@link chooseNearestKernel}, for the n × m distance matrix (timing shape: every 8th of 34464 points,
 * 8 centers: k-means++ trials send only the points the triangle inequality cannot rule out).
 */
export function chooseDistanceMatrixKernel(
  options: { backends?: DistanceMatrixBackend[]; timeShape?: { n: number; m: number; dim: number }; quiet?: boolean } = {},
): Promise<Selection<DistanceMatrixArgs, Float32Array>> {
  const backends = options.backends ?? ['typescript', 'wasm-simd', 'tfjs-tensorflow', 'tfjs-wasm'];
  const shape = options.timeShape ?? { n: 34464, m: 8, dim: 64 };
  const key = JSON.stringify([backends, shape]);
  let found = matrixCache.get(key);
  if (!found) {
    const a = randomNearestArgs(300, 9, 19, 3);
    const checkArgs: DistanceMatrixArgs = { points: a.points, n: a.n, dim: a.dim, centers: a.centroids, m: a.k };
    const t = randomNearestArgs(shape.n, shape.m, shape.dim, 5);
    const timeArgs: DistanceMatrixArgs = { points: t.points, n: t.n, dim: t.dim, centers: t.centroids, m: t.k, rows: Int32Array.from({ length: Math.ceil(t.n / 8) }, (_, i) => i * 8) };
    found = selectFastest<DistanceMatrixArgs, Float32Array>(
      'distance-matrix',
      [
        { backend: 'typescript-reference', create: async () => distanceMatrixReference },
        ...backends.filter((b) => b !== 'typescript-reference').map((b) => ({ backend: b, create: () => createDistanceMatrixKernel(b) })),
      ],
      {
        checkArgs: () => checkArgs,
        timeArgs: () => timeArgs,
        agree: (ref, cand) => ref.length === cand.length && ref.every((v, i) => Math.abs(v - cand[i]) <= 1e-4 * (1 + Math.abs(v)) + 1e-3),
        quiet: options.quiet,
      },
    );
    matrixCache.set(key, found);
    found.catch(() => matrixCache.delete(key));
  }
  return found;
}
