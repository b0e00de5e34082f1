/**
 * One thread's share of skip-gram training with negative sampling, exactly
 * as word2vec (Mikolov et al., "Distributed Representations of Words and
 * Phrases and their Compositionality", NIPS 2013) and gensim's
 * `fast_sentence_sg_neg` do it:
 *
 * - frequent words are dropped before windowing with gensim's `sample`
 *   rule (kept when `sampleInt[w] ≥ a random uint32`);
 * - the window shrinks at random per centre word (`reduced_windows`);
 * - for each (centre, context) pair the *context* word's input vector is
 *   trained to predict the centre word against `negative` words drawn from
 *   the unigram^0.75 distribution (a draw equal to the centre word is skipped, and a
 *   dot product outside ±6 contributes no gradient, as in gensim);
 * - the learning rate falls linearly from `alpha` to `minAlpha` over all
 *   epochs, recomputed per sentence from this thread's progress.
 *
 * Hogwild: threads update the shared weights without locks, as word2vec and
 * gensim do. With one thread the run is bit-for-bit reproducible from the
 * seed.
 * Departures: the random stream is core's xoshiro128** (not word2vec's
 * 48-bit LCG), and negatives are drawn from a Walker alias table (the exact
 * unigram^0.75 distribution in 8 bytes per word, which stays in cache)
 * instead of word2vec's 1e8-entry table or gensim's bisect over a cumulative
 * table: same distribution, fewer cache misses.
 *
 * This function must stay self-contained (no imports, no outer references):
 * worker threads receive it as source text via `Function.prototype.toString`.
 */

import type { WasmApi, WasmMemory, WasmModule } from './wasm-api.js';

/** Everything a slice needs; typed arrays may be views of SharedArrayBuffers. */
export interface SliceContext {
  dim: number;
  /** syn0 (input vectors) and syn1neg (output vectors), each vocabSize × dim, and per-thread scratch, in one buffer. */
  memory: ArrayBuffer | SharedArrayBuffer;
  syn0Byte: number;
  syn1Byte: number;
  /**
   * This thread's scratch (16-byte aligned): `recordCapacity` int32 pair
   * records, as many float32 outputs, then dim + 4 floats of work.
   */
  scratchByte: number;
  /** Int32 slots for pair records per WebAssembly call (≥ 3 + negative). */
  recordCapacity: number;
  /** Byte offset of the 1000-entry sigmoid table (inside `memory`). */
  expByte: number;
  tokens: Int32Array;
  offsets: Int32Array;
  /**
   * Unigram^0.75 distribution as a Walker alias table over one buffer:
   * float32 probability at [2w], int32 alias at [2w + 1] (one cache line per draw).
   */
  aliasTable: ArrayBuffer | SharedArrayBuffer;
  /** Keep-threshold per word against a uniform uint32 (≥ 2^32 = always keep; 0 = never, e.g. below minCount). */
  sampleInt: Float64Array;
  /** Whether `sample` is on (gensim draws the sub-sampling random number only then). */
  sample: boolean;
  window: number;
  negative: number;
  shrinkWindows: boolean;
  /** When given, pair updates run in this WebAssembly SIMD module over `memory` (which must be its shared memory). */
  wasmModule?: WasmModule;
  wasmMemory?: WasmMemory;
  /** Shared progress: [thread*4] = raw words done, [+1] = loss sum, [+2] = loss samples, [+3] = walks done (all epochs). */
  progress?: Float64Array;
  thread: number;
}

/** The walks of this slice and the learning-rate schedule. */
export interface SliceJob {
  walkStart: number;
  walkEnd: number;
  epochs: number;
  alpha: number;
  minAlpha: number;
  /** xoshiro128** state (from core `Rng.getState()` of a forked generator). */
  rngState: number[];
}

export interface SliceResult {
  /** Raw corpus words seen (all epochs). */
  words: number;
  /** Words left after sub-sampling (all epochs). */
  effectiveWords: number;
  /** (centre, context) pairs trained. */
  pairs: number;
  /** Mean negative-sampling loss over sampled pairs of the last epoch. */
  loss: number;
  rngState: number[];
}

export function trainSlice(ctx: SliceContext, job: SliceJob): SliceResult {
  const dim = ctx.dim;
  const window = ctx.window;
  const negative = ctx.negative;
  const tokens = ctx.tokens;
  const offsets = ctx.offsets;
  const aliasProb = new Float32Array(ctx.aliasTable);
  const aliasIdx = new Int32Array(ctx.aliasTable);
  const vocab = aliasIdx.length >> 1;
  const vocabScale = vocab / 4294967296;
  const sampleInt = ctx.sampleInt;
  const doSample = ctx.sample;
  const f32 = new Float32Array(ctx.memory);
  const i32 = new Int32Array(ctx.memory);
  const syn0 = ctx.syn0Byte >> 2;
  const syn1 = ctx.syn1Byte >> 2;
  const cap = ctx.recordCapacity;
  const recAt = ctx.scratchByte >> 2; // int32 slots of pair records
  const targetsAt = recAt; // the JS engine's target list reuses the record area
  const outAt = recAt + cap; // float32 outputs, parallel to the records
  const workAt = outAt + cap; // dim (+4) floats
  const recLimit = recAt + cap - (3 + negative);
  const sampled = new Int32Array(cap);
  const expAt = ctx.expByte >> 2;
  const progress = ctx.progress;
  const pbase = ctx.thread * 4;
  let walksDone = 0;

  // xoshiro128** (the same generator as core Rng), state in a typed array so V8 keeps it unboxed.
  const s = new Uint32Array(4);
  s[0] = job.rngState[0];
  s[1] = job.rngState[1];
  s[2] = job.rngState[2];
  s[3] = job.rngState[3];
  const rnd = (): number => {
    const s1 = s[1];
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 11) | (s[3] >>> 21);
    return result;
  };

  let pairs: ((start: number, end: number, a: number, w: number, db: number, od: number, ex: number) => void) | undefined;
  if (ctx.wasmModule && ctx.wasmMemory) {
    const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const inst = new api.Instance(ctx.wasmModule, { env: { memory: ctx.wasmMemory } });
    pairs = inst.exports.pairs as typeof pairs;
  }

  let senBuf = new Int32Array(1024);
  let words = 0;
  let effective = 0;
  let pairCount = 0;
  let lossSum = 0;
  let lossCount = 0;
  const wordsPerEpoch = offsets[job.walkEnd] - offsets[job.walkStart];
  const totalWords = wordsPerEpoch * job.epochs;
  const alpha0 = job.alpha;
  const alphaSpan = job.alpha - job.minAlpha;
  const dimBytes = dim * 4;
  const MAX_EXP = 6;
  const EXP_SCALE = 1000 / 12;
  // Sigmoid at ±6, used for the loss of clipped dot products.
  const SIG_HI = 0.9975273768433653;
  const SIG_LO = 0.0024726231566347743;
  let rec = recAt;
  let nSampled = 0;
  // Negative log-likelihood of one record from the outputs the WebAssembly call left beside it.
  const recordLoss = (r: number): number => {
    const n = i32[r + 1];
    let loss = 0;
    for (let k = 0; k < n; k++) {
      const v = f32[outAt + r + 2 + k - recAt];
      // In (0,1): the sigmoid; otherwise the clipped dot product (|f| ≥ 6).
      const sig = v > 0 && v < 1 ? v : v >= MAX_EXP ? SIG_HI : SIG_LO;
      loss -= Math.log(k === 0 ? sig : 1 - sig);
    }
    return loss;
  };

  for (let epoch = 0; epoch < job.epochs; epoch++) {
    lossSum = 0;
    lossCount = 0;
    for (let wk = job.walkStart; wk < job.walkEnd; wk++) {
      const a = offsets[wk];
      const b = offsets[wk + 1];
      const alpha = alpha0 - (alphaSpan * words) / totalWords;
      // Sub-sample into senBuf.
      if (b - a > senBuf.length) senBuf = new Int32Array(b - a);
      let len = 0;
      for (let p = a; p < b; p++) {
        const w = tokens[p];
        const keep = sampleInt[w];
        if (keep === 0) continue;
        if (doSample && keep < rnd()) continue;
        senBuf[len++] = w;
      }
      words += b - a;
      effective += len;
      for (let i = 0; i < len; i++) {
        const word = senBuf[i];
        const reduced = ctx.shrinkWindows ? rnd() % window : 0;
        let j0 = i - window + reduced;
        if (j0 < 0) j0 = 0;
        let j1 = i + window + 1 - reduced;
        if (j1 > len) j1 = len;
        for (let j = j0; j < j1; j++) {
          if (j === i) continue;
          const l1 = syn0 + senBuf[j] * dim;
          pairCount++;
          const sampleLoss = (pairCount & 31) === 0;
          if (pairs !== undefined) {
            // Append a record [l1, n, centre, negatives...]; run the batch when the area is full.
            if (rec > recLimit) {
              pairs(recAt << 2, rec << 2, alpha, workAt << 2, dimBytes, cap << 2, expAt << 2);
              for (let q = 0; q < nSampled; q++) lossSum += recordLoss(sampled[q]);
              lossCount += nSampled;
              nSampled = 0;
              rec = recAt;
            }
            i32[rec] = l1 << 2;
            const t0 = rec + 2;
            i32[t0] = (syn1 + word * dim) << 2;
            let n = 1;
            for (let d = 0; d < negative; d++) {
              // Alias draw from one uint32: integer part picks a column, the fraction flips its coin.
              const x = rnd() * vocabScale;
              const col = x | 0;
              const t = x - col < aliasProb[2 * col] ? col : aliasIdx[2 * col + 1];
              if (t === word) continue;
              i32[t0 + n++] = (syn1 + t * dim) << 2;
            }
            i32[rec + 1] = n;
            if (sampleLoss) sampled[nSampled++] = rec;
            rec = t0 + n;
            continue;
          }
          let n = 1;
          i32[targetsAt] = (syn1 + word * dim) << 2;
          for (let d = 0; d < negative; d++) {
            const x = rnd() * vocabScale;
            const col = x | 0;
            const t = x - col < aliasProb[2 * col] ? col : aliasIdx[2 * col + 1];
            if (t === word) continue;
            i32[targetsAt + n++] = (syn1 + t * dim) << 2;
          }
          {
            const work = workAt;
            for (let c = 0; c < dim; c++) f32[work + c] = 0;
            for (let k = 0; k < n; k++) {
              const l2 = i32[targetsAt + k] >> 2;
              // Dot product, unrolled by 4 (float64 accumulation, as JS arithmetic is).
              let f = 0;
              let c = 0;
              for (; c + 3 < dim; c += 4) {
                f +=
                  f32[l1 + c] * f32[l2 + c] +
                  f32[l1 + c + 1] * f32[l2 + c + 1] +
                  f32[l1 + c + 2] * f32[l2 + c + 2] +
                  f32[l1 + c + 3] * f32[l2 + c + 3];
              }
              for (; c < dim; c++) f += f32[l1 + c] * f32[l2 + c];
              let sig: number;
              if (f <= -MAX_EXP || f >= MAX_EXP) {
                if (sampleLoss) sig = f >= MAX_EXP ? SIG_HI : SIG_LO;
                else continue;
              } else {
                sig = f32[expAt + (((f + MAX_EXP) * EXP_SCALE) | 0)];
                const g = ((k === 0 ? 1 : 0) - sig) * alpha;
                for (c = 0; c + 3 < dim; c += 4) {
                  f32[work + c] += g * f32[l2 + c];
                  f32[work + c + 1] += g * f32[l2 + c + 1];
                  f32[work + c + 2] += g * f32[l2 + c + 2];
                  f32[work + c + 3] += g * f32[l2 + c + 3];
                  f32[l2 + c] += g * f32[l1 + c];
                  f32[l2 + c + 1] += g * f32[l1 + c + 1];
                  f32[l2 + c + 2] += g * f32[l1 + c + 2];
                  f32[l2 + c + 3] += g * f32[l1 + c + 3];
                }
                for (; c < dim; c++) {
                  f32[work + c] += g * f32[l2 + c];
                  f32[l2 + c] += g * f32[l1 + c];
                }
              }
              if (sampleLoss) lossSum -= Math.log(k === 0 ? sig : 1 - sig);
            }
            if (sampleLoss) lossCount++;
            for (let c = 0; c < dim; c++) f32[l1 + c] += f32[work + c];
          }
        }
      }
      if (rec > recAt) {
        pairs!(recAt << 2, rec << 2, alpha, workAt << 2, dimBytes, cap << 2, expAt << 2);
        for (let q = 0; q < nSampled; q++) lossSum += recordLoss(sampled[q]);
        lossCount += nSampled;
        nSampled = 0;
        rec = recAt;
      }
      if (progress !== undefined) {
        progress[pbase] = words;
        progress[pbase + 1] = lossSum;
        progress[pbase + 2] = lossCount;
        progress[pbase + 3] = ++walksDone;
      }
    }
  }
  return {
    words,
    effectiveWords: effective,
    pairs: pairCount,
    loss: lossCount > 0 ? lossSum / lossCount : NaN,
    rngState: [s[0], s[1], s[2], s[3]],
  };
}
