/**
 * Swapping one stage for your own: the `meta-id run` pipeline with (a) a code
 * scheme of your own behind token-clusterer's `CodeScheme` interface, and
 * (b) entity vectors made elsewhere (say, gensim's `save_word2vec_format`),
 * given as `embeddingsFile`. Everything else is the stock pipeline.
 * (Run as a test: packages/cli/src/docs-examples.test.ts.)
 */
import { Rng, type EmbeddingTable } from '@meta-id/core';
import type { CodeScheme, ClustererCodebook } from '@meta-id/token-clusterer';
import { resolveConfig, runPipeline } from '@meta-id/cli';

/**
 * A toy scheme: random-hyperplane hashing (LSH). The coarse token is the
 * sign pattern of `bits` random projections (`<LSH5>`), so entities pointing
 * the same way share it; the fine token numbers entities inside a bucket.
 */
export const lshScheme: CodeScheme = {
  name: 'lsh',
  async fit(table: EmbeddingTable, options = {}): Promise<ClustererCodebook> {
    const bits = 3;
    const rng = new Rng(options.seed ?? 42);
    const planes = Float32Array.from({ length: bits * table.dim }, () => rng.normal());
    const codes: Record<string, string[]> = {};
    const members = new Map<string, number>();
    table.ids.forEach((id, r) => {
      let bucket = 0;
      for (let b = 0; b < bits; b++) {
        let dot = 0;
        for (let j = 0; j < table.dim; j++) dot += planes[b * table.dim + j] * table.vectors[r * table.dim + j];
        if (dot > 0) bucket |= 1 << b;
      }
      const coarse = `<LSH${bucket}>`;
      const rank = members.get(coarse) ?? 0;
      members.set(coarse, rank + 1);
      codes[id] = [coarse, `<${1001 + rank}>`];
    });
    const tokens = new Map<string, { token: string; level: number; members: number }>();
    for (const code of Object.values(codes)) {
      code.forEach((token, level) => {
        const t = tokens.get(token) ?? { token, level, members: 0 };
        t.members++;
        tokens.set(token, t);
      });
    }
    return { scheme: 'lsh', dim: table.dim, tokens: [...tokens.values()], codes } as ClustererCodebook;
  },
};

/** The stock pipeline with both stages swapped; returns the comparison table. */
export async function runWithSwappedStages(runsDir: string, embeddingsFile: string) {
  const config = resolveConfig({
    name: 'swapped',
    runsDir,
    seed: 5,
    data: { synthetic: { users: 120, items: 48, categories: 4, communities: 4, maxLength: 8 } },
    embeddingsFile, // (b): vectors from elsewhere instead of walks + skip-gram
    schemes: ['meta-id', 'popularity'],
    model: { overrides: { dModel: 32, dKv: 8, numHeads: 2, dFf: 64, numLayers: 1, numDecoderLayers: 1 } },
    train: { epochs: 1, batchSize: 32, maxMinutes: 0.1 },
    generate: { beamSize: 10 },
    evaluate: { ks: [5, 10] },
  });
  return runPipeline(config, { codeScheme: lshScheme, log: () => {} }); // (a): our own clusterer
}
