import { requireOption, Rng, userSequences } from '@meta-id/core';
import { kmeans } from '../kmeans.js';
import { codebookFromItemCodes } from './codebook-from-codes.js';
import type { ItemIdInput, ItemIdScheme } from './types.js';

/** Options of {@link collaborativeIds}. */
export interface CollaborativeIdOptions {
  /** Clusters per level of the hierarchy. Default 16. */
  clustersPerLevel?: number;
  /** A cluster of at most this many items becomes a leaf; its items are numbered inside it. Default 64. */
  leafSize?: number;
  /** Subspace-iteration steps for the spectral embedding. Default 40. */
  powerIterations?: number;
}

/**
 * Collaborative indexing (CID, Hua et al., "How to Index Item IDs for
 * Recommendation Foundation Models", SIGIR-AP 2023): spectral clustering of
 * the item co-occurrence graph (items in one user's training history co-occur),
 * applied recursively until clusters have at most `leafSize` items; an item's
 * code is its path of cluster numbers plus its number inside the leaf, so
 * items that co-occur share code prefixes.
 *
 * Departures: the spectral embedding is the top eigenvectors of the
 * normalised adjacency D^-1/2 W D^-1/2 found by seeded subspace iteration
 * (the paper uses an off-the-shelf solver); rows are L2-normalised and
 * clustered with this package's k-means (Ng-Jordan-Weiss). Items without
 * co-occurrences in a sub-problem are dealt round-robin over its clusters.
 * Codes use ordinary number tokens, not new tokens, so CID serves as the
 * in-vocabulary collaborative baseline; every token is spelled with the same
 * number of digits (`"03"`, `"12"` when numbers reach 10), because a code's
 * text is its tokens concatenated and `"1"` + `"32"` would read back as
 * `"13"` + `"2"`.
 */
export function collaborativeIds(options: CollaborativeIdOptions = {}): ItemIdScheme {
  const clustersPerLevel = options.clustersPerLevel ?? 16;
  const leafSize = options.leafSize ?? 64;
  const powerIterations = options.powerIterations ?? 40;
  requireOption(Number.isInteger(clustersPerLevel) && clustersPerLevel >= 2, 'clustersPerLevel', 'must be an integer ≥ 2', clustersPerLevel);
  requireOption(Number.isInteger(leafSize) && leafSize >= 1, 'leafSize', 'must be an integer ≥ 1', leafSize);
  return {
    name: 'cid',
    assign(input: ItemIdInput) {
      return assignCollaborative(input, clustersPerLevel, leafSize, powerIterations);
    },
  };
}

/** Symmetric co-occurrence graph in CSR form: weight = number of users whose training history holds both items. */
export function coOccurrenceGraph(split: ItemIdInput['split'], numItems: number) {
  const rows: Map<number, number>[] = Array.from({ length: numItems }, () => new Map());
  for (const seq of userSequences(split.train, split.numUsers)) {
    const items = [...new Set(seq)];
    for (let a = 0; a < items.length; a++) {
      for (let b = a + 1; b < items.length; b++) {
        const i = items[a];
        const j = items[b];
        rows[i].set(j, (rows[i].get(j) ?? 0) + 1);
        rows[j].set(i, (rows[j].get(i) ?? 0) + 1);
      }
    }
  }
  const offsets = new Int32Array(numItems + 1);
  rows.forEach((r, i) => (offsets[i + 1] = offsets[i] + r.size));
  const neighbours = new Int32Array(offsets[numItems]);
  const weights = new Float32Array(offsets[numItems]);
  rows.forEach((r, i) => {
    let p = offsets[i];
    for (const [j, w] of r) {
      neighbours[p] = j;
      weights[p++] = w;
    }
  });
  return { offsets, neighbours, weights };
}

type Graph = ReturnType<typeof coOccurrenceGraph>;

async function assignCollaborative(
  { split, itemIds, seed = 42 }: ItemIdInput,
  clustersPerLevel: number,
  leafSize: number,
  powerIterations: number,
) {
  const graph = coOccurrenceGraph(split, itemIds.length);
  const width = String(Math.max(clustersPerLevel, leafSize) - 1).length;
  const spell = (n: number) => String(n).padStart(width, '0');
  const rng = new Rng(seed);
  const codes: string[][] = Array.from({ length: itemIds.length }, () => []);
  const local = new Int32Array(itemIds.length).fill(-1); // item → row in the current sub-problem
  let depth = 0;
  let leaves = 0;

  const recurse = async (members: number[], prefix: string[]) => {
    if (members.length <= leafSize) {
      leaves++;
      depth = Math.max(depth, prefix.length + 1);
      // Inside a leaf, better-connected items get the smaller numbers.
      const degree = (i: number) => weightedDegree(graph, i, members, local);
      members.forEach((item, r) => (local[item] = r));
      const order = [...members].sort((a, b) => degree(b) - degree(a) || a - b);
      members.forEach((item) => (local[item] = -1));
      order.forEach((item, r) => (codes[item] = [...prefix, spell(r)]));
      return;
    }
    const k = Math.min(clustersPerLevel, members.length);
    const labels = await spectralClusters(graph, members, k, powerIterations, rng, local);
    const groups: number[][] = Array.from({ length: k }, () => []);
    members.forEach((item, r) => groups[labels[r]].push(item));
    // A degenerate split (everything in one cluster) would recurse forever: cut it into equal parts instead.
    const parts = groups.filter((g) => g.length > 0);
    const final = parts.length > 1 ? parts : chunk(members, Math.ceil(members.length / k));
    for (let c = 0; c < final.length; c++) await recurse(final[c], [...prefix, spell(c)]);
  };

  await recurse(Array.from({ length: itemIds.length }, (_, i) => i), []);
  return codebookFromItemCodes('cid', itemIds, codes, { clustersPerLevel, leafSize, leaves, depth });
}

function weightedDegree(graph: Graph, i: number, members: number[], local: Int32Array): number {
  let d = 0;
  for (let p = graph.offsets[i]; p < graph.offsets[i + 1]; p++) if (local[graph.neighbours[p]] >= 0) d += graph.weights[p];
  return d;
}

function chunk<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Ng-Jordan-Weiss spectral clustering of the sub-graph induced by `members`:
 * top-k eigenvectors of (I + D^-1/2 W D^-1/2)/2 (shifted so the wanted
 * eigenvalues are the largest in magnitude) by subspace iteration, rows
 * normalised, then k-means. Returns a label per member.
 */
async function spectralClusters(
  graph: Graph,
  members: number[],
  k: number,
  iterations: number,
  rng: Rng,
  local: Int32Array,
): Promise<Int32Array> {
  const n = members.length;
  members.forEach((item, r) => (local[item] = r));
  const degree = new Float64Array(n);
  members.forEach((item, r) => (degree[r] = weightedDegree(graph, item, members, local)));
  const invSqrt = degree.map((d) => (d > 0 ? 1 / Math.sqrt(d) : 0));
  let q = new Float64Array(n * k).map(() => rng.normal());
  orthonormalise(q, n, k);
  const next = new Float64Array(n * k);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    for (let r = 0; r < n; r++) {
      const item = members[r];
      for (let p = graph.offsets[item]; p < graph.offsets[item + 1]; p++) {
        const c = local[graph.neighbours[p]];
        if (c < 0) continue;
        const w = (graph.weights[p] * invSqrt[r] * invSqrt[c]) / 2;
        for (let j = 0; j < k; j++) next[r * k + j] += w * q[c * k + j];
      }
      for (let j = 0; j < k; j++) next[r * k + j] += q[r * k + j] / 2;
    }
    q = next.slice();
    orthonormalise(q, n, k);
  }
  members.forEach((item) => (local[item] = -1));
  const connected: number[] = [];
  const rows = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    if (degree[r] === 0) continue;
    let norm = 0;
    for (let j = 0; j < k; j++) norm += q[r * k + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    const at = connected.length;
    for (let j = 0; j < k; j++) rows[at * k + j] = q[r * k + j] / norm;
    connected.push(r);
  }
  const labels = new Int32Array(n);
  if (connected.length >= k) {
    const result = await kmeans(rows.subarray(0, connected.length * k), connected.length, k, {
      k,
      metric: 'euclidean',
      seed: rng.nextUint32(),
      progress: false,
    });
    connected.forEach((r, i) => (labels[r] = result.labels[i]));
  } else {
    connected.forEach((r, i) => (labels[r] = i % k));
  }
  let deal = 0;
  for (let r = 0; r < n; r++) if (degree[r] === 0) labels[r] = deal++ % k;
  return labels;
}

/** Modified Gram-Schmidt on the k columns of a row-major n × k matrix. */
function orthonormalise(q: Float64Array, n: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < n; r++) dot += q[r * k + i] * q[r * k + j];
      for (let r = 0; r < n; r++) q[r * k + j] -= dot * q[r * k + i];
    }
    let norm = 0;
    for (let r = 0; r < n; r++) norm += q[r * k + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < n; r++) q[r * k + j] /= norm;
  }
}
