/**
 * The diversity score (DS) of META ID (Huang et al., "Improving LLMs for
 * Recommendation with Out-Of-Vocabulary Tokens", ICML 2025): how different
 * the entity representations are from each other, as the mean symmetric
 * KL divergence between softmaxed entity vectors over random pairs.
 *
 *   p_e = softmax(v_e);  SKL(a, b) = ½ (KL(p_a ‖ p_b) + KL(p_b ‖ p_a))
 *   DS = mean over P seeded random pairs (a ≠ b) of SKL(a, b)
 *
 * Identical vectors give 0; the more spread out and peaked the softmaxed
 * vectors, the larger DS. Like the official code (Tingji2419/META-ID,
 * src/utils/score.py) pairs are drawn uniformly with replacement across pairs
 * (two distinct entities each), the two KL directions are averaged, and the
 * reported DS is over items. Departures: KL is computed from log-softmax
 * (exact; the official code replaces exact zeros of p by 1e-10, which only
 * matters once softmax underflows), the seed is ours (core Rng), and users get
 * their own `DS-user`.
 */
import { ConfigError, Rng, type MetricReport, type EntityType } from '@meta-id/core';
import { rowsByType, toVectorRows, type EntityVectors } from './entity-vectors.js';

/** `pairs: 'all'` is for small inputs: above this many pairs per group it is an error (time). */
export const MAX_ALL_DS_PAIRS = 20_000_000;

export interface DiversityOptions {
  /** Entity → vector (e.g. the mean of its OOV token embeddings). Keys `u:<raw>` / `i:<raw>` are scored per type. */
  embeddings: EntityVectors;
  /** Number of random pairs per entity type, or `'all'` for every unordered pair (small inputs, exact). Default 10000. */
  pairs?: number | 'all';
  /** Seed of the pair sampler. Default 42. */
  seed?: number;
}

export interface DiversityReport extends MetricReport {
  meta: {
    countOf: 'pairs';
    pairs: number | 'all';
    seed: number;
    /** Entities scored per group. */
    entities: Record<string, number>;
    /** Which group `DS` reports: `item` when there are items (as the paper), else `user`, else `all` (untyped keys). */
    reported: string;
  } & Record<string, unknown>;
}

/** Row-wise log-softmax (numerically stable). */
export function logSoftmaxRows(data: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let r = 0; r * dim < data.length; r++) {
    const o = r * dim;
    let max = -Infinity;
    for (let j = 0; j < dim; j++) max = Math.max(max, data[o + j]);
    let sum = 0;
    for (let j = 0; j < dim; j++) sum += Math.exp(data[o + j] - max);
    const lse = max + Math.log(sum);
    for (let j = 0; j < dim; j++) out[o + j] = data[o + j] - lse;
  }
  return out;
}

/** ½ (KL(p‖q) + KL(q‖p)) = ½ Σ (p_i − q_i)(log p_i − log q_i), from log-probabilities of rows a and b. */
export function symmetricKl(logp: Float64Array, a: number, b: number, dim: number): number {
  let s = 0;
  const oa = a * dim;
  const ob = b * dim;
  for (let j = 0; j < dim; j++) {
    const la = logp[oa + j];
    const lb = logp[ob + j];
    s += (Math.exp(la) - Math.exp(lb)) * (la - lb);
  }
  return s / 2;
}

function groupDs(logp: Float64Array, dim: number, rows: number[], pairs: number | 'all', rng: Rng): number {
  const n = rows.length;
  let sum = 0;
  let count = 0;
  if (pairs === 'all') {
    const all = (n * (n - 1)) / 2;
    if (all > MAX_ALL_DS_PAIRS) throw new ConfigError('pairs', `'all' would score ${all} pairs (more than ${MAX_ALL_DS_PAIRS}); give a number of pairs to sample`, pairs);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        sum += symmetricKl(logp, rows[i], rows[j], dim);
        count++;
      }
    }
  } else {
    for (let t = 0; t < pairs; t++) {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++; // a second, distinct entity
      sum += symmetricKl(logp, rows[i], rows[j], dim);
      count++;
    }
  }
  return count ? sum / count : 0;
}

/** A stream per group, so adding users never changes the item pairs. */
export function groupRng(seed: number, group: string): Rng {
  return new Rng(seed).fork(group === 'item' ? 1 : group === 'user' ? 2 : 3);
}

/**
 * DS: mean symmetric KL divergence between softmaxed entity vectors over
 * seeded random pairs. Reports `DS-item` and `DS-user` (for entity keys),
 * `DS-all` for untyped keys, and `DS` (= items, as the paper).
 *
 * @example
 * const ds = diversityScore({ embeddings: entityVectorsFromTokens(codebook, tokenEmbeddings) });
 * ds.metrics.DS;
 */
export function diversityScore(options: DiversityOptions): DiversityReport {
  const pairs = options.pairs ?? 10000;
  if (pairs !== 'all' && (!Number.isInteger(pairs) || pairs < 1)) throw new ConfigError('pairs', "must be a positive integer or 'all'", pairs);
  const seed = options.seed ?? 42;
  const rows = toVectorRows(options.embeddings);
  const byType = rowsByType(rows.keys);
  const logp = logSoftmaxRows(rows.data, rows.dim);
  const groups: [string, number[]][] = [];
  if (byType.item.length || byType.user.length) {
    if (byType.untyped.length) {
      throw new ConfigError(
        'embeddings',
        `mixes entity keys (u:/i:) with ${byType.untyped.length} other keys such as ${JSON.stringify(rows.keys[byType.untyped[0]])}; use entityKey() for all or none`,
      );
    }
    for (const t of ['item', 'user'] as EntityType[]) if (byType[t].length) groups.push([t, byType[t]]);
  } else groups.push(['all', byType.untyped]);
  const metrics: Record<string, number> = {};
  const entities: Record<string, number> = {};
  let reported = '';
  let count = 0;
  for (const [name, list] of groups) {
    entities[name] = list.length;
    if (list.length < 2) continue; // a single entity has no pair; reported in meta.entities
    metrics[`DS-${name}`] = groupDs(logp, rows.dim, list, pairs, groupRng(seed, name));
    if (!reported) {
      reported = name;
      metrics.DS = metrics[`DS-${name}`];
      count = pairs === 'all' ? (list.length * (list.length - 1)) / 2 : pairs;
    }
  }
  return { metrics, count, meta: { countOf: 'pairs', pairs, seed, entities, reported: reported || 'none' } };
}
