/**
 * The memorization score (MS) of META ID (Huang et al., "Improving LLMs for
 * Recommendation with Out-Of-Vocabulary Tokens", ICML 2025): whether entities
 * that behave alike in the interaction data also have alike representations.
 *
 * What we implement (default, `method: 'spearman'`), per entity type (items,
 * users) separately:
 *   1. Interaction similarity s(a, b) from the training interactions, with
 *      N(e) = the entity's distinct neighbours (an item's users, a user's items):
 *      `cosine` |N(a) ∩ N(b)| / sqrt(|N(a)| · |N(b)|) (default), `jaccard`
 *      |N(a) ∩ N(b)| / |N(a) ∪ N(b)|, or `adjusted-cosine` (Sarwar et al. 2001,
 *      needs ratings: Σ_{x ∈ N(a)∩N(b)} d_ax d_bx / (sqrt Σ d_ax² · sqrt Σ d_bx²)
 *      over the shared neighbours x, with d_ex = rating − mean rating of x).
 *   2. Representation similarity c(a, b) = cosine of the entity vectors.
 *   3. P seeded pairs (a ≠ b): with `sampling: 'mixed'` (default) half are
 *      uniform pairs and half co-interaction pairs (a two-step walk a → x → b
 *      over a random training interaction), because uniform pairs of a sparse
 *      dataset almost never share a neighbour and their s is all ties at 0;
 *      `'uniform'` uses uniform pairs only; `'all'` pairs scores every pair.
 *   4. MS_type = Spearman rank correlation between s and c over the pairs
 *      (ties get average ranks); MS = mean of MS-item and MS-user.
 * MS is in [−1, 1]: 1 when representation similarity orders pairs exactly as
 * interaction similarity does, about 0 for unrelated (e.g. random) vectors.
 *
 * The paper's own form (`method: 'paper-mse'`), as the official code computes
 * it (Tingji2419/META-ID, src/utils/score.py): MS = 1 − mean over pairs of
 * (minmax(s) − c)², with s min-max normalised to [0, 1] over the pairs.
 * Departures from that code, kept on purpose: (a) we sample pairs instead of
 * taking all O(n²) pairs; (b) the code standardises the vectors and keeps the
 * PCA components explaining 95% of variance before the cosine, we take the
 * cosine of the vectors as given; (c) its ground truth is an "adjusted cosine"
 * over ratings of train + validation + test that factorises into a product of
 * per-entity sums (and is 0 for every user pair, since a user's deviations from
 * their own mean sum to 0); we use a pairwise similarity over training
 * interactions only, so the test item does not leak into the score.
 * Spearman is the default because it does not depend on the scale of either
 * similarity (the MSE form rewards cosines that happen to sit in [0, 1]).
 */
import {
  ConfigError,
  DataFormatError,
  entityKey,
  IdMap,
  Rng,
  type EntityType,
  type Interaction,
  type MetricReport,
} from '@meta-id/core';
import { toVectorRows, type EntityVectors } from './entity-vectors.js';
import { spearman } from './stats.js';

/** `pairs: 'all'` is for small inputs: above this many pairs per type it is an error (memory). */
export const MAX_ALL_PAIRS = 2_000_000;

export type InteractionSimilarity = 'cosine' | 'jaccard' | 'adjusted-cosine';
export type MemorizationMethod = 'spearman' | 'paper-mse';
export type PairSampling = 'mixed' | 'uniform';

export interface MemorizationOptions {
  /** Entity → vector, keyed by entity key (`u:<raw>`, `i:<raw>`), e.g. the mean of each entity's OOV token embeddings. */
  embeddings: EntityVectors;
  /** Training interactions (dense user / item indices). */
  interactions: readonly Interaction[];
  /** Raw user ids by dense index (an IdMap or a list). Default: the index as a string. */
  users?: IdMap | readonly string[];
  /** Raw item ids by dense index. Default: the index as a string. */
  items?: IdMap | readonly string[];
  /** Pairs per entity type, or `'all'` for every unordered pair (small inputs). Default 20000. */
  pairs?: number | 'all';
  /** How pairs are drawn. Default `'mixed'` (half uniform, half co-interaction). */
  sampling?: PairSampling;
  /** Interaction-side similarity. Default `'cosine'`. */
  similarity?: InteractionSimilarity;
  /** Default `'spearman'`; `'paper-mse'` is the official code's 1 − MSE form. */
  method?: MemorizationMethod;
  /** Entity types to score. Default `['item', 'user']`. */
  entityTypes?: readonly EntityType[];
  /** Seed of the pair sampler. Default 42. */
  seed?: number;
}

export interface MemorizationTypeDetail {
  /** Entities with both a vector and at least one training interaction (the ones paired). */
  entities: number;
  /** Entities with training interactions but no vector (left out, counted). */
  withoutVector: number;
  /** Vectors of this type whose entity has no training interaction (left out, counted). */
  withoutInteractions: number;
  /** Vectors that are all zeros (their cosine is taken as 0). */
  zeroVectors: number;
  pairs: number;
  coInteractionPairs: number;
  /** Fraction of pairs whose interaction similarity is 0. */
  zeroSimilarityFraction: number;
}

export interface MemorizationReport extends MetricReport {
  meta: {
    countOf: 'pairs';
    method: MemorizationMethod;
    similarity: InteractionSimilarity;
    sampling: PairSampling | 'all';
    seed: number;
    types: Partial<Record<EntityType, MemorizationTypeDetail>>;
    warnings: string[];
  } & Record<string, unknown>;
}

/** Neighbour lists of one entity type (internal to MS, exported for tests and custom analyses). */
export interface Side {
  /** Sorted distinct neighbours of each entity. */
  nbr: Int32Array[];
  /** Rating deviation per neighbour (adjusted cosine), same order. */
  dev?: Float64Array[];
}

function rawIds(map: IdMap | readonly string[] | undefined): (i: number) => string {
  if (!map) return (i) => String(i);
  if (map instanceof IdMap) return (i) => map.id(i);
  return (i) => {
    const id = map[i];
    if (id === undefined) throw new ConfigError('users/items', `no raw id for index ${i} (list has ${map.length})`);
    return id;
  };
}

/** Neighbour lists of users and items; with ratings, per-edge deviations for the adjusted cosine. */
export function neighbourLists(interactions: readonly Interaction[], needRatings: boolean): { user: Side; item: Side } {
  let nu = 0;
  let ni = 0;
  for (const x of interactions) {
    nu = Math.max(nu, x.user + 1);
    ni = Math.max(ni, x.item + 1);
  }
  // Mean rating per (user, item) over repeats, then user and item means.
  const edge = new Map<number, { sum: number; n: number }>();
  const keyOf = (u: number, i: number) => u * ni + i;
  interactions.forEach((x, line) => {
    if (!Number.isInteger(x.user) || x.user < 0 || !Number.isInteger(x.item) || x.item < 0) {
      throw new DataFormatError({ source: 'interactions', line: line + 1 }, 'user and item must be non-negative integer indices', x);
    }
    if (needRatings && (typeof x.rating !== 'number' || !Number.isFinite(x.rating))) {
      throw new DataFormatError({ source: 'interactions', line: line + 1 }, "similarity 'adjusted-cosine' needs a rating on every interaction", x.rating);
    }
    const k = keyOf(x.user, x.item);
    const e = edge.get(k);
    if (e) {
      e.sum += x.rating ?? 0;
      e.n++;
    } else edge.set(k, { sum: x.rating ?? 0, n: 1 });
  });
  const uN: number[][] = Array.from({ length: nu }, () => []);
  const iN: number[][] = Array.from({ length: ni }, () => []);
  const uR: number[][] = Array.from({ length: nu }, () => []);
  const iR: number[][] = Array.from({ length: ni }, () => []);
  for (const [k, e] of edge) {
    const u = Math.floor(k / ni);
    const i = k - u * ni;
    uN[u].push(i);
    iN[i].push(u);
    uR[u].push(e.sum / e.n);
    iR[i].push(e.sum / e.n);
  }
  const side = (N: number[][], R: number[][], otherMean: Float64Array | undefined): Side => {
    const nbr: Int32Array[] = [];
    const dev: Float64Array[] = [];
    N.forEach((list, e) => {
      const order = list.map((_, j) => j).sort((a, b) => list[a] - list[b]);
      nbr.push(Int32Array.from(order, (j) => list[j]));
      if (otherMean) dev.push(Float64Array.from(order, (j) => R[e][j] - otherMean[list[j]]));
    });
    return otherMean ? { nbr, dev } : { nbr };
  };
  if (!needRatings) return { user: side(uN, uR, undefined), item: side(iN, iR, undefined) };
  const mean = (R: number[][]) => Float64Array.from(R, (r) => (r.length ? r.reduce((a, b) => a + b, 0) / r.length : 0));
  // Item pairs subtract each shared user's mean (Sarwar's adjusted cosine); user pairs, each shared item's mean.
  return { item: side(iN, iR, mean(uR)), user: side(uN, uR, mean(iR)) };
}

/** Interaction similarity of entities a and b on one side. */
export function interactionSimilarity(side: Side, a: number, b: number, kind: InteractionSimilarity): number {
  const A = side.nbr[a];
  const B = side.nbr[b];
  let i = 0;
  let j = 0;
  let shared = 0;
  let num = 0;
  let na = 0;
  let nb = 0;
  while (i < A.length && j < B.length) {
    if (A[i] < B[j]) i++;
    else if (A[i] > B[j]) j++;
    else {
      shared++;
      if (kind === 'adjusted-cosine') {
        const da = side.dev![a][i];
        const db = side.dev![b][j];
        num += da * db;
        na += da * da;
        nb += db * db;
      }
      i++;
      j++;
    }
  }
  if (kind === 'cosine') return A.length && B.length ? shared / Math.sqrt(A.length * B.length) : 0;
  if (kind === 'jaccard') return A.length + B.length - shared > 0 ? shared / (A.length + B.length - shared) : 0;
  return na > 0 && nb > 0 ? num / Math.sqrt(na * nb) : 0;
}

function cosineRows(data: Float64Array, dim: number, a: number, b: number, norms: Float64Array): number {
  if (norms[a] === 0 || norms[b] === 0) return 0;
  let s = 0;
  const oa = a * dim;
  const ob = b * dim;
  for (let j = 0; j < dim; j++) s += data[oa + j] * data[ob + j];
  return s / (norms[a] * norms[b]);
}

/**
 * MS: how well similarity of the entity representations follows
 * interaction-based similarity (see the module comment for the exact
 * definition and its departures from the paper's code).
 *
 * @example
 * const ms = memorizationScore({
 *   embeddings: entityVectorsFromTokens(codebook, tokenEmbeddings),
 *   interactions: split.train,
 *   users: dataset.users,
 *   items: dataset.items,
 * });
 * ms.metrics.MS; // mean of ms.metrics['MS-item'] and ms.metrics['MS-user']
 */
export function memorizationScore(options: MemorizationOptions): MemorizationReport {
  const pairs = options.pairs ?? 20000;
  if (pairs !== 'all' && (!Number.isInteger(pairs) || pairs < 2)) throw new ConfigError('pairs', "must be an integer ≥ 2 or 'all'", pairs);
  const sampling = options.sampling ?? 'mixed';
  if (sampling !== 'mixed' && sampling !== 'uniform') throw new ConfigError('sampling', "want 'mixed' or 'uniform'", sampling);
  const kind = options.similarity ?? 'cosine';
  if (!['cosine', 'jaccard', 'adjusted-cosine'].includes(kind)) throw new ConfigError('similarity', "want 'cosine', 'jaccard' or 'adjusted-cosine'", kind);
  const method = options.method ?? 'spearman';
  if (method !== 'spearman' && method !== 'paper-mse') throw new ConfigError('method', "want 'spearman' or 'paper-mse'", method);
  const types = options.entityTypes ?? ['item', 'user'];
  for (const t of types) if (t !== 'item' && t !== 'user') throw new ConfigError('entityTypes', "want 'item' and/or 'user'", t);
  if (!Array.isArray(options.interactions)) throw new ConfigError('interactions', 'required: the training interactions');
  const seed = options.seed ?? 42;

  const rows = toVectorRows(options.embeddings);
  const rowOf = new Map<string, number>();
  rows.keys.forEach((k, i) => rowOf.set(k, i));
  const norms = new Float64Array(rows.keys.length);
  for (let r = 0; r < norms.length; r++) {
    let s = 0;
    for (let j = 0; j < rows.dim; j++) s += rows.data[r * rows.dim + j] ** 2;
    norms[r] = Math.sqrt(s);
  }
  const sides = neighbourLists(options.interactions, kind === 'adjusted-cosine');
  const idOf = { user: rawIds(options.users), item: rawIds(options.items) };
  const warnings: string[] = [];
  const metrics: Record<string, number> = {};
  const details: Partial<Record<EntityType, MemorizationTypeDetail>> = {};
  let totalPairs = 0;

  for (const type of types) {
    const side = sides[type];
    const other = sides[type === 'item' ? 'user' : 'item'];
    const prefix = type === 'item' ? 'i:' : 'u:';
    // Eligible entities: a vector and at least one training interaction.
    const rowOfEntity = new Int32Array(side.nbr.length).fill(-1);
    const eligible: number[] = [];
    let withoutVector = 0;
    const usedRows = new Set<number>();
    side.nbr.forEach((n, e) => {
      if (n.length === 0) return;
      const r = rowOf.get(entityKey(type, idOf[type](e)));
      if (r === undefined) withoutVector++;
      else {
        rowOfEntity[e] = r;
        eligible.push(e);
        usedRows.add(r);
      }
    });
    let withoutInteractions = 0;
    let zeroVectors = 0;
    rows.keys.forEach((k, r) => {
      if (!k.startsWith(prefix)) return;
      if (!usedRows.has(r)) withoutInteractions++;
      else if (norms[r] === 0) zeroVectors++;
    });
    const detail: MemorizationTypeDetail = {
      entities: eligible.length,
      withoutVector,
      withoutInteractions,
      zeroVectors,
      pairs: 0,
      coInteractionPairs: 0,
      zeroSimilarityFraction: 0,
    };
    details[type] = detail;
    if (eligible.length < 2) {
      warnings.push(`MS-${type}: fewer than 2 ${type}s have both a vector and a training interaction; not scored`);
      continue;
    }
    const pairA: number[] = [];
    const pairB: number[] = [];
    if (pairs === 'all') {
      const all = (eligible.length * (eligible.length - 1)) / 2;
      if (all > MAX_ALL_PAIRS) {
        throw new ConfigError('pairs', `'all' would score ${all} ${type} pairs (more than ${MAX_ALL_PAIRS}); give a number of pairs to sample`, pairs);
      }
      for (let i = 0; i < eligible.length; i++) for (let j = i + 1; j < eligible.length; j++) {
        pairA.push(eligible[i]);
        pairB.push(eligible[j]);
      }
    } else {
      const rng = new Rng(seed).fork(type === 'item' ? 1 : 2);
      const nCo = sampling === 'mixed' ? Math.floor(pairs / 2) : 0;
      // Co-interaction pairs: a random eligible edge (a, x), then b drawn from x's neighbours.
      const edgeStart = new Float64Array(eligible.length + 1);
      eligible.forEach((e, k) => (edgeStart[k + 1] = edgeStart[k] + side.nbr[e].length));
      const totalEdges = edgeStart[eligible.length];
      let attempts = 0;
      while (pairA.length < nCo && attempts < 50 * nCo) {
        attempts++;
        const t = rng.int(totalEdges);
        let lo = 0;
        let hi = eligible.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (edgeStart[mid] <= t) lo = mid;
          else hi = mid - 1;
        }
        const a = eligible[lo];
        const x = side.nbr[a][t - edgeStart[lo]];
        const cands = other.nbr[x];
        const b = cands[rng.int(cands.length)];
        if (b === a || rowOfEntity[b] < 0) continue;
        pairA.push(a);
        pairB.push(b);
      }
      detail.coInteractionPairs = pairA.length;
      if (pairA.length < nCo) warnings.push(`MS-${type}: only ${pairA.length} of ${nCo} co-interaction pairs found; the rest are uniform`);
      while (pairA.length < pairs) {
        const i = rng.int(eligible.length);
        let j = rng.int(eligible.length - 1);
        if (j >= i) j++;
        pairA.push(eligible[i]);
        pairB.push(eligible[j]);
      }
    }
    const s = new Float64Array(pairA.length);
    const c = new Float64Array(pairA.length);
    let zeros = 0;
    for (let p = 0; p < pairA.length; p++) {
      s[p] = interactionSimilarity(side, pairA[p], pairB[p], kind);
      if (s[p] === 0) zeros++;
      c[p] = cosineRows(rows.data, rows.dim, rowOfEntity[pairA[p]], rowOfEntity[pairB[p]], norms);
    }
    detail.pairs = pairA.length;
    detail.zeroSimilarityFraction = zeros / pairA.length;
    totalPairs += pairA.length;
    let score: number;
    if (method === 'spearman') {
      score = spearman(s, c);
      if (Number.isNaN(score)) {
        warnings.push(`MS-${type}: one of the similarities is constant over the ${pairA.length} pairs, so the rank correlation is undefined; reported as 0`);
        score = 0;
      }
    } else {
      let min = Infinity;
      let max = -Infinity;
      for (const v of s) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const range = max - min;
      if (range === 0) warnings.push(`MS-${type}: interaction similarity is constant over the pairs; min-max normalisation maps it to 0`);
      let se = 0;
      for (let p = 0; p < s.length; p++) se += ((range > 0 ? (s[p] - min) / range : 0) - c[p]) ** 2;
      score = 1 - se / s.length;
    }
    metrics[`MS-${type}`] = score;
  }
  const scored = types.filter((t) => metrics[`MS-${t}`] !== undefined);
  if (scored.length) metrics.MS = scored.reduce((a, t) => a + metrics[`MS-${t}`], 0) / scored.length;
  return {
    metrics,
    count: totalPairs,
    meta: { countOf: 'pairs', method, similarity: kind, sampling: pairs === 'all' ? 'all' : sampling, seed, types: details, warnings },
  };
}
