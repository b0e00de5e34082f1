/**
 * The `extend` stage in one call: codebook + base tokenizer + base embedding
 * matrix → extended tokenizer, grown matrix and the centroid inputs of the
 * representation augmentation, ready for `writeVocabExtension`.
 */
import { ConfigError, Rng, type EmbeddingTable, type TokenCodebook } from '@meta-id/core';
import { centroidInputs, growEmbeddings, randomProjection, type CentroidInputs, type CentroidSource, type EmbeddingInit, type Projection } from './embeddings.js';
import { extendTokenizer, type ExtendableTokenizer, type ExtendOptions } from './extend.js';

/** Options of {@link buildVocabExtension}. */
export interface VocabExtensionOptions<T extends ExtendableTokenizer> {
  tokenizer: T;
  codebook: TokenCodebook;
  /** Base matrix `[rows, dim]`; default an empty one (a model trained from scratch then gets `rows = 0`, and needs `std` for random starts). */
  base?: Float32Array;
  /** Rows of `base`. Default: the tokenizer's size when `base` is absent (those rows are then drawn like the new ones). */
  rows?: number;
  /** Model width. */
  dim: number;
  /** Start of the new rows. Default `'centroid'` when every token has a vector, else `'random'`. */
  init?: EmbeddingInit;
  /** Projection for `'centroid'` starts; default a seeded random one when `codebook.dim !== dim`, identity otherwise. */
  projection?: Projection;
  /** See `GrowEmbeddingsOptions.matchScale`. Default true unless `projection` is given. */
  matchScale?: boolean;
  /** Standard deviation of random rows (and of the base rows this creates when `base` is absent). Default: that of `base`; 0.02 without a base. */
  std?: number;
  centroidSource?: CentroidSource;
  entities?: EmbeddingTable;
  /** Default 42. */
  seed?: number;
  check?: ExtendOptions['check'];
}

/** What {@link buildVocabExtension} returns. */
export interface BuiltVocabExtension<T extends ExtendableTokenizer> {
  tokenizer: T;
  oovTokenIds: Map<string, number>;
  newTokens: string[];
  /** `[rows, dim]`, row k = token k. */
  embeddings: Float32Array;
  rows: number;
  dim: number;
  baseRows: number;
  init: EmbeddingInit;
  /** Centroid inputs for the augmentation (tokens without a vector are in `missingTokens`). */
  centroids: CentroidInputs;
  /** The projection used for `'centroid'` starts (save it as the initial W). */
  projection?: Projection;
}

/**
 * Extends the tokenizer with the codebook's tokens and grows the embedding
 * matrix to match.
 *
 * @example
 * ```ts
 * import { WordLevelTokenizer, buildVocabExtension } from '@meta-id/vocab-extender';
 * import { writeVocabExtension } from '@meta-id/vocab-extender/node';
 * const built = buildVocabExtension({ tokenizer: WordLevelTokenizer.fromTexts(prompts), codebook, dim: 64 });
 * writeVocabExtension('runs/beauty/extend', { ...built, init: built.init });
 * ```
 */
export function buildVocabExtension<T extends ExtendableTokenizer>(o: VocabExtensionOptions<T>): BuiltVocabExtension<T> {
  const rng = new Rng(o.seed ?? 42);
  const { tokenizer, oovTokenIds, newTokens, sizeBefore } = extendTokenizer(o.tokenizer, o.codebook, { check: o.check });
  if (!Number.isInteger(o.dim) || o.dim <= 0) throw new ConfigError('dim', 'must be a positive integer', o.dim);
  let base = o.base;
  if (base && base.length % o.dim !== 0) throw new ConfigError('base', `has ${base.length} values, not a multiple of dim ${o.dim}`);
  if (base && o.rows !== undefined && base.length !== o.rows * o.dim) throw new ConfigError('rows', `base has ${base.length / o.dim} rows of width ${o.dim}`, o.rows);
  let rows = o.rows ?? (base ? base.length / o.dim : sizeBefore);
  if (!base) {
    // A model trained from scratch: its base rows are drawn here too.
    base = growEmbeddings({ base: new Float32Array(0), rows: 0, dim: o.dim, newTokens: Array.from({ length: rows }, (_, i) => `#${i}`), init: 'random', std: o.std ?? 0.02, rng });
  }
  rows = base.length / o.dim;
  const centroids = centroidInputs(tokenizer, o.codebook, { source: o.centroidSource, entities: o.entities });
  const init = o.init ?? (centroids.missingTokens.length === 0 && o.codebook.tokens.length > 0 ? 'centroid' : 'random');
  let projection = o.projection;
  if (init === 'centroid' && !projection && o.codebook.dim !== o.dim) projection = randomProjection(o.codebook.dim, o.dim, rng);
  const embeddings = growEmbeddings({
    base,
    rows,
    dim: o.dim,
    newTokens,
    init,
    codebook: o.codebook,
    rng,
    projection,
    std: o.std,
    matchScale: o.matchScale ?? o.projection === undefined,
    centroidSource: o.centroidSource,
    entities: o.entities,
    tokenizer,
  });
  return {
    tokenizer,
    oovTokenIds,
    newTokens,
    embeddings,
    rows: rows + newTokens.length,
    dim: o.dim,
    baseRows: rows,
    init,
    centroids,
    ...(projection ? { projection } : {}),
  };
}
