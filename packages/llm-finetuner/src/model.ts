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

/** T5 layer norm: `x / sqrt(mean(x²) + eps) · weight` (no mean subtraction, no bias). */
export function rmsNorm(x: tf.Tensor, weight: tf.Tensor, eps: number): tf.Tensor {
  const variance = tf.mean(tf.square(x), -1, true);
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(variance, eps))), weight);
}

/** GELU, tanh approximation (HF `gelu_new`, used by T5 v1.1's gated feed-forward). */
function geluNew(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
  return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
}

/** `[..., in] @ [in, out]` for a rank-3 activation. */
function linear(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const [b, l, d] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * l, d]), w as tf.Tensor2D), [b, l, w.shape[1]!]);
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
const dropoutBanks = new Map<number, tf.Tensor1D>();

/** 0 or 1/(1-rate) values, drawn once per rate from a fixed seed. */
function dropoutBank(rate: number): tf.Tensor1D {
  let bank = dropoutBanks.get(rate);
  if (!bank) {
    const rng = new Rng(0x5eed);
    const v = new Float32Array(DROPOUT_BANK_SIZE);
    const keep = 1 / (1 - rate);
    for (let i = 0; i < v.length; i++) v[i] = rng.next() < rate ? 0 : keep;
    bank = tf.keep(tf.tensor1d(v));
    dropoutBanks.set(rate, bank);
  }
  return bank;
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
  private readonly bucketCache = new Map<string, tf.Tensor>();

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
   * values at a seeded offset: three native ops instead of drawing every
   * random number in JS (tf.dropout), which cost a third of a training step.
   * Departure: masks of one step are windows of one bank rather than fresh
   * draws; their offsets are independent, so the regularisation is the same.
   */
  private dropout(x: tf.Tensor, training: boolean): tf.Tensor {
    const rate = this.config.dropoutRate;
    if (!training || rate === 0) return x;
    const seed = this.dropoutSeed++;
    if (x.size > DROPOUT_BANK_SIZE / 2) return tf.dropout(x, rate, undefined, seed);
    const bank = dropoutBank(rate);
    const offset = mix32(seed) % (DROPOUT_BANK_SIZE - x.size + 1);
    return tf.mul(x, tf.reshape(tf.slice(bank, [offset], [x.size]), x.shape));
  }

  /** `[1, H, Lq, Lk]` position bias of a stack (from its first layer's table). */
  private positionBias(stack: 'encoder' | 'decoder', lq: number, lk: number, queryOffset = 0): tf.Tensor {
    const c = this.config;
    const key = `${stack}:${lq}:${lk}:${queryOffset}`;
    let buckets = this.bucketCache.get(key);
    if (!buckets) {
      buckets = tf.keep(tf.tensor1d(bucketGrid(lq, lk, stack === 'encoder', c.relativeAttentionNumBuckets, c.relativeAttentionMaxDistance, queryOffset), 'int32'));
      this.bucketCache.set(key, buckets);
    }
    const table = this.w(`${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`);
    const bias = tf.reshape(tf.gather(table, buckets), [lq, lk, c.numHeads]);
    return tf.expandDims(tf.transpose(bias, [2, 0, 1]), 0);
  }

  /** `[B, L, H·dKv]` → `[B, H, L, dKv]`. */
  private splitHeads(x: tf.Tensor): tf.Tensor4D {
    const [b, l] = x.shape;
    return tf.transpose(tf.reshape(x, [b, l, this.config.numHeads, this.config.dKv]), [0, 2, 1, 3]);
  }

  /** Keys `[B, H, dKv, L]` and values `[B, H, L, dKv]` of `source` through a layer's k/v projections. */
  keysValues(prefix: string, source: tf.Tensor): CrossKV {
    const [b, l] = source.shape;
    const k = tf.reshape(linear(source, this.w(`${prefix}.k.weight`)), [b, l, this.config.numHeads, this.config.dKv]);
    return {
      k: tf.transpose(k, [0, 2, 3, 1]) as tf.Tensor4D,
      v: this.splitHeads(linear(source, this.w(`${prefix}.v.weight`))),
    };
  }

  /**
   * Multi-head attention of `x` over precomputed keys/values, plus an additive
   * bias (position and mask). With `group` > 1, `x` holds `group` consecutive
   * rows per row of `kv` (the beams of one user): they are folded into the
   * query axis, so beams share their user's keys and values without copies.
   */
  private attend(prefix: string, x: tf.Tensor, kv: CrossKV, bias: tf.Tensor, training: boolean, group = 1): tf.Tensor {
    const [b, l] = x.shape;
    const { numHeads: h, dKv } = this.config;
    let q = linear(x, this.w(`${prefix}.q.weight`));
    if (group > 1) q = tf.reshape(q, [b / group, group * l, h * dKv]);
    const scores = tf.add(tf.matMul(this.splitHeads(q), kv.k), bias); // no 1/sqrt(d): T5 folds it into q's init
    const probs = this.dropout(tf.softmax(scores, -1), training);
    const context = tf.reshape(tf.transpose(tf.matMul(probs, kv.v), [0, 2, 1, 3]), [b, l, h * dKv]);
    return linear(context, this.w(`${prefix}.o.weight`));
  }

  private feedForward(prefix: string, x: tf.Tensor, training: boolean): tf.Tensor {
    const c = this.config;
    const h =
      c.feedForwardProj === 'relu'
        ? tf.relu(linear(x, this.w(`${prefix}.DenseReluDense.wi.weight`)))
        : tf.mul(geluNew(linear(x, this.w(`${prefix}.DenseReluDense.wi_0.weight`))), linear(x, this.w(`${prefix}.DenseReluDense.wi_1.weight`)));
    return linear(this.dropout(h, training), this.w(`${prefix}.DenseReluDense.wo.weight`));
  }

  /** Encoder input embeddings, with representation augmentation on OOV tokens. */
  embedEncoder(ids: tf.Tensor2D): tf.Tensor {
    const x = tf.gather(this.w('shared.weight'), ids);
    if (!this.augCentroids || !this.augRow) return x;
    const [b, l] = ids.shape;
    const c = tf.gather(this.augCentroids, tf.reshape(tf.gather(this.augRow, ids), [b * l]));
    const projected = tf.matMul(c, this.w('augment.W') as tf.Tensor2D);
    return tf.add(x, tf.mul(this.config.augmentAlpha, tf.reshape(projected, [b, l, this.config.dModel])));
  }

  /**
   * Runs the encoder on `ids` (`[B, L]`, padded with padTokenId) and returns
   * the decoder's view of it: every decoder layer's cross-attention keys and
   * values, computed once (beam search reuses them at every step).
   */
  encode(ids: tf.Tensor2D, training = false): EncoderState {
    const c = this.config;
    const [, l] = ids.shape;
    const maskBias = tf.reshape(tf.mul(tf.cast(tf.equal(ids, c.padTokenId), 'float32'), -1e9), [ids.shape[0], 1, 1, l]) as tf.Tensor4D;
    const bias = tf.add(this.positionBias('encoder', l, l), maskBias);
    let h = this.dropout(this.embedEncoder(ids), training);
    for (let i = 0; i < c.numLayers; i++) {
      const p = `encoder.block.${i}.layer`;
      const n = rmsNorm(h, this.w(`${p}.0.layer_norm.weight`), c.layerNormEpsilon);
      const self = this.keysValues(`${p}.0.SelfAttention`, n);
      h = tf.add(h, this.dropout(this.attend(`${p}.0.SelfAttention`, n, self, bias, training), training));
      const n2 = rmsNorm(h, this.w(`${p}.1.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.feedForward(`${p}.1`, n2, training), training));
    }
    const out = this.dropout(rmsNorm(h, this.w('encoder.final_layer_norm.weight'), c.layerNormEpsilon), training);
    const cross: CrossKV[] = [];
    for (let i = 0; i < c.numDecoderLayers; i++) cross.push(this.keysValues(`decoder.block.${i}.layer.1.EncDecAttention`, out));
    return { cross, maskBias };
  }

  /**
   * Decoder hidden states `[B·G, T, dModel]` (after the final norm) for decoder
   * inputs `decIds` (`[B·G, T]`, starting with decoderStartTokenId), causal;
   * G consecutive decoder rows (beams) per encoder row.
   */
  decode(decIds: tf.Tensor2D, enc: EncoderState, training = false): tf.Tensor {
    const c = this.config;
    const t = decIds.shape[1];
    // Several decoder rows per encoder row (beams of one input), in consecutive order.
    const group = decIds.shape[0] / enc.maskBias.shape[0];
    if (!Number.isInteger(group)) throw new ConfigError('decIds', `decoder rows (${decIds.shape[0]}) must be a multiple of encoder rows (${enc.maskBias.shape[0]})`);
    const causal = new Float32Array(t * t);
    for (let q = 0; q < t; q++) for (let k = q + 1; k < t; k++) causal[q * t + k] = -1e9;
    const selfBias = tf.add(this.positionBias('decoder', t, t), tf.tensor4d(causal, [1, 1, t, t]));
    let h = this.dropout(tf.gather(this.w('shared.weight'), decIds), training);
    for (let i = 0; i < c.numDecoderLayers; i++) {
      const p = `decoder.block.${i}.layer`;
      const n = rmsNorm(h, this.w(`${p}.0.layer_norm.weight`), c.layerNormEpsilon);
      const self = this.keysValues(`${p}.0.SelfAttention`, n);
      h = tf.add(h, this.dropout(this.attend(`${p}.0.SelfAttention`, n, self, selfBias, training), training));
      const n2 = rmsNorm(h, this.w(`${p}.1.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.attend(`${p}.1.EncDecAttention`, n2, enc.cross[i], enc.maskBias, training, group), training));
      const n3 = rmsNorm(h, this.w(`${p}.2.layer_norm.weight`), c.layerNormEpsilon);
      h = tf.add(h, this.dropout(this.feedForward(`${p}.2`, n3, training), training));
    }
    return this.dropout(rmsNorm(h, this.w('decoder.final_layer_norm.weight'), c.layerNormEpsilon), training);
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
    const start = tf.fill([b, 1], c.decoderStartTokenId, 'int32');
    const decIds = tf.concat([start, tf.slice(targets, [0, 0], [b, t - 1])], 1) as tf.Tensor2D;
    const hidden = this.decode(decIds, this.encode(inputs, training), training);
    const logp = tf.logSoftmax(this.logits(tf.reshape(hidden, [b * t, c.dModel])));
    const flat = tf.reshape(targets, [b * t]);
    const picked = tf.sum(tf.mul(logp, tf.oneHot(flat, c.vocabSize)), -1);
    const mask = tf.cast(tf.notEqual(flat, c.padTokenId), 'float32');
    return tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
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
    for (const t of this.bucketCache.values()) t.dispose();
    this.bucketCache.clear();
  }
}
