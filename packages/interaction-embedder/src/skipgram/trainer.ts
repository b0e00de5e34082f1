/**
 * Skip-gram with negative sampling over a walk corpus (word2vec / gensim
 * semantics; see sgns-slice.ts for the update rule and where it departs),
 * parallel over worker threads that update SharedArrayBuffer weights without
 * locks (Hogwild, as word2vec and gensim do).
 *
 * Users and items share one vector space: the corpus mixes them and every
 * node gets one input vector (gensim's `wv`), which is what is returned.
 */
import { availableParallelism } from 'node:os';
import { ConfigError, Rng, requireOption, type EmbeddingTable } from '@meta-id/core';
import { trainSlice, type SliceContext, type SliceJob, type SliceResult } from './sgns-slice.js';
import { sigmoidTable, skipGramWasmModule } from './wasm-simd.js';
import { runSliceOnWorker } from './worker-pool.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';
import type { WalkCorpus } from '../walks.js';

/** Options of {@link trainSkipGram}; defaults follow gensim's Word2Vec except `dim` (64) and `epochs` (3). */
export interface SkipGramOptions {
  /** Vector size. Default 64. */
  dim?: number;
  /** Maximum distance between centre and context word. Default 5. */
  window?: number;
  /** Shrink the window at random per centre word (word2vec's reduced window). Default true. */
  shrinkWindows?: boolean;
  /** Negative samples per pair (≥ 1). Default 5. */
  negative?: number;
  /** Exponent of the negative-sampling distribution (unigram^x). Default 0.75. */
  nsExponent?: number;
  /** Sub-sampling threshold of frequent words (gensim `sample`); 0 turns it off. Default 1e-3. */
  sample?: number;
  /** Initial learning rate. Default 0.025. */
  alpha?: number;
  /** Final learning rate (linear decay over all epochs). Default 0.0001. */
  minAlpha?: number;
  /**
   * Passes over the corpus. Default 3 (gensim's is 5): on Beauty at the
   * default walks, 3 epochs gave link-prediction AUC 0.704 against 0.709 for 5,
   * in 60% of the time (docs/benchmarks.md).
   */
  epochs?: number;
  /** Words rarer than this are dropped from sentences (gensim `min_count`). Default 1. */
  minCount?: number;
  /** Worker threads (Hogwild). Default: every core this process may use ({@link defaultThreads}). */
  threads?: number;
  /** Seed of initial vectors and of every thread's random stream (core Rng). Default 42. */
  seed?: number;
  /** Inner loop: `auto` (WebAssembly SIMD when dim % 4 == 0, the runtime has it and the weights fit in 4 GiB), `wasm-simd`, or `js`. Default `auto`. */
  engine?: 'auto' | 'wasm-simd' | 'js';
  /**
   * Progress to stderr (`true`), silence (`false`), or a callback. Default
   * true: a line every 2 s, only on runs that last longer than that.
   */
  progress?: boolean | ((p: TrainingProgress) => void);
  /** Milliseconds between progress reports. Default 2000. */
  progressEvery?: number;
  /**
   * Run on the calling thread instead of a worker (needs `threads: 1`; no
   * progress lines, the event loop is blocked). Same result as one worker.
   * Default false.
   */
  inProcess?: boolean;
}

/** One progress report. */
export interface TrainingProgress {
  fraction: number;
  /** Walks trained so far, all epochs and threads. */
  walksDone: number;
  wordsDone: number;
  wordsTotal: number;
  wordsPerSecond: number;
  /** Mean negative-sampling loss over recently sampled pairs (NaN before the first). */
  loss: number;
  etaSeconds: number;
}

/** What the trainer did. */
export interface TrainingStats {
  engine: 'wasm-simd' | 'js';
  threads: number;
  vocabSize: number;
  epochs: number;
  /** Raw corpus words × epochs. */
  words: number;
  /** Words left after sub-sampling, all epochs. */
  effectiveWords: number;
  pairs: number;
  /** Wall seconds of training only (after vocabulary and tables). */
  seconds: number;
  /** Raw corpus words × epochs / `seconds`. */
  wordsPerSecond: number;
  /** Mean loss over sampled pairs of the last epoch (all threads). */
  finalLoss: number;
}

/** Threads used when `threads` is not given: every core the process may use. */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export const DEFAULT_SKIPGRAM_OPTIONS = {
  dim: 64,
  window: 5,
  shrinkWindows: true,
  negative: 5,
  nsExponent: 0.75,
  sample: 1e-3,
  alpha: 0.025,
  minAlpha: 0.0001,
  epochs: 3,
  minCount: 1,
  seed: 42,
  engine: 'auto' as 'auto' | 'wasm-simd' | 'js',
  progressEvery: 2000,
  inProcess: false,
};

export function resolveSkipGramOptions(options: SkipGramOptions) {
  const o = { ...DEFAULT_SKIPGRAM_OPTIONS, threads: defaultThreads(), progress: true as SkipGramOptions['progress'], ...options };
  const int = (v: number) => Number.isInteger(v);
  requireOption(int(o.dim) && o.dim >= 1, 'dim', 'must be an integer ≥ 1', o.dim);
  requireOption(int(o.window) && o.window >= 1, 'window', 'must be an integer ≥ 1', o.window);
  requireOption(int(o.negative) && o.negative >= 0, 'negative', 'must be an integer ≥ 0', o.negative);
  requireOption(
    o.negative >= 1,
    'negative',
    'must be ≥ 1: only negative sampling is implemented (0 would need hierarchical softmax)',
    o.negative,
  );
  requireOption(Number.isFinite(o.nsExponent), 'nsExponent', 'must be a finite number', o.nsExponent);
  requireOption(o.sample >= 0 && Number.isFinite(o.sample), 'sample', 'must be ≥ 0 (0 = no sub-sampling)', o.sample);
  requireOption(o.alpha > 0 && Number.isFinite(o.alpha), 'alpha', 'must be > 0', o.alpha);
  requireOption(o.minAlpha >= 0 && o.minAlpha <= o.alpha, 'minAlpha', `must be in [0, alpha = ${o.alpha}]`, o.minAlpha);
  requireOption(int(o.epochs) && o.epochs >= 1, 'epochs', 'must be an integer ≥ 1', o.epochs);
  requireOption(int(o.minCount) && o.minCount >= 1, 'minCount', 'must be an integer ≥ 1', o.minCount);
  requireOption(int(o.threads) && o.threads >= 1, 'threads', 'must be an integer ≥ 1', o.threads);
  requireOption(Number.isFinite(o.seed), 'seed', 'must be a number', o.seed);
  requireOption(['auto', 'wasm-simd', 'js'].includes(o.engine), 'engine', 'must be auto, wasm-simd or js', o.engine);
  requireOption(!o.inProcess || o.threads === 1, 'inProcess', 'needs threads: 1', o.threads);
  requireOption(o.progressEvery > 0, 'progressEvery', 'must be > 0 ms', o.progressEvery);
  return o;
}

/** Occurrences of each id in the corpus. */
export function countTokens(corpus: WalkCorpus, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  const t = corpus.tokens;
  const end = corpus.offsets[corpus.numWalks];
  for (let p = corpus.offsets[0]; p < end; p++) {
    const w = t[p];
    if (!(w >= 0 && w < vocabSize)) throw new ConfigError('corpus', `token id ${w} outside 0..${vocabSize - 1} (names has ${vocabSize} entries)`);
    counts[w]++;
  }
  return counts;
}

/**
 * gensim's sub-sampling keep thresholds (`sample_int`): with
 * threshold = sample × (words kept by minCount), a word seen v times is kept
 * with probability min(1, (sqrt(v / threshold) + 1) × threshold / v).
 * Words below minCount get 0 (always dropped).
 */
export function subsamplingThresholds(counts: Float64Array, sample: number, minCount: number): Float64Array {
  let retained = 0;
  for (const c of counts) if (c >= minCount) retained += c;
  const threshold = sample === 0 ? retained : sample < 1 ? sample * retained : Math.floor((sample * (3 + Math.sqrt(5))) / 2);
  const out = new Float64Array(counts.length);
  for (let w = 0; w < counts.length; w++) {
    const v = counts[w];
    if (v < minCount || v === 0) continue;
    let p = (Math.sqrt(v / threshold) + 1) * (threshold / v);
    if (p > 1) p = 1;
    out[w] = Math.floor(p * 4294967295);
  }
  return out;
}

/**
 * Walker alias table of the unigram^exponent distribution (words below
 * minCount get probability 0), built with Vose's method: float32 acceptance
 * probability at [2w], int32 alias at [2w + 1] of one buffer.
 */
export function aliasTable(counts: Float64Array, exponent: number, minCount: number, shared = false): ArrayBuffer | SharedArrayBuffer {
  const V = counts.length;
  const buffer = shared ? new SharedArrayBuffer(V * 8) : new ArrayBuffer(V * 8);
  const prob = new Float32Array(buffer);
  const alias = new Int32Array(buffer);
  const p = new Float64Array(V);
  let total = 0;
  for (let w = 0; w < V; w++) if (counts[w] >= minCount && counts[w] > 0) total += p[w] = Math.pow(counts[w], exponent);
  if (total === 0) throw new ConfigError('corpus', 'no word reaches minCount: nothing to train');
  const small: number[] = [];
  const large: number[] = [];
  for (let w = 0; w < V; w++) {
    p[w] = (p[w] * V) / total;
    (p[w] < 1 ? small : large).push(w);
  }
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    prob[2 * s] = p[s];
    alias[2 * s + 1] = l;
    p[l] -= 1 - p[s];
    if (p[l] < 1) {
      large.pop();
      small.push(l);
    }
  }
  // Leftovers are 1 up to rounding; a zero-weight word can never be one (its mass is 0 < 1, so it was paired).
  for (const w of large) {
    prob[2 * w] = 1;
    alias[2 * w + 1] = w;
  }
  for (const w of small) {
    prob[2 * w] = p[w] > 0 ? 1 : 0;
    alias[2 * w + 1] = p[w] > 0 ? w : (large[0] ?? firstPositive(p));
  }
  return buffer;
}

function firstPositive(p: Float64Array): number {
  for (let w = 0; w < p.length; w++) if (p[w] > 0) return w;
  return 0;
}

/**
 * Trains skip-gram vectors on a walk corpus and returns the input vectors of
 * every word that reaches `minCount`, named by `corpus.names`.
 *
 * @example
 * const { corpus } = collectWalks(graph, { shared: true });
 * const { table, stats } = await trainSkipGram(corpus, { dim: 64, epochs: 5, threads: 2 });
 * console.log(stats.wordsPerSecond);
 */
export async function trainSkipGram(
  corpus: WalkCorpus,
  options: SkipGramOptions = {},
): Promise<{ table: EmbeddingTable; stats: TrainingStats }> {
  const o = resolveSkipGramOptions(options);
  const V = corpus.names.length;
  if (corpus.numWalks === 0 || corpus.offsets[corpus.numWalks] === corpus.offsets[0]) {
    throw new ConfigError('corpus', 'is empty: no walks to train on (empty graph or training split?)');
  }
  const counts = countTokens(corpus, V);
  const sampleInt = share(subsamplingThresholds(counts, o.sample, o.minCount));
  const negatives = aliasTable(counts, o.nsExponent, o.minCount, true);
  const tokens = isShared(corpus.tokens) ? corpus.tokens : share(corpus.tokens);
  const offsets = isShared(corpus.offsets) ? corpus.offsets : share(corpus.offsets);

  const dim = o.dim;
  // Layout (bytes, 64-aligned): syn0 | syn1neg | sigmoid table | per-thread scratch.
  const align = (n: number) => Math.ceil(n / 64) * 64;
  const rowBytes = V * dim * 4;
  const syn0Byte = 0;
  const syn1Byte = align(rowBytes);
  const expByte = syn1Byte + align(rowBytes);
  const recordCapacity = Math.max(4096, 4 * (3 + o.negative), dim + 1);
  const scratchBytes = align((2 * recordCapacity + dim + 4) * 4);
  const scratch0 = expByte + align(4000);
  const totalBytes = scratch0 + scratchBytes * o.threads;
  // WebAssembly memory (32-bit) holds at most 4 GiB; larger tables train on the JavaScript loop.
  const fitsWasm = totalBytes <= 65536 * 65536;
  const wasmModule = o.engine !== 'js' && dim % 4 === 0 && fitsWasm ? skipGramWasmModule() : null;
  if (o.engine === 'wasm-simd' && !wasmModule) {
    const why =
      dim % 4 !== 0
        ? 'wasm-simd needs dim to be a multiple of 4'
        : !fitsWasm
          ? `the weights need ${(totalBytes / 2 ** 30).toFixed(1)} GiB, over WebAssembly's 4 GiB`
          : 'this runtime has no WebAssembly SIMD';
    throw new ConfigError('engine', why, o.engine);
  }
  const engine = wasmModule ? 'wasm-simd' : 'js';
  let wasmMemory: WasmMemory | undefined;
  let memory: SharedArrayBuffer;
  if (wasmModule) {
    const pages = Math.ceil(totalBytes / 65536);
    wasmMemory = new wasmApi!.Memory({ initial: pages, maximum: pages, shared: true });
    memory = wasmMemory.buffer as unknown as SharedArrayBuffer;
  } else memory = new SharedArrayBuffer(totalBytes);
  const f32 = new Float32Array(memory);
  // gensim 4 init: input vectors uniform in [-1, 1) / dim (word2vec.c uses half that), output vectors zero.
  const rng = new Rng(o.seed);
  for (let k = 0; k < V * dim; k++) f32[k] = (rng.next() * 2 - 1) / dim;
  f32.set(sigmoidTable(), expByte / 4);

  const progress = new Float64Array(new SharedArrayBuffer(8 * 4 * o.threads));
  const W = corpus.numWalks;
  const jobs: { ctx: SliceContext; job: SliceJob }[] = [];
  for (let t = 0; t < o.threads; t++) {
    const ctx: SliceContext = {
      dim,
      memory,
      syn0Byte,
      syn1Byte,
      scratchByte: scratch0 + t * scratchBytes,
      recordCapacity,
      expByte,
      tokens,
      offsets,
      aliasTable: negatives,
      sampleInt,
      sample: o.sample > 0,
      window: o.window,
      negative: o.negative,
      shrinkWindows: o.shrinkWindows,
      wasmModule: wasmModule ?? undefined,
      wasmMemory,
      progress,
      thread: t,
    };
    const job: SliceJob = {
      walkStart: Math.floor((t * W) / o.threads),
      walkEnd: Math.floor(((t + 1) * W) / o.threads),
      epochs: o.epochs,
      alpha: o.alpha,
      minAlpha: o.minAlpha,
      rngState: rng.fork(t).getState(),
    };
    jobs.push({ ctx, job });
  }
  const wordsTotal = (offsets[W] - offsets[0]) * o.epochs;
  const t0 = performance.now();
  const report = progressReporter(o.progress, o.progressEvery, wordsTotal, progress, o.threads, t0);
  let results: SliceResult[];
  try {
    results = o.inProcess
      ? [trainSlice(jobs[0].ctx, jobs[0].job)]
      : await Promise.all(jobs.map(({ ctx, job }) => runSliceOnWorker(ctx, job)));
  } finally {
    report.stop();
  }
  const seconds = (performance.now() - t0) / 1000;

  const ids: string[] = [];
  const keep: number[] = [];
  for (let w = 0; w < V; w++) {
    if (counts[w] >= o.minCount) {
      ids.push(corpus.names[w]);
      keep.push(w);
    }
  }
  const vectors = new Float32Array(keep.length * dim);
  keep.forEach((w, r) => vectors.set(f32.subarray(w * dim, (w + 1) * dim), r * dim));
  const words = results.reduce((s, r) => s + r.words, 0);
  let lossSum = 0;
  let lossN = 0;
  for (let t = 0; t < o.threads; t++) {
    lossSum += progress[4 * t + 1];
    lossN += progress[4 * t + 2];
  }
  return {
    table: { ids, dim, vectors },
    stats: {
      engine,
      threads: o.threads,
      vocabSize: keep.length,
      epochs: o.epochs,
      words,
      effectiveWords: results.reduce((s, r) => s + r.effectiveWords, 0),
      pairs: results.reduce((s, r) => s + r.pairs, 0),
      seconds,
      wordsPerSecond: words / seconds,
      finalLoss: lossN > 0 ? lossSum / lossN : NaN,
    },
  };
}

function isShared(a: { buffer: ArrayBufferLike }): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

function share<T extends Int32Array | Float64Array>(a: T): T {
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T };
  const out = new Ctor(new SharedArrayBuffer(Math.max(8, a.byteLength)));
  (out as unknown as { set(x: T): void }).set(a);
  return a.length === out.length ? out : ((out as unknown as { subarray(a: number, b: number): T }).subarray(0, a.length) as T);
}

function progressReporter(
  progress: SkipGramOptions['progress'],
  every: number,
  wordsTotal: number,
  shared: Float64Array,
  threads: number,
  t0: number,
): { stop(): void } {
  if (progress === false) return { stop() {} };
  const emit =
    typeof progress === 'function'
      ? progress
      : (p: TrainingProgress) =>
          process.stderr.write(
            `[meta-id] skip-gram: ${(p.fraction * 100).toFixed(1)}% (${p.walksDone} walks, ${(p.wordsDone / 1e6).toFixed(1)}M of ${(p.wordsTotal / 1e6).toFixed(1)}M words), ` +
              `${Math.round(p.wordsPerSecond / 1000)}k words/s, loss ${p.loss.toFixed(3)}, ETA ${Math.ceil(p.etaSeconds)} s\n`,
          );
  const timer = setInterval(() => {
    let done = 0;
    let ls = 0;
    let ln = 0;
    let walks = 0;
    for (let t = 0; t < threads; t++) {
      done += shared[4 * t];
      ls += shared[4 * t + 1];
      ln += shared[4 * t + 2];
      walks += shared[4 * t + 3];
    }
    const secs = (performance.now() - t0) / 1000;
    const wps = done / secs;
    emit({
      fraction: done / wordsTotal,
      wordsDone: done,
      wordsTotal,
      walksDone: walks,
      wordsPerSecond: wps,
      loss: ln > 0 ? ls / ln : NaN,
      etaSeconds: wps > 0 ? (wordsTotal - done) / wps : Infinity,
    });
  }, every);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
