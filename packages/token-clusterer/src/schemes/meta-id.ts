/**
 * The META ID code scheme (Huang et al., "Improving LLMs for Recommendation
 * with Out-Of-Vocabulary Tokens", ICML 2025), in the form of the authors'
 * released Beauty indexes (`*_metapath_indexing_kmcos_100_ag.txt`): every
 * entity gets `<CTa><b>`, where `<CTa>` is its spherical k-means cluster
 * (cosine, k = 100 in the paper) and `<b>` is its rank by distance to the
 * cluster centroid inside that cluster, counted from 1001. Fine tokens are
 * shared across clusters, so the fine vocabulary is the largest cluster's
 * size; the pair is unique per entity. Users and items are clustered
 * jointly in one space, as in the released Beauty codes (checked: all 101
 * released clusters but one mix users and items, and each cluster's fine
 * tokens run 1001, 1002, … without gaps over users and items together).
 *
 * Departures: the release has 101 cluster tokens for k = 100 (its file name
 * says "ag", perhaps an agglomerative step we do not know); here a k-means
 * with k clusters gives exactly k. `joint: false` clusters users and items
 * apart, each into k clusters; item clusters are then numbered after the
 * user clusters (`<CT0>`…`<CT{k-1}>` users, `<CT{k}>`… items).
 */
import { MetaIdError, type EmbeddingTable, type TokenInfo } from '@meta-id/core';
import { assertUniqueCodes, type ClustererCodebook } from '../codebook.js';
import { kmeans, type KMeansResult } from '../kmeans.js';
import { kmeansOptions, type CodeScheme, type SchemeOptions } from '../scheme.js';
import { codebookStats, formatStats } from '../stats.js';
import { checkTable, subsetByType } from '../table.js';

export interface MetaIdSchemeOptions extends SchemeOptions {
  /** Cluster users and items together (the release) or apart. Default true. */
  joint?: boolean;
  /** Number of the first fine token. Default 1001 (the release). */
  fineStart?: number;
}

export const clusterToken = (j: number): string => `<CT${j}>`;
export const fineToken = (b: number): string => `<${b}>`;

export const metaIdScheme: CodeScheme<MetaIdSchemeOptions> = {
  name: 'meta-id',
  async fit(table: EmbeddingTable, options: MetaIdSchemeOptions = {}): Promise<ClustererCodebook> {
    checkTable(table);
    const k = options.k ?? 100;
    const joint = options.joint ?? true;
    const fineStart = options.fineStart ?? 1001;
    const metric = options.metric ?? 'cosine';
    const groups = joint ? [{ table, offset: 0 }] : (['user', 'item'] as const).map((t) => ({ table: subsetByType(table, t).table, offset: 0 })).filter((g) => g.table.ids.length > 0);
    let offset = 0;
    for (const g of groups) {
      g.offset = offset;
      offset += k;
    }
    const codes: Record<string, string[]> = {};
    const coarse: TokenInfo[] = [];
    const fineUse = new Map<number, number>();
    const runs: Pick<KMeansResult, 'iterations' | 'inertia' | 'stop' | 'backend' | 'timings'>[] = [];
    let collisions = 0;
    for (const g of groups) {
      const t = g.table;
      if (t.ids.length < k) throw new MetaIdError(`meta-id scheme: ${t.ids.length} entities cannot fill k = ${k} clusters; lower k`);
      const r = await kmeans(t.vectors, t.ids.length, t.dim, kmeansOptions(options, k, t.ids));
      runs.push({ iterations: r.iterations, inertia: r.inertia, stop: r.stop, backend: r.backend, timings: r.timings });
      const members: number[][] = Array.from({ length: k }, () => []);
      for (let i = 0; i < t.ids.length; i++) members[r.labels[i]].push(i);
      for (let j = 0; j < k; j++) {
        // closest first; ties in table order (stable sort)
        const m = members[j].sort((a, b) => r.distances[a] - r.distances[b]);
        const tok = clusterToken(g.offset + j);
        coarse.push({ token: tok, level: 0, members: m.length, centroid: Array.from(r.centroids.subarray(j * t.dim, (j + 1) * t.dim)) });
        if (m.length > 1) collisions += m.length;
        m.forEach((i, rank) => {
          codes[t.ids[i]] = [tok, fineToken(fineStart + rank)];
          fineUse.set(fineStart + rank, (fineUse.get(fineStart + rank) ?? 0) + 1);
        });
      }
    }
    assertUniqueCodes(codes);
    const fine: TokenInfo[] = [...fineUse.entries()].sort((a, b) => a[0] - b[0]).map(([b, n]) => ({ token: fineToken(b), level: 1, members: n }));
    const codebook: ClustererCodebook = {
      scheme: 'meta-id',
      dim: table.dim,
      tokens: [...coarse, ...fine],
      codes,
      params: { metric, k, joint, fineStart, seed: options.seed ?? 42 },
    };
    const stats = codebookStats(codebook, collisions);
    codebook.stats = { ...stats, kmeans: runs };
    if (options.printStats ?? true) process.stderr.write(`[meta-id] ${formatStats('meta-id', stats)}\n`);
    return codebook;
  },
};
