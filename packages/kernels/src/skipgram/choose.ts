/**
 * Run-time choice of the skip-gram batch backend through {@link selectFastest}:
 * each available backend is checked against the plain TypeScript reference
 * on a random batch and timed on a representative one; the fastest that
 * agrees runs, and the choice and timings are printed to stderr.
 */
import { Rng } from '@meta-id/core';
import { createFromFamily, selectFastest, type KernelBackend, type KernelCandidate, type Selection } from '../select.js';
import { skipGramBatchReference } from './reference.js';
import { skipGramBatchTypescript } from './typescript-fast.js';
import { createTfjsSkipGram } from './tfjs.js';
import { createGpuJsSkipGram } from './gpujs.js';
import type { SkipGramBatchArgs, SkipGramBatchKernel, SkipGramBatchResult } from './types.js';

export type SkipGramBackend = KernelBackend;

/** Tried by default, in this order (tfjs-cpu only by name: it is the slowest by far). */
export const AUTO_SKIPGRAM_BACKENDS: SkipGramBackend[] = [
  'typescript',
  'tfjs-tensorflow',
  'tfjs-wasm',
  'gpu.js-gpu',
  'gpu.js-webasm',
  'gpu.js-async',
  'gpu.js-cpu',
];

/** Builds one backend; throws (with the reason) when it cannot run here. */
export async function createSkipGramKernel(backend: SkipGramBackend): Promise<SkipGramBatchKernel> {
  return createFromFamily({ name: 'skip-gram', reference: skipGramBatchReference, typescript: skipGramBatchTypescript, tfjs: createTfjsSkipGram, gpujs: createGpuJsSkipGram }, backend);
}

/**
 * A seeded random batch: `rows` vectors of `dim` (input rows uniform ±0.5/dim·scale,
 * output rows normal·scale/√dim), `pairs` pairs with `negative` negatives each.
 * Rows repeat across pairs (as in real batches), which exercises the summed updates.
 */
export function randomSkipGramArgs(rows: number, dim: number, pairs: number, negative: number, seed = 1, scale = 1): SkipGramBatchArgs {
  const rng = new Rng(seed);
  const syn0 = new Float32Array(rows * dim);
  const syn1 = new Float32Array(rows * dim);
  for (let i = 0; i < syn0.length; i++) syn0[i] = rng.normal() * scale / Math.sqrt(dim);
  for (let i = 0; i < syn1.length; i++) syn1[i] = rng.normal() * scale / Math.sqrt(dim);
  const inputs = new Int32Array(pairs);
  const targets = new Int32Array(pairs * (negative + 1));
  for (let b = 0; b < pairs; b++) inputs[b] = rng.int(rows);
  for (let q = 0; q < targets.length; q++) targets[q] = rng.int(rows);
  return { dim, syn0, syn1, inputs, targets, negative, alpha: 0.025 };
}

/**
 * Does `candidate` match `reference` (same batch applied to copies of the same
 * weights)? Float32 tolerances: weights within `absTol` + 1e-4 relative, loss
 * within 1e-4 relative.
 */
export function skipGramAgrees(reference: SkipGramBatchResult, candidate: SkipGramBatchResult, absTol = 1e-5): string | undefined {
  if (Math.abs(candidate.loss - reference.loss) > 1e-4 * Math.max(1, Math.abs(reference.loss))) {
    return `loss ${candidate.loss} vs reference ${reference.loss}`;
  }
  for (const name of ['syn0', 'syn1'] as const) {
    const a = reference[name];
    const b = candidate[name];
    if (a.length !== b.length) return `${name} has ${b.length} values, want ${a.length}`;
    for (let i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > absTol + 1e-4 * Math.abs(a[i])) return `${name}[${i}] = ${b[i]} vs reference ${a[i]}`;
    }
  }
  return undefined;
}

export interface ChooseSkipGramOptions {
  /** Backends to try. Default {@link AUTO_SKIPGRAM_BACKENDS}; `META_ID_SKIPGRAM_BACKEND` (one name) overrides. */
  backends?: SkipGramBackend[];
  /** Shape of the timing batch. Default 34464 rows (Beauty's users + items), dim 64, 4096 pairs, 5 negatives. */
  timeShape?: { rows: number; dim: number; pairs: number; negative: number };
  /** Timed calls per backend (median). Default 3. */
  reps?: number;
  quiet?: boolean;
}

const cache = new Map<string, Promise<Selection<SkipGramBatchArgs, SkipGramBatchResult>>>();

/**
 * Chooses the fastest skip-gram batch backend that agrees with the reference;
 * cached per process and option set.
 *
 * @example
 * const { backend, run, timings } = await chooseSkipGramKernel();
 * const { loss } = await run({ dim, syn0, syn1, inputs, targets, negative: 5, alpha: 0.025 });
 */
export function chooseSkipGramKernel(options: ChooseSkipGramOptions = {}): Promise<Selection<SkipGramBatchArgs, SkipGramBatchResult>> {
  const forced = process.env.META_ID_SKIPGRAM_BACKEND as SkipGramBackend | undefined;
  const backends = forced ? [forced] : (options.backends ?? AUTO_SKIPGRAM_BACKENDS);
  const shape = options.timeShape ?? { rows: 34464, dim: 64, pairs: 4096, negative: 5 };
  const key = JSON.stringify([backends, shape, options.reps, !!options.quiet]);
  let found = cache.get(key);
  if (!found) {
    const candidates: KernelCandidate<SkipGramBatchArgs, SkipGramBatchResult>[] = [
      { backend: 'typescript-reference', create: async () => skipGramBatchReference },
      ...backends.filter((b) => b !== 'typescript-reference').map((b) => ({ backend: b, create: () => createSkipGramKernel(b) })),
    ];
    const timeArgs = randomSkipGramArgs(shape.rows, shape.dim, shape.pairs, shape.negative, 11);
    found = selectFastest('skip-gram batch', candidates, {
      // Fresh copies per call: the kernel updates the weights in place.
      checkArgs: () => randomSkipGramArgs(50, 19, 300, 5, 7, 3),
      timeArgs: () => timeArgs,
      agree: (ref, cand) => skipGramAgrees(ref, cand) === undefined,
      reps: options.reps,
      quiet: options.quiet,
    });
    if (forced) {
      found = found.then((s) => {
        if (s.backend !== forced) throw new Error(`META_ID_SKIPGRAM_BACKEND=${forced} cannot run: ${s.timings.find((t) => t.backend === forced)?.error}`);
        return s;
      });
    }
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}
