/**
 * The bipartite user-item graph of training interactions in CSR form.
 *
 * Users and items share one node id space: users are nodes `0 .. numUsers-1`,
 * items are nodes `numUsers .. numUsers+numItems-1`, and each node keeps its
 * type. Edges are undirected (each interaction is stored from both ends), and
 * a pair seen twice is two parallel edges, so a walk follows repeated
 * interactions proportionally more often. Only `split.train` is ever read:
 * validation and test interactions must not leak into the embeddings.
 */
import { ConfigError, MetaIdError, entityKey, type IdMap, type Interaction, type Split } from '@meta-id/core';

/** How an edge is weighted for the walker. */
export type EdgeWeighting = 'none' | 'rating' | 'recency';

/** Options of {@link buildInteractionGraph}; every field has a documented default. */
export interface GraphOptions {
  /**
   * Edge weights: `none` (uniform over a node's edges, the metapath2vec walk),
   * `rating` (proportional to the rating; an interaction without one is an
   * error), or `recency` (per user, the most recent training interaction
   * weighs 1 and each step back multiplies by `0.5^(1/recencyHalfLife)`).
   * Default `none`.
   */
  weighting?: EdgeWeighting;
  /** For `recency`: interactions back in a user's history at which the weight halves. Default 10. */
  recencyHalfLife?: number;
  /**
   * Raw ids that name the nodes (`u:<raw>`, `i:<raw>` via core `entityKey`),
   * usually the dataset the split came from. Default: the dense indices as
   * strings (`u:0`, `i:17`, ...).
   */
  names?: { users: IdMap | readonly string[]; items: IdMap | readonly string[] };
}

/** CSR arrays of the graph; see the module comment for the node numbering. */
export interface InteractionGraph {
  numUsers: number;
  numItems: number;
  /** numUsers + numItems. */
  numNodes: number;
  /** Number of interactions (each stored twice in `neighbours`). */
  numEdges: number;
  /** Node v's neighbours are `neighbours[offsets[v] .. offsets[v+1])`; length numNodes + 1. */
  offsets: Int32Array;
  neighbours: Int32Array;
  /** Per stored edge, the running sum of weights within its node's segment (for O(log d) weighted steps); absent when unweighted. */
  cumulativeWeights?: Float64Array;
  /** 0 = user, 1 = item, per node. */
  nodeType: Uint8Array;
  /** Node names, `u:<raw>` / `i:<raw>`. */
  names: string[];
  /** Nodes without any training edge (they get no walks and no vector from walks). */
  isolatedNodes: number;
}

/** Node type codes in {@link InteractionGraph.nodeType}. */
export const USER = 0;
export const ITEM = 1;

function nameList(source: IdMap | readonly string[] | undefined, n: number, what: string): readonly string[] | undefined {
  if (source === undefined) return undefined;
  const ids = Array.isArray(source) ? (source as readonly string[]) : (source as IdMap).ids;
  if (ids.length < n) {
    throw new ConfigError(`names.${what}`, `has ${ids.length} ids but the split has ${n} ${what}`);
  }
  return ids;
}

/**
 * Builds the CSR graph of `split.train` (never validation or test).
 *
 * @example
 * const graph = buildInteractionGraph(leaveOneOutSplit(dataset), { names: dataset });
 * console.log(graph.numNodes, graph.numEdges);
 */
export function buildInteractionGraph(split: Split, options: GraphOptions = {}): InteractionGraph {
  return buildGraphFromInteractions(split.train, split.numUsers, split.numItems, options);
}

/** {@link buildInteractionGraph} over an explicit list of interactions. */
export function buildGraphFromInteractions(
  interactions: readonly Interaction[],
  numUsers: number,
  numItems: number,
  options: GraphOptions = {},
): InteractionGraph {
  const weighting = options.weighting ?? 'none';
  if (!['none', 'rating', 'recency'].includes(weighting)) {
    throw new ConfigError('weighting', 'must be none, rating or recency', weighting);
  }
  const halfLife = options.recencyHalfLife ?? 10;
  if (!(halfLife > 0)) throw new ConfigError('recencyHalfLife', 'must be > 0', halfLife);
  if (!Number.isInteger(numUsers) || numUsers < 0 || !Number.isInteger(numItems) || numItems < 0) {
    throw new ConfigError('split', 'numUsers and numItems must be non-negative integers', [numUsers, numItems]);
  }
  const numNodes = numUsers + numItems;
  const m = interactions.length;
  const degree = new Int32Array(numNodes + 1);
  for (let k = 0; k < m; k++) {
    const x = interactions[k];
    if (!(x.user >= 0 && x.user < numUsers && Number.isInteger(x.user))) {
      throw new MetaIdError(`interaction ${k}: user index ${x.user} outside 0..${numUsers - 1}`);
    }
    if (!(x.item >= 0 && x.item < numItems && Number.isInteger(x.item))) {
      throw new MetaIdError(`interaction ${k}: item index ${x.item} outside 0..${numItems - 1}`);
    }
    degree[x.user]++;
    degree[numUsers + x.item]++;
  }
  const offsets = new Int32Array(numNodes + 1);
  for (let v = 0; v < numNodes; v++) offsets[v + 1] = offsets[v] + degree[v];
  const neighbours = new Int32Array(2 * m);
  const weights = weighting === 'none' ? undefined : new Float64Array(2 * m);
  const fill = offsets.slice(0, numNodes);
  const edgeWeight = weighting === 'none' ? undefined : computeEdgeWeights(interactions, weighting, halfLife);
  for (let k = 0; k < m; k++) {
    const u = interactions[k].user;
    const i = numUsers + interactions[k].item;
    const pu = fill[u]++;
    const pi = fill[i]++;
    neighbours[pu] = i;
    neighbours[pi] = u;
    if (weights) {
      weights[pu] = edgeWeight![k];
      weights[pi] = edgeWeight![k];
    }
  }
  if (weights) {
    for (let v = 0; v < numNodes; v++) {
      let s = 0;
      for (let e = offsets[v]; e < offsets[v + 1]; e++) weights[e] = s += weights[e];
    }
  }
  const nodeType = new Uint8Array(numNodes);
  nodeType.fill(ITEM, numUsers);
  const userNames = nameList(options.names?.users, numUsers, 'users');
  const itemNames = nameList(options.names?.items, numItems, 'items');
  const names = new Array<string>(numNodes);
  for (let u = 0; u < numUsers; u++) names[u] = entityKey('user', userNames ? userNames[u] : String(u));
  for (let i = 0; i < numItems; i++) names[numUsers + i] = entityKey('item', itemNames ? itemNames[i] : String(i));
  let isolatedNodes = 0;
  for (let v = 0; v < numNodes; v++) if (offsets[v + 1] === offsets[v]) isolatedNodes++;
  return {
    numUsers,
    numItems,
    numNodes,
    numEdges: m,
    offsets,
    neighbours,
    cumulativeWeights: weights,
    nodeType,
    names,
    isolatedNodes,
  };
}

function computeEdgeWeights(
  interactions: readonly Interaction[],
  weighting: 'rating' | 'recency',
  halfLife: number,
): Float64Array {
  const w = new Float64Array(interactions.length);
  if (weighting === 'rating') {
    for (let k = 0; k < interactions.length; k++) {
      const r = interactions[k].rating;
      if (r === undefined || !(r > 0) || !Number.isFinite(r)) {
        throw new MetaIdError(
          `weighting "rating": interaction ${k} (user ${interactions[k].user}, item ${interactions[k].item}) has rating ${r}; ` +
            'every training interaction needs a positive rating (or use weighting "none")',
        );
      }
      w[k] = r;
    }
    return w;
  }
  // Recency: rank from the end of each user's history, by time when present, else by order (P5 files are in time order).
  const byUser = new Map<number, number[]>();
  interactions.forEach((x, k) => {
    let list = byUser.get(x.user);
    if (!list) byUser.set(x.user, (list = []));
    list.push(k);
  });
  const decay = Math.pow(0.5, 1 / halfLife);
  for (const list of byUser.values()) {
    const ordered = list.every((k) => interactions[k].time !== undefined)
      ? [...list].sort((a, b) => interactions[a].time! - interactions[b].time! || a - b)
      : list;
    const n = ordered.length;
    ordered.forEach((k, rank) => (w[k] = Math.pow(decay, n - 1 - rank)));
  }
  return w;
}

/** Degree of node `v`. */
export function degreeOf(graph: InteractionGraph, v: number): number {
  return graph.offsets[v + 1] - graph.offsets[v];
}
