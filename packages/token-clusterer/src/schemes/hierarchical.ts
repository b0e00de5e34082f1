/**
 * Hierarchical codes by residual k-means (RQ-style: the residual
 * quantisation behind TIGER's semantic IDs, Rajput et al., NeurIPS 2023,
 * here with k-means codebooks instead of a learned RQ-VAE): level 1 is the
 * coarse cluster of the entity vector (spherical k-means under cosine, as
 * META ID), each further level clusters what the levels above left
 * unexplained (`x − c₁ − c₂ − …`, Euclidean k-means over all entities), so a
 * level's tokens are shared by every parent and the codebook holds
 * Σ levels + (largest collision group) tokens however large a cluster grows.
 * Entities whose level tokens still coincide get one last disambiguation
 * token `<1001>`, `<1002>`, … (closest to its reconstruction first); the
 * others keep the shorter code, so no code is a prefix of another.
 *
 * Departure from META ID: the paper's codes are coarse cluster + rank in the
 * cluster (see the `meta-id` scheme), whose fine vocabulary grows with the
 * largest cluster. This scheme is the bounded alternative the project
 * offers; it is not in the paper.
 */
import { ConfigError, type EmbeddingTable, type TokenInfo } from '@meta-id/core';
import { assertUniqueCodes, type ClustererCodebook } from '../codebook.js';
import { kmeans, type KMeansResult } from '../kmeans.js';
import { kmeansOptions, type CodeScheme, type SchemeOptions } from '../scheme.js';
import { codebookStats, formatStats } from '../stats.js';
import { checkTable } from '../table.js';
import { fineToken } from './meta-id.js';

export interface HierarchicalSchemeOptions extends SchemeOptions {
  /** Clusters per level, coarsest first. Default [k, 32, 32] with k = 100. */
  levels?: number[];
  /** Number of the first disambiguation token. Default 1001. */
  fineStart?: number;
}

/** Token of level `level` (0-based here; spelled 1-based, `<L1_5>`, as @meta-id/vocab-extender names it). */
export const levelToken = (level: number, j: number): string => `<L${level + 1}_${j}>`;

export const hierarchicalScheme: CodeScheme<HierarchicalSchemeOptions> = {
  name: 'hierarchical',
  async fit(table: EmbeddingTable, options: HierarchicalSchemeOptions = {}): Promise<ClustererCodebook> {
    checkTable(table);
    if (options.levels && options.k !== undefined && options.levels[0] !== options.k) {
      throw new ConfigError('levels', `levels[0] (${options.levels[0]}) and k (${options.k}) disagree; give one of them`);
    }
    const levels = options.levels ?? [options.k ?? 100, 32, 32];
    if (levels.length === 0 || levels.some((l) => !Number.isInteger(l) || l < 1)) throw new ConfigError('levels', 'must be a non-empty list of integers ≥ 1', levels);
    const fineStart = options.fineStart ?? 1001;
    const metric = options.metric ?? 'cosine';
    const n = table.ids.length;
    const dim = table.dim;
    const labels: Int32Array[] = [];
    const centroids: Float32Array[] = [];
    const runs: Pick<KMeansResult, 'iterations' | 'inertia' | 'stop' | 'backend' | 'timings'>[] = [];
    let residual = new Float32Array(0);
    for (let l = 0; l < levels.length; l++) {
      const k = Math.min(levels[l], n);
      const input = l === 0 ? table.vectors : residual;
      const o = kmeansOptions(options, k, table.ids);
      if (l > 0) {
        o.metric = 'euclidean';
        o.seed = (options.seed ?? 42) + l;
      }
      const r = await kmeans(input, n, dim, o);
      runs.push({ iterations: r.iterations, inertia: r.inertia, stop: r.stop, backend: r.backend, timings: r.timings });
      labels.push(r.labels);
      centroids.push(r.centroids);
      // what this level leaves unexplained
      const next = new Float32Array(n * dim);
      for (let i = 0; i < n; i++) {
        const c = r.labels[i] * dim;
        for (let d = 0; d < dim; d++) next[i * dim + d] = r.points[i * dim + d] - r.centroids[c + d];
      }
      residual = next;
    }
    const codes: Record<string, string[]> = {};
    const groups = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const code = levels.map((_, l) => levelToken(l, labels[l][i]));
      codes[table.ids[i]] = code;
      const key = code.join('');
      const g = groups.get(key);
      if (g) g.push(i);
      else groups.set(key, [i]);
    }
    let collisions = 0;
    const fineUse = new Map<number, number>();
    const resNorm = (i: number) => {
      let s = 0;
      for (let d = 0; d < dim; d++) s += residual[i * dim + d] ** 2;
      return s;
    };
    for (const members of groups.values()) {
      if (members.length < 2) continue;
      collisions += members.length;
      const order = members.map((i) => ({ i, r: resNorm(i) })).sort((a, b) => a.r - b.r || a.i - b.i);
      order.forEach(({ i }, rank) => {
        codes[table.ids[i]].push(fineToken(fineStart + rank));
        fineUse.set(fineStart + rank, (fineUse.get(fineStart + rank) ?? 0) + 1);
      });
    }
    assertUniqueCodes(codes);
    const tokens: TokenInfo[] = [];
    levels.forEach((_, l) => {
      const k = centroids[l].length / dim;
      const count = new Array<number>(k).fill(0);
      for (const j of labels[l]) count[j]++;
      for (let j = 0; j < k; j++) tokens.push({ token: levelToken(l, j), level: l, members: count[j], centroid: Array.from(centroids[l].subarray(j * dim, (j + 1) * dim)) });
    });
    for (const [b, m] of [...fineUse.entries()].sort((a, c) => a[0] - c[0])) tokens.push({ token: fineToken(b), level: levels.length, members: m });
    const codebook: ClustererCodebook = {
      scheme: 'hierarchical',
      dim,
      tokens,
      codes,
      params: { metric, levels: levels.map((l) => Math.min(l, n)), residual: true, fineStart, seed: options.seed ?? 42 },
    };
    const stats = codebookStats(codebook, collisions);
    codebook.stats = { ...stats, kmeans: runs };
    if (options.printStats ?? true) process.stderr.write(`[meta-id] ${formatStats('hierarchical', stats)}\n`);
    return codebook;
  },
};
