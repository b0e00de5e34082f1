/**
 * Run-time choice among backends of one kernel: each candidate is checked
 * against the plain TypeScript reference on a small input, timed on a
 * representative one, and the fastest that agrees wins. The choice is
 * reported, never silent.
 */

/** One implementation of a kernel on one backend. */
export interface KernelCandidate<Args, Result> {
  /** e.g. `typescript`, `tfjs-tensorflow`, `tfjs-wasm`, `gpu.js-cpu`, `gpu.js-webasm`, `gpu.js-gpu`. */
  backend: string;
  /** Builds the runnable kernel; throws (with a reason) when the backend is unavailable here. */
  create(): Promise<(args: Args) => Promise<Result> | Result>;
}

export interface BackendTiming {
  backend: string;
  /** Median milliseconds per call on the timing input; undefined when unavailable. */
  ms?: number;
  /** Why it was not usable (failed to start, or disagreed with the reference). */
  error?: string;
}

export interface Selection<Args, Result> {
  backend: string;
  run: (args: Args) => Promise<Result> | Result;
  timings: BackendTiming[];
}

/**
 * Picks the fastest candidate whose output on `checkArgs` agrees with the
 * first candidate (which must be the reference) according to `agree`.
 */
export async function selectFastest<Args, Result>(
  kernelName: string,
  candidates: KernelCandidate<Args, Result>[],
  options: {
    checkArgs: () => Args;
    timeArgs: () => Args;
    agree: (reference: Result, candidate: Result) => boolean;
    reps?: number;
    quiet?: boolean;
  },
): Promise<Selection<Args, Result>> {
  const reps = options.reps ?? 3;
  const timings: BackendTiming[] = [];
  let best: { backend: string; run: (args: Args) => Promise<Result> | Result; ms: number } | undefined;
  let reference: Result | undefined;
  for (const c of candidates) {
    try {
      const run = await c.create();
      const out = await run(options.checkArgs());
      if (reference === undefined) reference = out;
      else if (!options.agree(reference, out)) throw new Error('output disagrees with the TypeScript reference');
      const args = options.timeArgs();
      await run(args); // warm-up: compilation, WASM instantiation
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        await run(args);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const ms = times[Math.floor(times.length / 2)];
      timings.push({ backend: c.backend, ms });
      if (!best || ms < best.ms) best = { backend: c.backend, run, ms };
    } catch (e) {
      timings.push({ backend: c.backend, error: ((e as Error).message ?? String(e)).split('\n')[0] });
    }
  }
  if (!best) throw new Error(`${kernelName}: no backend works (${timings.map((t) => `${t.backend}: ${t.error}`).join('; ')})`);
  if (!options.quiet) {
    const table = timings.map((t) => (t.ms !== undefined ? `${t.backend} ${t.ms.toFixed(1)} ms` : `${t.backend} n/a`));
    console.error(`[meta-id] ${kernelName}: using ${best.backend} (${table.join(', ')})`);
  }
  return { backend: best.backend, run: best.run, timings };
}

/** Backend names every kernel family shares. */
export type KernelBackend =
  | 'typescript-reference'
  | 'typescript'
  | 'tfjs-tensorflow'
  | 'tfjs-wasm'
  | 'tfjs-cpu'
  | 'gpu.js-gpu'
  | 'gpu.js-webasm'
  | 'gpu.js-async'
  | 'gpu.js-cpu'
  | 'wasm-simd';

/** The implementations of one kernel across backends. */
export interface KernelFamily<K> {
  /** e.g. `nearest-centroid`, for error messages. */
  name: string;
  reference: K;
  typescript: K;
  tfjs(mode: 'tensorflow' | 'wasm' | 'cpu'): Promise<K> | K;
  gpujs(mode: 'gpu' | 'webasm' | 'async' | 'cpu'): Promise<K> | K;
  /** Hand-written WebAssembly SIMD, where a family has one. */
  wasmSimd?(): Promise<K> | K;
}

/** Builds one backend of a kernel family; throws (with the reason) when it cannot run here. */
export async function createFromFamily<K>(family: KernelFamily<K>, backend: KernelBackend): Promise<K> {
  if (backend === 'typescript-reference') return family.reference;
  if (backend === 'typescript') return family.typescript;
  const tfjs = /^tfjs-(tensorflow|wasm|cpu)$/.exec(backend);
  if (tfjs) return family.tfjs(tfjs[1] as 'tensorflow');
  const gpu = /^gpu\.js-(gpu|webasm|async|cpu)$/.exec(backend);
  if (gpu) return family.gpujs(gpu[1] as 'gpu');
  if (backend === 'wasm-simd') {
    if (!family.wasmSimd) throw new RangeError(`${family.name} has no wasm-simd backend`);
    return family.wasmSimd();
  }
  throw new RangeError(
    `unknown ${family.name} backend ${JSON.stringify(backend)} (want typescript-reference, typescript, wasm-simd, tfjs-tensorflow|wasm|cpu or gpu.js-gpu|webasm|async|cpu)`,
  );
}
