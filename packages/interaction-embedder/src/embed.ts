/**
 * The front door: training interactions → graph → meta-path walks →
 * skip-gram vectors for every user and item in one space (META ID, Huang et
 * al., ICML 2025, §3.1: "we construct a bipartite graph from user-item
 * interactions, sample meta-path random walks and learn representations with
 * skip-gram", following metapath2vec).
 */
import type { EmbeddingTable, Split } from '@meta-id/core';
import { buildInteractionGraph, type GraphOptions } from './graph.js';
import { collectWalks, type WalkOptions, type WalkStats } from './walks.js';
import { trainSkipGram, type SkipGramOptions, type TrainingStats } from './skipgram/trainer.js';

/** Options of {@link embedInteractions}: graph, walk and skip-gram options in one object (see each type for defaults). */
export interface EmbedOptions extends GraphOptions, Omit<WalkOptions, 'seed'>, Omit<SkipGramOptions, 'seed'> {
  /** Seed of the walks and of the skip-gram trainer (the trainer uses seed + 1). Default 42. */
  seed?: number;
}

/** What {@link embedInteractions} did, stage by stage. */
export interface EmbedStats {
  graph: { users: number; items: number; edges: number; isolatedNodes: number };
  walks: WalkStats & { seconds: number };
  training: TrainingStats;
  /** Wall seconds of the whole call. */
  seconds: number;
}

/**
 * Embeds the users and items of a split's training interactions (validation
 * and test are never read). Ids are `u:<raw>` / `i:<raw>` (core
 * `entityKey`) when `names` is given (usually the dataset), else dense indices.
 * Entities with no training interaction get no vector (counted in
 * `stats.graph.isolatedNodes`).
 *
 * @example
 * import { generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
 * import { embedInteractions, saveEmbeddings } from '@meta-id/interaction-embedder';
 *
 * const dataset = generateSyntheticDataset({ seed: 1, users: 300, items: 120 });
 * const { table, stats } = await embedInteractions(leaveOneOutSplit(dataset), { names: dataset, dim: 32 });
 * console.log(table.ids.length, stats.training.wordsPerSecond);
 * saveEmbeddings('embeddings.vec', table);
 */
export async function embedInteractions(
  split: Split,
  options: EmbedOptions = {},
): Promise<{ table: EmbeddingTable; stats: EmbedStats }> {
  const t0 = performance.now();
  const seed = options.seed ?? 42;
  const graph = buildInteractionGraph(split, options);
  const tw = performance.now();
  const { corpus, stats: walkStats } = collectWalks(graph, { ...options, seed, shared: true });
  const walkSeconds = (performance.now() - tw) / 1000;
  if (options.progress !== false && typeof options.progress !== 'function' && walkSeconds > 1) {
    process.stderr.write(
      `[meta-id] walks: ${walkStats.walks} walks, ${(walkStats.tokens / 1e6).toFixed(1)}M words in ${walkSeconds.toFixed(1)} s` +
        ` (${walkStats.isolatedNodes} isolated nodes without training edges)\n`,
    );
  }
  const { table, stats: training } = await trainSkipGram(corpus, { ...options, seed: seed + 1 });
  return {
    table,
    stats: {
      graph: { users: graph.numUsers, items: graph.numItems, edges: graph.numEdges, isolatedNodes: graph.isolatedNodes },
      walks: { ...walkStats, seconds: walkSeconds },
      training,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}
