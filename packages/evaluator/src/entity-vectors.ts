/**
 * Entity → vector inputs of the MS and DS scores. The paper scores the
 * representation an LM actually uses for an entity: the mean of the input
 * embeddings of the entity's OOV tokens (the official code averages the
 * token embeddings of the entity's code). {@link entityVectorsFromTokens}
 * builds exactly that from a codebook and a token → embedding lookup.
 */
import { DataFormatError, ConfigError, parseEntityKey, type EmbeddingTable, type EntityType, type TokenCodebook } from '@meta-id/core';

/** Entity vectors: a core EmbeddingTable (ids are entity keys `u:<raw>` / `i:<raw>`) or a map key → vector. */
export type EntityVectors = EmbeddingTable | ReadonlyMap<string, ArrayLike<number>>;

/** Entity vectors as rows of one Float64Array, with their keys. */
export interface VectorRows {
  keys: string[];
  dim: number;
  data: Float64Array;
}

function isTable(v: EntityVectors): v is EmbeddingTable {
  return !(v instanceof Map) && Array.isArray((v as EmbeddingTable).ids);
}

/** Validates entity vectors and copies them into float64 rows. Every value must be finite and every row the same length. */
export function toVectorRows(vectors: EntityVectors, option = 'embeddings'): VectorRows {
  if (isTable(vectors)) {
    const { ids, dim } = vectors;
    if (!Number.isInteger(dim) || dim < 1) throw new ConfigError(`${option}.dim`, 'must be a positive integer', dim);
    if (vectors.vectors.length !== ids.length * dim) {
      throw new ConfigError(option, `has ${vectors.vectors.length} values, expected ids.length × dim = ${ids.length * dim}`);
    }
    const data = Float64Array.from(vectors.vectors);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new DataFormatError({ source: option, line: Math.floor(i / dim) + 1 }, `non-finite value in the vector of ${ids[Math.floor(i / dim)]}`, data[i]);
    }
    return { keys: [...ids], dim, data };
  }
  if (!(vectors instanceof Map)) throw new ConfigError(option, 'want an EmbeddingTable or a Map of entity key → vector');
  const keys = [...vectors.keys()];
  const dim = keys.length ? vectors.get(keys[0])!.length : 0;
  const data = new Float64Array(keys.length * dim);
  keys.forEach((k, r) => {
    const v = vectors.get(k)!;
    if (v.length !== dim) throw new DataFormatError({ source: option, line: r + 1 }, `vector of ${k} has ${v.length} values, the first had ${dim}`);
    for (let j = 0; j < dim; j++) {
      const x = v[j];
      if (!Number.isFinite(x)) throw new DataFormatError({ source: option, line: r + 1 }, `non-finite value in the vector of ${k}`, x);
      data[r * dim + j] = x;
    }
  });
  return { keys, dim, data };
}

/** Row indices grouped by entity type from `u:` / `i:` keys; keys of neither form are listed as `untyped`. */
export function rowsByType(keys: readonly string[]): Record<EntityType, number[]> & { untyped: number[] } {
  const out = { user: [] as number[], item: [] as number[], untyped: [] as number[] };
  keys.forEach((k, i) => {
    const kind = k.slice(0, 2);
    if (kind === 'u:' || kind === 'i:') out[parseEntityKey(k).type].push(i);
    else out.untyped.push(i);
  });
  return out;
}

export interface TokenVectorsOptions {
  /** How token embeddings combine into the entity's vector. Default `'mean'` (as the official code). */
  combine?: 'mean' | 'sum';
}

/**
 * One vector per entity of a codebook: the mean (or sum) of the embeddings of
 * its tokens. A token without an embedding is an error naming the entity and
 * token.
 *
 * @example
 * const vectors = entityVectorsFromTokens(codebook, (t) => tokenEmbedding.get(t));
 * diversityScore({ embeddings: vectors });
 */
export function entityVectorsFromTokens(
  codebook: Pick<TokenCodebook, 'codes'>,
  tokenVector: ReadonlyMap<string, ArrayLike<number>> | ((token: string) => ArrayLike<number> | undefined),
  options: TokenVectorsOptions = {},
): EmbeddingTable {
  const combine = options.combine ?? 'mean';
  if (combine !== 'mean' && combine !== 'sum') throw new ConfigError('combine', "want 'mean' or 'sum'", combine);
  const lookup = typeof tokenVector === 'function' ? tokenVector : (t: string) => tokenVector.get(t);
  const ids = Object.keys(codebook.codes);
  let dim = -1;
  let vectors = new Float32Array(0);
  ids.forEach((id, r) => {
    const tokens = codebook.codes[id];
    if (!tokens || tokens.length === 0) throw new DataFormatError({ source: 'codebook.codes', line: r + 1 }, `entity ${id} has an empty code`);
    const acc: number[] = [];
    for (const t of tokens) {
      const v = lookup(t);
      if (!v) throw new DataFormatError({ source: 'token embeddings' }, `no embedding for token ${t} (in the code of ${id})`, t);
      if (dim < 0) {
        dim = v.length;
        vectors = new Float32Array(ids.length * dim);
      }
      if (v.length !== dim) throw new DataFormatError({ source: 'token embeddings' }, `embedding of ${t} has ${v.length} values, others have ${dim}`, t);
      for (let j = 0; j < dim; j++) acc[j] = (acc[j] ?? 0) + v[j];
    }
    const scale = combine === 'mean' ? 1 / tokens.length : 1;
    for (let j = 0; j < dim; j++) vectors[r * dim + j] = acc[j] * scale;
  });
  return { ids, dim: Math.max(dim, 0), vectors };
}
