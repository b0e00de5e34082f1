/**
 * Shape of the encoder-decoder, as plain data. Field names follow Hugging
 * Face's `T5Config` (snake_case in config.json, camelCase here) so a local HF
 * checkpoint maps one to one.
 */
import { ConfigError, requireOption } from '@meta-id/core';

export interface T5Config {
  /** Rows of the shared token embedding (= tokenizer vocabulary size). Required. */
  vocabSize: number;
  /** Width of the residual stream. Default 128 (t5-small: 512). */
  dModel: number;
  /** Width of one attention head. Default 32 (t5-small: 64). */
  dKv: number;
  /** Attention heads. Default 4 (t5-small: 8). */
  numHeads: number;
  /** Hidden width of the feed-forward block. Default 512 (t5-small: 2048). */
  dFf: number;
  /** Encoder blocks. Default 2 (t5-small: 6). */
  numLayers: number;
  /** Decoder blocks. Default 2 (t5-small: 6). */
  numDecoderLayers: number;
  /** Relative-position buckets. Default 32 (as T5). */
  relativeAttentionNumBuckets: number;
  /** Distance beyond which all positions share the last bucket. Default 128 (as T5). */
  relativeAttentionMaxDistance: number;
  /** Dropout rate in training. Default 0.1 (as T5). */
  dropoutRate: number;
  /** RMS norm epsilon. Default 1e-6 (as T5). */
  layerNormEpsilon: number;
  /** `relu` (T5 v1.0, t5-small) or `gated-gelu` (T5 v1.1). Default `relu`. */
  feedForwardProj: 'relu' | 'gated-gelu';
  /** Output head shares the input embedding (T5 v1.0). Default true. */
  tieWordEmbeddings: boolean;
  /** Token the decoder starts from (T5: the pad id). Default 0. */
  decoderStartTokenId: number;
  padTokenId: number;
  eosTokenId: number;
  /**
   * Representation augmentation (META ID): scale of the projected centroid
   * added to each OOV token's encoder input embedding. Default 0.1, as the
   * official META ID code.
   */
  augmentAlpha: number;
}

/** Defaults of the small model that trains on 2 CPU cores. */
export const SMALL_DEFAULTS: Omit<T5Config, 'vocabSize'> = {
  dModel: 128,
  dKv: 32,
  numHeads: 4,
  dFf: 512,
  numLayers: 2,
  numDecoderLayers: 2,
  relativeAttentionNumBuckets: 32,
  relativeAttentionMaxDistance: 128,
  dropoutRate: 0.1,
  layerNormEpsilon: 1e-6,
  feedForwardProj: 'relu',
  tieWordEmbeddings: true,
  decoderStartTokenId: 0,
  padTokenId: 0,
  eosTokenId: 1,
  augmentAlpha: 0.1,
};

/** The shape of Google's t5-small (60M parameters with its 32,128-token vocabulary). */
export const T5_SMALL: Omit<T5Config, 'vocabSize'> = {
  ...SMALL_DEFAULTS,
  dModel: 512,
  dKv: 64,
  numHeads: 8,
  dFf: 2048,
  numLayers: 6,
  numDecoderLayers: 6,
};

/** Named presets. */
export const PRESETS = { small: SMALL_DEFAULTS, 't5-small': T5_SMALL } as const;

/**
 * A full config from a preset (default `small`) and overrides; checks every field.
 *
 * @example
 * const cfg = makeConfig({ vocabSize: 1500 });             // the small default
 * const big = makeConfig({ vocabSize: 32128 }, 't5-small');
 */
export function makeConfig(
  overrides: Partial<T5Config> & { vocabSize: number },
  preset: keyof typeof PRESETS = 'small',
): T5Config {
  const base = PRESETS[preset];
  if (!base) throw new ConfigError('preset', `unknown preset (want ${Object.keys(PRESETS).join(', ')})`, preset);
  const c: T5Config = { ...base, ...overrides };
  validateConfig(c);
  return c;
}

export function validateConfig(c: T5Config): void {
  for (const k of ['vocabSize', 'dModel', 'dKv', 'numHeads', 'dFf', 'numLayers', 'numDecoderLayers', 'relativeAttentionNumBuckets'] as const) {
    requireOption(Number.isInteger(c[k]) && c[k] >= 1, k, 'must be an integer ≥ 1', c[k]);
  }
  requireOption(c.relativeAttentionMaxDistance >= 2, 'relativeAttentionMaxDistance', 'must be ≥ 2', c.relativeAttentionMaxDistance);
  requireOption(c.dropoutRate >= 0 && c.dropoutRate < 1, 'dropoutRate', 'must be in [0, 1)', c.dropoutRate);
  requireOption(c.feedForwardProj === 'relu' || c.feedForwardProj === 'gated-gelu', 'feedForwardProj', 'want relu or gated-gelu', c.feedForwardProj);
  for (const k of ['padTokenId', 'eosTokenId', 'decoderStartTokenId'] as const) {
    requireOption(Number.isInteger(c[k]) && c[k] >= 0 && c[k] < c.vocabSize, k, `must be a token id in [0, ${c.vocabSize})`, c[k]);
  }
}
