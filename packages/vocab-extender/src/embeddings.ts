/**
 * Growing an embedding matrix for new OOV tokens, and the centroid inputs of
 * the paper's representation augmentation.
 *
 * META ID (Huang et al., ICML 2025, §3.2) initialises nothing specially: the
 * new rows come from `resize_token_embeddings`, and each OOV token's input is
 * augmented during training with its cluster centroid, `e + alpha * W c`
 * (alpha = 0.1 in the official code, W trainable). We offer three starts for
 * the new rows (random at the scale of the existing ones, their mean, or the
 * centroid through a projection, i.e. the augmentation term at step 0), and
 * {@link centroidInputs} hands the fine-tuner the `c` for each OOV token id.
 *
 * Departure from the official code, on purpose: there the centroid tensor is
 * built in the order of a Python dict/set, not in token-id order, so token k
 * can receive another token's centroid. Here row `rows + j` is always
 * `newTokens[j]`, and {@link centroidInputs} pairs each centroid with the id
 * of the token it belongs to (tests check both by token lookup).
 */
import { ConfigError, Rng, type EmbeddingTable, type TextTokenizer, type TokenCodebook } from '@meta-id/core';

/** How new rows start. */
export type EmbeddingInit = 'random' | 'mean' | 'centroid';

/** A linear map `y = W x (+ b)`; `weight` is row-major `[outDim, inDim]` (PyTorch `nn.Linear` layout). */
export interface Projection {
  weight: Float32Array;
  inDim: number;
  outDim: number;
  bias?: Float32Array;
}

/** Where a token's vector comes from for `init: 'centroid'` and {@link centroidInputs}. */
export type CentroidSource = 'auto' | 'centroid' | 'member-mean';

/** Options of {@link growEmbeddings}. */
export interface GrowEmbeddingsOptions {
  /** Existing matrix, row-major `[rows, dim]`. May be empty (rows = 0) for a model trained from scratch. */
  base: Float32Array;
  rows: number;
  dim: number;
  /** Tokens of the new rows: row `rows + j` is `newTokens[j]` (use `extendTokenizer(...).newTokens`). */
  newTokens: readonly string[];
  init: EmbeddingInit;
  /** Required for `init: 'centroid'`. */
  codebook?: TokenCodebook;
  /** Random source (random init, default projection). Default `new Rng(seed)`. */
  rng?: Rng;
  /** Seed when `rng` is not given. Default 42. */
  seed?: number;
  /**
   * Map from codebook space (`codebook.dim`) to the model width (`dim`).
   * Default: identity when the dims agree, else a Gaussian random projection
   * with entries N(0, 1/inDim) (see {@link randomProjection}).
   */
  projection?: Projection;
  /**
   * Standard deviation of `random` rows, and the target scale of `centroid`
   * rows when `matchScale`. Default: the standard deviation of all values of
   * `base` (required when `base` is empty).
   */
  std?: number;
  /**
   * Rescale the `centroid` rows (one factor for all) so their root mean square
   * equals `std`. Default true when no `projection` is given (centroids are
   * unit vectors, far from a model's embedding scale), false when one is (the
   * rows are then exactly `W c + b`).
   */
  matchScale?: boolean;
  /**
   * `auto` (default): a token's `centroid` when the codebook has one, else the
   * mean of its member entities' vectors in `entities`. `centroid`: only
   * centroids. `member-mean`: always the member mean.
   */
  centroidSource?: CentroidSource;
  /** Entity vectors (keys as in `codebook.codes`) for member means. */
  entities?: EmbeddingTable;
  /**
   * When given, checks `tokenizer.tokenId(newTokens[j]) === rows + j` for all j
   * (row k must be token k), with a clear error when not.
   */
  tokenizer?: TextTokenizer;
}

/**
 * The grown matrix `[rows + newTokens.length, dim]`: the base rows unchanged,
 * then one row per new token, initialised as chosen.
 *
 * @example
 * ```ts
 * import { growEmbeddings } from '@meta-id/vocab-extender';
 * const base = new Float32Array([1, 0, 0, 1]); // 2 rows, dim 2
 * const grown = growEmbeddings({ base, rows: 2, dim: 2, newTokens: ['<CT0>'], init: 'mean' });
 * // grown = [1, 0, 0, 1, 0.5, 0.5]
 * ```
 * @throws ConfigError on inconsistent sizes, a token without a vector, or a misaligned tokenizer.
 */
export function growEmbeddings(options: GrowEmbeddingsOptions): Float32Array {
  const { base, rows, dim, newTokens, init } = options;
  if (!Number.isInteger(dim) || dim <= 0) throw new ConfigError('dim', 'must be a positive integer', dim);
  if (!Number.isInteger(rows) || rows < 0) throw new ConfigError('rows', 'must be a non-negative integer', rows);
  if (!(base instanceof Float32Array)) throw new ConfigError('base', 'must be a Float32Array');
  if (base.length !== rows * dim) throw new ConfigError('base', `has ${base.length} values, expected rows * dim = ${rows * dim}`);
  if (new Set(newTokens).size !== newTokens.length) throw new ConfigError('newTokens', 'has duplicates');
  if (options.tokenizer) checkAlignment(options.tokenizer, rows, newTokens);
  const n = newTokens.length;
  const out = new Float32Array((rows + n) * dim);
  out.set(base);
  if (n === 0) return out;
  const rng = options.rng ?? new Rng(options.seed ?? 42);
  const std = () => {
    if (options.std !== undefined) {
      if (!(options.std >= 0)) throw new ConfigError('std', 'must be >= 0', options.std);
      return options.std;
    }
    if (rows === 0) throw new ConfigError('std', `is required when the base matrix is empty (init '${init}')`);
    return stdOf(base);
  };

  if (init === 'random') {
    const s = std();
    for (let i = rows * dim; i < out.length; i++) out[i] = s * rng.normal();
  } else if (init === 'mean') {
    if (rows === 0) throw new ConfigError('init', "'mean' needs at least one base row");
    const mean = new Float64Array(dim);
    for (let r = 0; r < rows; r++) for (let d = 0; d < dim; d++) mean[d] += base[r * dim + d];
    for (let d = 0; d < dim; d++) mean[d] /= rows;
    for (let j = 0; j < n; j++) for (let d = 0; d < dim; d++) out[(rows + j) * dim + d] = mean[d];
  } else if (init === 'centroid') {
    const codebook = options.codebook;
    if (!codebook) throw new ConfigError('codebook', "is required for init 'centroid'");
    const vectors = tokenVectors(codebook, newTokens, { source: options.centroidSource, entities: options.entities });
    const projection = options.projection ?? (codebook.dim === dim ? undefined : randomProjection(codebook.dim, dim, rng));
    if (projection) checkProjection(projection, codebook.dim, dim);
    const y = new Float64Array(dim);
    for (let j = 0; j < n; j++) {
      project(projection, vectors, j * codebook.dim, codebook.dim, y);
      for (let d = 0; d < dim; d++) out[(rows + j) * dim + d] = y[d];
    }
    if (options.matchScale ?? options.projection === undefined) {
      const target = std();
      let ss = 0;
      for (let i = rows * dim; i < out.length; i++) ss += out[i] * out[i];
      const rms = Math.sqrt(ss / (n * dim));
      if (rms > 0) for (let i = rows * dim; i < out.length; i++) out[i] = (out[i] / rms) * target;
    }
  } else {
    throw new ConfigError('init', "must be 'random', 'mean' or 'centroid'", init);
  }
  return out;
}

/** What {@link centroidInputs} returns. */
export interface CentroidInputs {
  /** Token ids, increasing. */
  tokenIds: Int32Array;
  /** Row-major `[tokenIds.length, dim]`: row i is the centroid of token `tokenIds[i]`. */
  centroids: Float32Array;
  dim: number;
  /** Codebook tokens left out because they have no vector (only with `source: 'centroid'` or when no `entities`). */
  missingTokens: string[];
}

/**
 * The centroid `c` of every codebook token, keyed by its id in `tokenizer`,
 * for the representation augmentation `e + alpha * W c` in the fine-tuner.
 * Tokens without a centroid (and without member vectors in `entities`) are
 * listed in `missingTokens`, never silently dropped.
 *
 * @throws ConfigError when a codebook token is not in the tokenizer (extend it first).
 */
export function centroidInputs(
  tokenizer: TextTokenizer,
  codebook: TokenCodebook,
  options: { source?: CentroidSource; entities?: EmbeddingTable } = {},
): CentroidInputs {
  const withId: Array<[string, number]> = [];
  for (const info of codebook.tokens) {
    const id = tokenizer.tokenId(info.token);
    if (id === undefined) throw new ConfigError('tokenizer', 'does not know a codebook token (run extendTokenizer first)', info.token);
    withId.push([info.token, id]);
  }
  withId.sort((a, b) => a[1] - b[1]);
  const usable: Array<[string, number]> = [];
  const missingTokens: string[] = [];
  const source = options.source ?? 'auto';
  const memberSets = options.entities && source !== 'centroid' ? membersOf(codebook) : undefined;
  const infoOf = new Map(codebook.tokens.map((x) => [x.token, x]));
  for (const [t, id] of withId) {
    const info = infoOf.get(t)!;
    const hasCentroid = source !== 'member-mean' && info.centroid !== undefined;
    const hasMembers = memberSets !== undefined && (memberSets.get(t)?.length ?? 0) > 0;
    if (hasCentroid || hasMembers) usable.push([t, id]);
    else missingTokens.push(t);
  }
  // A codebook of plain ids (no centroids, dim 0) has nothing to augment.
  const centroids = usable.length ? tokenVectors(codebook, usable.map(([t]) => t), { source, entities: options.entities }) : new Float32Array(0);
  return { tokenIds: Int32Array.from(usable.map(([, id]) => id)), centroids, dim: codebook.dim, missingTokens };
}

/**
 * One vector per token (row-major `[tokens.length, codebook.dim]`): the
 * token's centroid, or the mean of its members' vectors (see {@link CentroidSource}).
 * @throws ConfigError listing the tokens that have no vector.
 */
export function tokenVectors(
  codebook: TokenCodebook,
  tokens: readonly string[],
  options: { source?: CentroidSource; entities?: EmbeddingTable } = {},
): Float32Array {
  const dim = codebook.dim;
  if (!Number.isInteger(dim) || dim <= 0) throw new ConfigError('codebook.dim', 'must be a positive integer', dim);
  const source = options.source ?? 'auto';
  const info = new Map(codebook.tokens.map((t) => [t.token, t]));
  const out = new Float32Array(tokens.length * dim);
  let members: Map<string, string[]> | undefined;
  let entityRow: Map<string, number> | undefined;
  const missing: string[] = [];
  tokens.forEach((t, j) => {
    const ti = info.get(t);
    if (!ti) throw new ConfigError('newTokens', 'token is not in the codebook', t);
    if (source !== 'member-mean' && ti.centroid !== undefined) {
      if (ti.centroid.length !== dim) throw new ConfigError('codebook', `centroid of ${t} has ${ti.centroid.length} values, codebook.dim is ${dim}`);
      for (let d = 0; d < dim; d++) out[j * dim + d] = ti.centroid[d];
      return;
    }
    const entities = options.entities;
    if (source === 'centroid' || !entities) {
      missing.push(t);
      return;
    }
    if (entities.dim !== dim) throw new ConfigError('entities.dim', `must equal codebook.dim ${dim}`, entities.dim);
    members ??= membersOf(codebook);
    entityRow ??= new Map(entities.ids.map((id, i) => [id, i]));
    const keys = members.get(t) ?? [];
    const acc = new Float64Array(dim);
    let count = 0;
    for (const k of keys) {
      const r = entityRow.get(k);
      if (r === undefined) continue;
      for (let d = 0; d < dim; d++) acc[d] += entities.vectors[r * dim + d];
      count++;
    }
    if (count === 0) {
      missing.push(t);
      return;
    }
    for (let d = 0; d < dim; d++) out[j * dim + d] = acc[d] / count;
  });
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, ... (${missing.length} in all)` : '');
    throw new ConfigError(
      'codebook',
      `no vector for token(s) ${shown}: give centroids in the codebook, or member vectors in 'entities' (centroidSource '${source}')`,
    );
  }
  return out;
}

/**
 * A Gaussian random projection `[outDim, inDim]` with entries N(0, 1/inDim):
 * a unit input gives outputs of variance about 1/inDim per coordinate, and
 * distances between centroids are kept up to a common factor (Johnson-Lindenstrauss).
 */
export function randomProjection(inDim: number, outDim: number, rng: Rng): Projection {
  const weight = new Float32Array(outDim * inDim);
  const s = 1 / Math.sqrt(inDim);
  for (let i = 0; i < weight.length; i++) weight[i] = s * rng.normal();
  return { weight, inDim, outDim };
}

/** Population standard deviation of all values. */
export function stdOf(values: Float32Array): number {
  if (values.length === 0) return 0;
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i];
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

function membersOf(codebook: TokenCodebook): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [key, code] of Object.entries(codebook.codes)) {
    for (const t of new Set(code)) {
      let list = m.get(t);
      if (!list) m.set(t, (list = []));
      list.push(key);
    }
  }
  return m;
}

function project(p: Projection | undefined, x: Float32Array, offset: number, inDim: number, y: Float64Array): void {
  if (!p) {
    for (let d = 0; d < inDim; d++) y[d] = x[offset + d];
    return;
  }
  for (let o = 0; o < p.outDim; o++) {
    let s = p.bias ? p.bias[o] : 0;
    const row = o * p.inDim;
    for (let i = 0; i < p.inDim; i++) s += p.weight[row + i] * x[offset + i];
    y[o] = s;
  }
}

function checkProjection(p: Projection, inDim: number, outDim: number): void {
  if (p.inDim !== inDim) throw new ConfigError('projection.inDim', `must equal codebook.dim ${inDim}`, p.inDim);
  if (p.outDim !== outDim) throw new ConfigError('projection.outDim', `must equal the model width dim ${outDim}`, p.outDim);
  if (p.weight.length !== inDim * outDim) throw new ConfigError('projection.weight', `has ${p.weight.length} values, expected outDim * inDim = ${inDim * outDim}`);
  if (p.bias && p.bias.length !== outDim) throw new ConfigError('projection.bias', `has ${p.bias.length} values, expected outDim ${outDim}`);
}

function checkAlignment(tokenizer: TextTokenizer, rows: number, newTokens: readonly string[]): void {
  newTokens.forEach((t, j) => {
    const id = tokenizer.tokenId(t);
    if (id !== rows + j) {
      throw new ConfigError(
        'newTokens',
        `row ${rows + j} would hold ${JSON.stringify(t)} but the tokenizer gives it id ${id}; pass the tokens in id order starting at id ${rows} (a base matrix with more rows than the tokenizer has ids, like t5-small's 32128 for 32100 ids, must be cut to the tokenizer size first)`,
      );
    }
  });
}
