/**
 * A T5-layout encoder-decoder on tfjs, readable top to bottom.
 *
 * Implements the architecture of Raffel et al., "Exploring the Limits of
 * Transfer Learning with a Unified Text-to-Text Transformer" (JMLR 2020) as
 * released in Hugging Face's `T5ForConditionalGeneration`: pre-norm blocks with
 * RMS layer norm (no bias, no mean subtraction), attention without the
 * 1/sqrt(d) scale (T5 folds it into the initialisation), a learned
 * relative-position bias shared by all layers of a stack (bucketed, one table
 * for the encoder, a causal one for the decoder), ReLU or gated-GELU
 * feed-forward, no biases anywhere, and a tied output head scaled by
 * dModel^-0.5.
 *
 * META ID's representation augmentation (Huang et al., ICML 2025, §3.3 and the
 * official code): each OOV token's encoder input embedding gets
 * `alpha · W · c`, with `c` the token's centroid from the codebook (fixed) and
 * `W` trainable. Departure: the official code adds it inside a patched HF
 * embedding; here it is one gather + one matMul in {@link T5Model.embedEncoder},
 * used by training and generation alike.
 *
 * Weights are stored `[in, out]` (HF Linear stores `[out, in]`; the loader
 * transposes), so every forward matMul is untransposed: the WASM backend is
 * 10-20x slower on transposed operands.
 *
 * Written for few kernels per step: at this model size tfjs-node spends more
 * time dispatching a kernel (~0.1 ms) than computing it, so the residual
 * stream is kept as `[B·L, dModel]` rows (every projection is one plain 2-D
 * matMul, no reshapes around it), q/k/v (and cross-attention k/v) are one
 * matMul over the concatenated weights, RMS norm has a hand-written gradient,
 * and masks, decoder inputs and the loss weights are built on the host. The
 * named weights stay separate, so checkpoints keep the HF layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, Rng } from '@meta-id/core';
import { validateConfig, type T5Config } from './config.js';

// ---------------------------------------------------------------------------
// Relative position buckets (T5 / HF `_relative_position_bucket`)
// ---------------------------------------------------------------------------

/**
 * Bucket of `relative = key position - query position`. Half the buckets are
 * exact small distances, the rest grow logarithmically up to `maxDistance`.
 * Bidirectional (encoder) buckets keep the sign; causal (decoder) ones see
 * only the past.
 */
export function relativePositionBucket(relative: number, bidirectional: boolean, numBuckets = 32, maxDistance = 128): number {
  let bucket = 0;
  let n = numBuckets;
  let r: number;
  if (bidirectional) {
    n = Math.floor(n / 2);
    if (relative > 0) bucket += n;
    r = Math.abs(relative);
  } else {
    r = -Math.min(relative, 0);
  }
  const maxExact = Math.floor(n / 2);
  if (r < maxExact) return bucket + r;
  // Math.fround: HF computes this in float32; truncation towards zero as `.to(torch.long)`.
  const large = maxExact + Math.trunc(Math.fround((Math.log(r / maxExact) / Math.log(maxDistance / maxExact)) * (n - maxExact)));
  return bucket + Math.min(large, n - 1);
}

/** Bucket ids of a `[queryLength, keyLength]` grid, row-major. `queryOffset` shifts query positions (cached decoding). */
export function bucketGrid(queryLength: number, keyLength: number, bidirectional: boolean, numBuckets: number, maxDistance: number, queryOffset = 0): Int32Array {
  const out = new Int32Array(queryLength * keyLength);
  for (let q = 0; q < queryLength; q++) {
    for (let k = 0; k < keyLength; k++) {
      out[q * keyLength + k] = relativePositionBucket(k - (q + queryOffset), bidirectional, numBuckets, maxDistance);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

const rmsNormOps = new Map<number, (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor>();

/**
 * T5 layer norm: `x / sqrt(mean(x²) + eps) · weight` (no mean subtraction,
 * no bias), over the last axis. The gradient is written out (8 kernels where
 * autodiff of the 6 forward ops takes ~30): with `r = (mean(x²) + eps)^-½`,
 * `g = dy · weight` and `x̂ = x · r`,
 *   dx = r · (g - x̂ · mean(g · x̂)),   dweight = Σ_rows dy · x̂.
 */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  let op = rmsNormOps.get(eps);
  if (!op) {
    const forward = (x: tf.Tensor, weight: tf.Tensor, save: tf.GradSaveFunc) => {
      const r = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
      const xHat = tf.mul(x, r);
      save([r, xHat, weight]);
      return {
        value: tf.mul(xHat, weight),
        gradFunc: (dy: tf.Tensor, [r, xHat, weight]: tf.Tensor[]) => {
          const g = tf.mul(dy, weight);
          const dx = tf.mul(r, tf.sub(g, tf.mul(xHat, tf.mean(tf.mul(g, xHat), -1, true))));
          const rowAxes = [...Array(dy.rank - 1).keys()];
          return [dx, tf.sum(tf.mul(dy, xHat), rowAxes)];
        },
      };
    };
    op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor, weight: tf.Tensor) => tf.Tensor;
    rmsNormOps.set(eps, op);
  }
  return op(x, weight);
}

/** GELU, tanh approximation (HF `gelu_new`, used by T5 v1.1's gated feed-forward). */
function geluNew(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** Precomputed cross-attention keys and values of one decoder layer (computed once per encoder output). */
export interface CrossKV {
  /** `[B, H, dKv, Lk]`: keys already transposed for `q @ k`. */
  k: tf.Tensor4D;
  /** `[B, H, Lk, dKv]`. */
  v: tf.Tensor4D;
}

/** What the encoder hands to the decoder. */
export interface EncoderState {
  /** Per decoder layer. */
  cross: CrossKV[];
  /** `[B, 1, 1, Lk]` additive mask (0 or -1e9) of encoder padding. */
  maskBias: tf.Tensor4D;
}

const DROPOUT_BANK_SIZE = 1 << 22;
const dropoutBanks = new Map<number, Float32Array>();

/** 0 or 1/(1-rate) values, drawn once per rate from a fixed seed. */
function dropoutBank(rate: number): Float32Array {
  let bank = dropoutBanks.get(rate);
  if (!bank) {
    const rng = new Rng(0x5eed);
    bank = new Float32Array(DROPOUT_BANK_SIZE);
    const keep = 1 / (1 - rate);
    for (let i = 0; i < bank.length; i++) bank[i] = rng.next() < rate ? 0 : keep;
    dropoutBanks.set(rate, bank);
  }
  return bank;
}

/** A keep/drop mask of `size` values: windows of at most half the bank, each at its own seeded offset. */
function dropoutMask(rate: number, size: number, seed: number): Float32Array {
  const bank = dropoutBank(rate);
  const window = DROPOUT_BANK_SIZE / 2;
  if (size <= window) {
    const offset = mix32(seed) % (DROPOUT_BANK_SIZE - size + 1);
    return bank.subarray(offset, offset + size);
  }
  const mask = new Float32Array(size);
  for (let start = 0, k = 0; start < size; start += window, k++) {
    const n = Math.min(window, size - start);
    const offset = mix32((seed + Math.imul(k, 0x9e3779b1)) >>> 0) % (DROPOUT_BANK_SIZE - n + 1);
    mask.set(bank.subarray(offset, offset + n), start);
  }
  return mask;
}

function mix32(seed: number): number {
  let x = (seed + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Parameter name → tensor, HF names with `[in, out]` layout. */
export type Weights = Map<string, tf.Variable>;

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

export class T5Model {
  readonly config: T5Config;
  readonly weights: Weights = new Map();
  /** Fixed centroid rows for representation augmentation (row 0 = zeros for in-vocabulary tokens). */
  private augCentroids: tf.Tensor2D | undefined;
  /** token id → row of `augCentroids` (0 when the token has no centroid). */
  private augRow: tf.Tensor1D | undefined;
  private augTokenIds: Int32Array | undefined;
  private augCentroidValues: Float32Array | undefined;
  /** Seed of the next dropout mask; the trainer sets it per step so runs and resumes are exact. */
  dropoutSeed = 1;
  /** Input-independent constants by shape: bucket ids, causal masks. */
  private readonly constants = new Map<string, tf.Tensor>();

  /**
   * A model with freshly initialised weights (HF `T5PreTrainedModel._init_weights`
   * scales, drawn from the seeded {@link Rng}).
   */
  constructor(config: T5Config, options: { seed?: number; init?: boolean } = {}) {
    validateConfig(config);
    this.config = config;
    if (options.init === false) return;
    const rng = new Rng(options.seed ?? 42);
    const c = config;
    const inner = c.numHeads * c.dKv;
    const normal = (shape: number[], std: number) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = rng.normal() * std;
      return tf.tensor(v, shape);
    };
    const ones = (n: number) => tf.ones([n]);
    const add = (name: string, t: tf.Tensor) => this.weights.set(name, tf.variable(t, true));
    add('shared.weight', normal([c.vocabSize, c.dModel], 1.0));
    const attention = (prefix: string, withBias: boolean) => {
      add(`${prefix}.q.weight`, normal([c.dModel, inner], (c.dModel * c.dKv) ** -0.5));
      add(`${prefix}.k.weight`, normal([c.dModel, inner], c.dModel ** -0.5));
      add(`${prefix}.v.weight`, normal([c.dModel, inner], c.dModel ** -0.5));
      add(`${prefix}.o.weight`, normal([inner, c.dModel], inner ** -0.5));
      if (withBias) add(`${prefix}.relative_attention_bias.weight`, normal([c.relativeAttentionNumBuckets, c.numHeads], c.dModel ** -0.5));
    };
    const feedForward = (prefix: string) => {
      if (c.feedForwardProj === 'relu') {
        add(`${prefix}.DenseReluDense.wi.weight`, normal([c.dModel, c.dFf], c.dModel ** -0.5));
      } else {
        add(`${prefix}.DenseReluDense.wi_0.weight`, normal([c.dModel, c.dFf], c.dModel ** -0.5));
        add(`${prefix}.DenseReluDense.wi_1.weight`, normal([c.dModel, c.dFf], c.dModel ** -0.5));
      }
      add(`${prefix}.DenseReluDense.wo.weight`, normal([c.dFf, c.dModel], c.dFf ** -0.5));
      add(`${prefix}.layer_norm.weight`, ones(c.dModel));
    };
    for (let i = 0; i < c.numLayers; i++) {
      attention(`encoder.block.${i}.layer.0.SelfAttention`, i === 0);
      add(`encoder.block.${i}.layer.0.layer_norm.weight`, ones(c.dModel));
      feedForward(`encoder.block.${i}.layer.1`);
    }
    add('encoder.final_layer_norm.weight', ones(c.dModel));
    for (let i = 0; i < c.numDecoderLayers; i++) {
      attention(`decoder.block.${i}.layer.0.SelfAttention`, i === 0);
      add(`decoder.block.${i}.layer.0.layer_norm.weight`, ones(c.dModel));
      attention(`decoder.block.${i}.layer.1.EncDecAttention`, false);
      add(`decoder.block.${i}.layer.1.layer_norm.weight`, ones(c.dModel));
      feedForward(`decoder.block.${i}.layer.2`);
    }
    add('decoder.final_layer_norm.weight', ones(c.dModel));
    if (!c.tieWordEmbeddings) add('lm_head.weight', normal([c.dModel, c.vocabSize], 1.0));
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    let n = 0;
    for (const w of this.weights.values()) n += w.size;
    return n;
  }

  private w(name: string): tf.Variable {
    const t = this.weights.get(name);
    if (!t) throw new ConfigError('weights', `missing parameter ${name}`);
    return t;
  }

  /**
   * Turns on representation augmentation: `tokenIds[i]` gets centroid row i
   * (`centroids` is `tokenIds.length × dim`, row-major). Adds the trainable
   * projection `augment.W` (`dim × dModel`) unless it exists (a loaded checkpoint).
   */
  setAugmentation(tokenIds: Int32Array, centroids: Float32Array, dim: number, seed = 7): void {
    if (centroids.length !== tokenIds.length * dim) {
      throw new ConfigError('centroids', `want tokenIds.length × dim = ${tokenIds.length * dim} values`, centroids.length);
    }
    const rows = new Int32Array(this.config.vocabSize);
    const table = new Float32Array((tokenIds.length + 1) * dim);
    tokenIds.forEach((id, i) => {
      if (!(id >= 0 && id < this.config.vocabSize)) throw new ConfigError('tokenIds', `token id outside the vocabulary (${this.config.vocabSize})`, id);
      rows[id] = i + 1;
      table.set(centroids.subarray(i * dim, (i + 1) * dim), (i + 1) * dim);
    });
    this.augCentroids?.dispose();
    this.augRow?.dispose();
    this.augCentroids = tf.tensor2d(table, [tokenIds.length + 1, dim]);
    this.augRow = tf.tensor1d(rows, 'int32');
    this.augTokenIds = Int32Array.from(tokenIds);
    this.augCentroidValues = Float32Array.from(centroids);
    const existing = this.weights.get('augment.W');
    if (!existing || existing.shape[0] !== dim) {
      existing?.dispose();
      const rng = new Rng(seed);
      const v = new Float32Array(dim * this.config.dModel);
      for (let i = 0; i < v.length; i++) v[i] = rng.normal();
      this.weights.set('augment.W', tf.variable(tf.tensor2d(v, [dim, this.config.dModel]), true));
    }
  }

  /** The augmentation inputs (for checkpoints), if set. */
  get augmentation(): { tokenIds: Int32Array; centroids: Float32Array; dim: number } | undefined {
    if (!this.augTokenIds || !this.augCentroidValues) return undefined;
    return { tokenIds: this.augTokenIds, centroids: this.augCentroidValues, dim: this.augCentroidValues.length / Math.max(1, this.augTokenIds.length) };
  }

  /**
   * Dropout with masks cut from a fixed bank of 2^22 pre-drawn keep/drop
   * values at a seeded offset and handed to tfjs as one host tensor: one
   * kernel (the multiply) instead of drawing every random number in JS
   * (tf.dropout), which cost a third of a training step.
   * Departure: masks of one step are windows of one bank rather than fresh
   * draws; their offsets are independent, so the regularisation is the same.
   */
  private dropout(x: tf.Tensor, training: boolean): tf.Tensor {
    const rate = this.config.dropoutRate;
    if (!training || rate === 0) return x;
    return tf.mul(x, tf.tensor(dropoutMask(rate, x.size, this.dropoutSeed++), x.shape, 'float32'));
  }

  /** A cached input-independent tensor (kept across tidy scopes, freed by dispose). */
  private constant(key: string, make: () => tf.Tensor): tf.Tensor {
    let t = this.constants.get(key);
    if (!t) {
      t = tf.keep(make());
      this.constants.set(key, t);
    }
    return t;
  }

  /** `[H, Lq, Lk]` position bias of a stack (from its first layer's table); the decoder's includes the causal mask. */
  private positionBias(stack: 'encoder' | 'decoder', lq: number, lk: number, queryOffset = 0): tf.Tensor {
    const c = this.config;
    const key = `${stack}:${lq}:${lk}:${queryOffset}`;
    const buckets = this.constant(`buckets:${key}`, () =>
      tf.tensor2d(bucketGrid(lq, lk, stack === 'encoder', c.relativeAttentionNumBuckets, c.relativeAttentionMaxDistance, queryOffset), [lq, lk], 'int32'),
    );
    const table = this.w(`${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`);
    const bias = tf.transpose(tf.gather(table, buckets), [2, 0, 1]);
    if (stack === 'encoder') return bias;
    const causal = this.constant(`causal:${key}`, () => {
      const m = new Float32Array(lq * lk);
      for (let q = 0; q < lq; q++) for (let k = q + queryOffset + 1; k < lk; k++) m[q * lk + k] = -1e9;
      return tf.tensor2d(m, [lq, lk]);
    });
    return tf.add(bias, causal);
  }

  /** `[B, 1, 1, L]` additive bias, -1e9 on padding keys (built on the host from the ids). */
  private paddingBias(ids: tf.Tensor2D): tf.Tensor4D {
    const [b, l] = ids.shape;
    const values = ids.dataSync();
    const bias = new Float32Array(b * l);
    for (let i = 0; i < bias.length; i++) if (values[i] === this.config.padTokenId) bias[i] = -1e9;
    return tf.tensor4d(bias, [b, 1, 1, l]);
  }

  /**
   * Rows `x` (`[b·l, dModel]`, `b` sequences) through the projections `names`
   * in one matMul over their concatenated weights, each split into heads
   * `[b, H, l, dKv]`.
   */
  private projectHeads(x: tf.Tensor, b: number, names: string[]): tf.Tensor4D[] {
    const { numHeads: h, dKv } = this.config;
    if (names.length === 1) {
      return [tf.transpose(tf.reshape(tf.matMul(x as tf.Tensor2D, this.w(names[0]) as tf.Tensor2D), [b, -1, h, dKv]), [0, 2, 1, 3])];
    }
    const w = tf.concat(names.map((n) => this.w(n)), 1) as tf.Tensor2D;
    const y = tf.reshape(tf.matMul(x as tf.Tensor2D, w), [b, -1, names.length, h, dKv]);
    return tf.unstack(tf.transpose(y, [2, 0, 3, 1, 4])) as tf.Tensor4D[];
  }

  /** `[B, H, L, dKv]` keys → `[B, H, dKv, L]`, so `q @ k` is untransposed. */
  private static keysFirst(k: tf.Tensor4D): tf.Tensor4D {
    return tf.transpose(k, [0, 1, 3, 2]);
  }

  /** Cross-attention keys and values of one decoder layer from encoder rows `source` (`[B·L, dModel]`, `b` = B). */
  keysValues(prefix: string, source: tf.Tensor, b: number): CrossKV {
    const [k, v] = this.projectHeads(source, b, [`${prefix}.k.weight`, `${prefix}.v.weight`]);
    return { k: T5Model.keysFirst(k), v };
  }

  /**
   * Multi-head attention of queries `q` (`[B, H, Lq, dKv]`) over keys/values,
   * plus an additive bias (position and mask), then the output projection:
   * rows `[B·Lq, dModel]`. No 1/sqrt(d): T5 folds it into q's initialisation.
   */
  private attend(prefix: string, q: tf.Tensor4D, kv: CrossKV, bias: tf.Tensor, training: boolean): tf.Tensor {
    const [b, h, lq, dKv] = q.shape;
    const scores = tf.add(tf.matMul(q, kv.k), bias);
    const probs = this.dropout(tf.softmax(scores, -1), training);
    const context = tf.reshape(tf.transpose(tf.matMul(probs, kv.v), [0, 2, 1, 3]), [b * lq, h * dKv]);
    return tf.matMul(context as tf.Tensor2D, this.w(`${prefix}.o.weight`) as tf.Tensor2D);
  }

  /** Self-attention of rows `x` (`b` sequences): q, k and v from one matMul. */
  private selfAttention(prefix: string, x: tf.Tensor, b: number, bias: tf.Tensor, training: boolean): tf.Tensor {
    const [q, k, v] = this.projectHeads(x, b, [`${prefix}.q.weight`, `${prefix}.k.weight`, `${prefix}.v.weight`]);
    return this.attend(prefix, q, { k: T5Model.keysFirst(k), v }, bias, training);
  }

  /**
   * Attention of decoder rows `x` over the encoder's keys/values. With G > 1
   * decoder rows per encoder row (the beams of one user), the beams fold into
   * the query axis (rows are in (user, beam, position) order, so the reshape
   * to `[B, G·T, ...]` is free): beams share their user's keys and values
   * without copies.
   */
  private crossAttention(prefix: string, x: tf.Tensor, kv: CrossKV, maskBias: tf.Tensor, training: boolean): tf.Tensor {
    const [q] = this.projectHeads(x, kv.k.shape[0], [`${prefix}.q.weight`]);
    return this.attend(prefix, q, kv, maskBias, training);
  }

  private feedForward(prefix: string, x: tf.Tensor, training: boolean): tf.Tensor {
    const c = this.config;
    const proj = (name: string) => tf.matMul(x as tf.Tensor2D, this.w(`${prefix}.DenseReluDense.${name}.weight`) as tf.Tensor2D);
    const h = c.feedForwardProj === 'relu' ? tf.relu(proj('wi')) : tf.mul(geluNew(proj('wi_0')), proj('wi_1'));
    return tf.matMul(this.dropout(h, training) as tf.Tensor2D, this.w(`${prefix}.DenseReluDense.wo.weight`) as tf.Tensor2D);
  }

  /** Encoder input embeddings of `ids` (`[B, L]`) as rows `[B·L, dModel]`, with representation augmentation on OOV tokens. */
  embedEncoder(ids: tf.Tensor2D): tf.Tensor2D {
    const flat = tf.reshape(ids, [ids.size]);
    const x = tf.gather(this.w('shared.weight'), flat) as tf.Tensor2D;
    if (!this.augCentroids || !this.augRow) return x;
    const c = tf.gather(this.augCentroids, tf.gather(this.augRow, flat));
    const projected = tf.matMul(c, this.w('augment.W') as tf.Tensor2D);
    return tf.add(x, tf.mul(projected, this.config.augmentAlpha));
  }

  /**
   * Runs the encoder on `ids` (`[B, L]`, padded with padTokenId) and returns
   * the decoder's view of it: every decoder layer's cross-attention keys and
   * values, computed once (beam search reuses them at every step).
   */
  encode(ids: tf.Tensor2D, training = false): EncoderState {
    const c = this.config;
    const [b, l] = ids.shape;
    const maskBias = this.paddingBias(ids);
    const bias = tf.add(this.positionBias('encoder', l, l), maskBias);
    let h = this.dropout(this.embedEncoder(ids), training);
    for (let i = 0; i < c.numLayers; i++) {
      const p = `encoder.block.${i}.layer`;
      const n = rmsNorm(h, this.w(`${p}.0.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.selfAttention(`${p}.0.SelfAttention`, n, b, bias, training), training));
      const n2 = rmsNorm(h, this.w(`${p}.1.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.feedForward(`${p}.1`, n2, training), training));
    }
    const out = this.dropout(rmsNorm(h, this.w('encoder.final_layer_norm.weight'), c.layerNormEpsilon), training);
    const cross: CrossKV[] = [];
    for (let i = 0; i < c.numDecoderLayers; i++) cross.push(this.keysValues(`decoder.block.${i}.layer.1.EncDecAttention`, out, b));
    return { cross, maskBias };
  }

  /**
   * Decoder hidden states `[B·G, T, dModel]` (after the final norm) for decoder
   * inputs `decIds` (`[B·G, T]`, starting with decoderStartTokenId), causal;
   * G consecutive decoder rows (beams) per encoder row.
   */
  decode(decIds: tf.Tensor2D, enc: EncoderState, training = false): tf.Tensor3D {
    const [rows, t] = decIds.shape;
    return tf.reshape(this.decodeRows(decIds, enc, training), [rows, t, this.config.dModel]);
  }

  /** {@link decode} as rows `[B·G·T, dModel]`. */
  private decodeRows(decIds: tf.Tensor2D, enc: EncoderState, training: boolean): tf.Tensor2D {
    const c = this.config;
    const [rows, t] = decIds.shape;
    // Several decoder rows per encoder row (beams of one input), in consecutive order.
    if (!Number.isInteger(rows / enc.maskBias.shape[0])) throw new ConfigError('decIds', `decoder rows (${rows}) must be a multiple of encoder rows (${enc.maskBias.shape[0]})`);
    const selfBias = this.positionBias('decoder', t, t);
    let h = this.dropout(tf.gather(this.w('shared.weight'), tf.reshape(decIds, [rows * t])), training);
    for (let i = 0; i < c.numDecoderLayers; i++) {
      const p = `decoder.block.${i}.layer`;
      const n = rmsNorm(h, this.w(`${p}.0.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.selfAttention(`${p}.0.SelfAttention`, n, rows, selfBias, training), training));
      const n2 = rmsNorm(h, this.w(`${p}.1.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.crossAttention(`${p}.1.EncDecAttention`, n2, enc.cross[i], enc.maskBias, training), training));
      const n3 = rmsNorm(h, this.w(`${p}.2.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.feedForward(`${p}.2`, n3, training), training));
    }
    return this.dropout(rmsNorm(h, this.w('decoder.final_layer_norm.weight'), c.layerNormEpsilon), training) as tf.Tensor2D;
  }

  /** Vocabulary logits of hidden states `[N, dModel]` → `[N, vocab]`. */
  logits(hidden: tf.Tensor2D): tf.Tensor2D {
    if (this.config.tieWordEmbeddings) {
      // Tied head: T5 rescales by dModel^-0.5 before projecting on the embedding.
      return tf.matMul(tf.mul(hidden, this.config.dModel ** -0.5), tf.transpose(this.w('shared.weight')));
    }
    return tf.matMul(hidden, this.w('lm_head.weight') as tf.Tensor2D);
  }

  /**
   * Mean token cross-entropy of `targets` (`[B, T]`, padded with padTokenId,
   * ending in eos) given `inputs` (`[B, L]`). The decoder reads the targets
   * shifted right behind decoderStartTokenId (teacher forcing).
   */
  loss(inputs: tf.Tensor2D, targets: tf.Tensor2D, training = false): tf.Scalar {
    const c = this.config;
    const [b, t] = targets.shape;
    const y = targets.dataSync();
    // Built on the host (the targets are there): decoder inputs, and the
    // cross-entropy as one weighted sum, -1/count at each non-pad target.
    const decIds = new Int32Array(b * t);
    const weights = new Float32Array(b * t * c.vocabSize);
    let count = 0;
    for (let i = 0; i < b * t; i++) if (y[i] !== c.padTokenId) count++;
    for (let i = 0; i < b * t; i++) {
      decIds[i] = i % t === 0 ? c.decoderStartTokenId : y[i - 1];
      if (y[i] !== c.padTokenId) weights[i * c.vocabSize + y[i]] = -1 / Math.max(count, 1);
    }
    const hidden = this.decodeRows(tf.tensor2d(decIds, [b, t], 'int32'), this.encode(inputs, training), training);
    const logp = tf.logSoftmax(this.logits(hidden));
    return tf.sum(tf.mul(logp, tf.tensor2d(weights, [b * t, c.vocabSize]))) as tf.Scalar;
  }

  /** Trainable variables in a fixed (name-sorted) order, for optimisers and checkpoints. */
  trainableNames(): string[] {
    return [...this.weights.keys()].sort();
  }

  dispose(): void {
    for (const w of this.weights.values()) w.dispose();
    this.weights.clear();
    this.augCentroids?.dispose();
    this.augRow?.dispose();
    for (const t of this.constants.values()) t.dispose();
    this.constants.clear();
  }
}
