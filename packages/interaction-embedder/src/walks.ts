/**
 * Meta-path random walks over the bipartite interaction graph
 * (metapath2vec: Dong, Chawla & Swami, "metapath2vec: Scalable Representation
 * Learning for Heterogeneous Networks", KDD 2017).
 *
 * As in metapath2vec, a scheme such as `U-I-U` is symmetric (first type =
 * last type) and is followed cyclically; walks of a scheme start from every
 * node of its first type, `walksPerNode` times. Departures from the paper:
 * (1) walk starts are visited in a fresh seeded shuffle each round (all
 * schemes mixed) rather than in node order, so consecutive walks in the
 * corpus are not correlated, which is kinder to SGD; (2) in a bipartite
 * user-item graph every alternating scheme visits the same node sequences as
 * `U-I-U` or `I-U-I`, so a scheme is checked to alternate and then only its
 * start type and cycle matter. Nodes without training edges get no walk and
 * are counted in the stats, never an error.
 *
 * The corpus is produced in chunks of typed arrays (node ids), never as one
 * giant string; {@link writeWalkCorpus} turns chunks into the usual text file.
 */
import { ConfigError, Rng, requireOption } from '@meta-id/core';
import { ITEM, USER, type InteractionGraph } from './graph.js';

/** Options of the walker; every field has a documented default. */
export interface WalkOptions {
  /** Meta-path schemes, e.g. `U-I-U` (user-item-user). Default `['U-I-U', 'I-U-I']`. */
  schemes?: readonly string[];
  /** Walks started from each node of a scheme's first type. Default 5. */
  walksPerNode?: number;
  /** Nodes per walk (including the start). Default 20. */
  walkLength?: number;
  /** Seed of the walk sampler (core Rng). Default 42. */
  seed?: number;
  /** Walks per yielded chunk. Default 8192. */
  chunkWalks?: number;
}

/** A block of walks: walk w is `tokens[offsets[w] .. offsets[w+1])`, node ids of the graph. */
export interface WalkChunk {
  tokens: Int32Array;
  offsets: Int32Array;
  /** Number of walks (offsets.length - 1). */
  count: number;
}

/** What the walker did. */
export interface WalkStats {
  walks: number;
  tokens: number;
  /** Nodes of the graph with no training edge (no walk starts or passes there). */
  isolatedNodes: number;
  /** Scheme → number of start nodes it walked from. */
  startsPerScheme: Record<string, number>;
}

/** Defaults of {@link WalkOptions}. */
export const DEFAULT_WALK_OPTIONS = {
  schemes: ['U-I-U', 'I-U-I'] as readonly string[],
  walksPerNode: 5,
  walkLength: 20,
  seed: 42,
  chunkWalks: 8192,
};

/** A parsed scheme: node types in cyclic order (the repeated last type dropped). */
export interface MetaPath {
  name: string;
  cycle: number[];
}

/** Parses and checks a scheme string such as `U-I-U` or `user-item-user`. */
export function parseMetaPath(scheme: string): MetaPath {
  const parts = scheme
    .split(/[-\s>,]+/)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
  const types = parts.map((p) => {
    if (p === 'u' || p === 'user') return USER;
    if (p === 'i' || p === 'item') return ITEM;
    throw new ConfigError('schemes', `unknown node type ${JSON.stringify(p)} in scheme ${JSON.stringify(scheme)} (want U or I)`);
  });
  if (types.length < 3) {
    throw new ConfigError('schemes', 'a meta-path needs at least 3 node types, e.g. U-I-U', scheme);
  }
  for (let k = 1; k < types.length; k++) {
    if (types[k] === types[k - 1]) {
      throw new ConfigError(
        'schemes',
        'in the user-item graph users connect only to items, so a scheme must alternate U and I',
        scheme,
      );
    }
  }
  if (types[0] !== types[types.length - 1]) {
    throw new ConfigError('schemes', 'a meta-path must be symmetric (first type = last type) to be followed cyclically', scheme);
  }
  return { name: types.map((t) => (t === USER ? 'U' : 'I')).join('-'), cycle: types.slice(0, -1) };
}

function resolve(options: WalkOptions) {
  const o = { ...DEFAULT_WALK_OPTIONS, ...options };
  requireOption(Array.isArray(o.schemes) && o.schemes.length > 0, 'schemes', 'must be a non-empty list of meta-paths', o.schemes);
  requireOption(Number.isInteger(o.walksPerNode) && o.walksPerNode >= 1, 'walksPerNode', 'must be an integer ≥ 1', o.walksPerNode);
  requireOption(Number.isInteger(o.walkLength) && o.walkLength >= 2, 'walkLength', 'must be an integer ≥ 2 (a walk needs a step)', o.walkLength);
  requireOption(Number.isInteger(o.chunkWalks) && o.chunkWalks >= 1, 'chunkWalks', 'must be an integer ≥ 1', o.chunkWalks);
  requireOption(Number.isFinite(o.seed), 'seed', 'must be a number', o.seed);
  return { ...o, paths: o.schemes.map(parseMetaPath) };
}

/**
 * Streams meta-path walks in chunks. Iterate {@link chunks} once; `stats` is
 * complete after the iteration ends. Deterministic for a given seed.
 *
 * @example
 * const walker = new MetaPathWalker(graph, { walksPerNode: 5, walkLength: 20, seed: 1 });
 * for (const chunk of walker.chunks()) consume(chunk.tokens, chunk.offsets);
 * console.log(walker.stats.walks);
 */
export class MetaPathWalker {
  readonly options: ReturnType<typeof resolve>;
  readonly stats: WalkStats;
  /** (scheme index, start node) pairs, packed as scheme * numNodes + node. */
  private readonly starts: Float64Array;

  constructor(readonly graph: InteractionGraph, options: WalkOptions = {}) {
    this.options = resolve(options);
    if (graph.numEdges === 0) {
      throw new ConfigError('graph', 'the interaction graph has no edges (empty training split?): nothing to walk on');
    }
    const starts: number[] = [];
    const startsPerScheme: Record<string, number> = {};
    this.options.paths.forEach((p, s) => {
      let n = 0;
      for (let v = 0; v < graph.numNodes; v++) {
        if (graph.nodeType[v] === p.cycle[0] && graph.offsets[v + 1] > graph.offsets[v]) {
          starts.push(s * graph.numNodes + v);
          n++;
        }
      }
      startsPerScheme[p.name] = (startsPerScheme[p.name] ?? 0) + n;
    });
    this.starts = Float64Array.from(starts);
    this.stats = { walks: 0, tokens: 0, isolatedNodes: graph.isolatedNodes, startsPerScheme };
  }

  /** Upper bound of the corpus size: every walk at full length. */
  get maxTokens(): number {
    return this.starts.length * this.options.walksPerNode * this.options.walkLength;
  }

  /** Number of walks the corpus will hold. */
  get numWalks(): number {
    return this.starts.length * this.options.walksPerNode;
  }

  /** Yields the corpus chunk by chunk; each chunk's arrays are fresh (safe to keep). */
  *chunks(): Generator<WalkChunk> {
    const { walksPerNode, walkLength, chunkWalks, seed } = this.options;
    const { offsets: off, neighbours: nb, cumulativeWeights: cw, numNodes } = this.graph;
    const rng = new Rng(seed);
    const order = new Float64Array(this.starts);
    let tokens = new Int32Array(chunkWalks * walkLength);
    let offsets = new Int32Array(chunkWalks + 1);
    let w = 0;
    let t = 0;
    this.stats.walks = 0;
    this.stats.tokens = 0;
    for (let round = 0; round < walksPerNode; round++) {
      // Seeded Fisher-Yates over the start list (typed array, so not Rng.shuffle).
      for (let k = order.length - 1; k > 0; k--) {
        const j = rng.int(k + 1);
        const x = order[k];
        order[k] = order[j];
        order[j] = x;
      }
      for (let s = 0; s < order.length; s++) {
        let v = order[s] % numNodes;
        tokens[t++] = v;
        for (let step = 1; step < walkLength; step++) {
          const a = off[v];
          const d = off[v + 1] - a;
          if (d === 0) break; // cannot happen from a non-isolated start in an undirected graph; kept for safety
          let e: number;
          if (cw === undefined) e = a + rng.int(d);
          else {
            // Binary search of the first running sum above r.
            const r = rng.next() * cw[a + d - 1];
            let lo = a;
            let hi = a + d - 1;
            while (lo < hi) {
              const mid = (lo + hi) >>> 1;
              if (cw[mid] > r) hi = mid;
              else lo = mid + 1;
            }
            e = lo;
          }
          v = nb[e];
          tokens[t++] = v;
        }
        offsets[++w] = t;
        if (w === chunkWalks) {
          this.stats.walks += w;
          this.stats.tokens += t;
          yield { tokens, offsets, count: w };
          tokens = new Int32Array(chunkWalks * walkLength);
          offsets = new Int32Array(chunkWalks + 1);
          w = 0;
          t = 0;
        }
      }
    }
    if (w > 0) {
      this.stats.walks += w;
      this.stats.tokens += t;
      yield { tokens: tokens.slice(0, t), offsets: offsets.slice(0, w + 1), count: w };
    }
  }
}

/** A whole walk corpus in two flat arrays (optionally on a SharedArrayBuffer for worker threads). */
export interface WalkCorpus {
  tokens: Int32Array;
  /** Walk w is `tokens[offsets[w] .. offsets[w+1])`; length numWalks + 1. */
  offsets: Int32Array;
  numWalks: number;
  /** Names of the node ids used in `tokens`. */
  names: readonly string[];
}

/**
 * Runs the walker to the end and gathers the chunks into one corpus. With
 * `shared`, the arrays live on SharedArrayBuffers so worker threads read
 * them without a copy.
 */
export function collectWalks(
  graph: InteractionGraph,
  options: WalkOptions & { shared?: boolean } = {},
): { corpus: WalkCorpus; stats: WalkStats } {
  const walker = new MetaPathWalker(graph, options);
  const alloc = (n: number) =>
    options.shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n);
  const tokens = alloc(walker.maxTokens);
  const offsets = alloc(walker.numWalks + 1);
  let w = 0;
  let t = 0;
  for (const chunk of walker.chunks()) {
    tokens.set(chunk.tokens.subarray(0, chunk.offsets[chunk.count]), t);
    for (let k = 1; k <= chunk.count; k++) offsets[w + k] = t + chunk.offsets[k];
    w += chunk.count;
    t += chunk.offsets[chunk.count];
  }
  return {
    corpus: { tokens: t === tokens.length ? tokens : tokens.subarray(0, t), offsets, numWalks: w, names: graph.names },
    stats: walker.stats,
  };
}
