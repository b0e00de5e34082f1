/**
 * The META ID method as a short program over the packages' public APIs:
 * split → walks + skip-gram → OOV codes → vocabulary → fine-tuning →
 * constrained beam search → metrics. `meta-id run` does the same with
 * artifacts on disk; this is the version to read, copy and change.
 * (Run as a test: packages/cli/src/docs-examples.test.ts.)
 */
import { generateSyntheticDataset, leaveOneOutSplit, entityKey } from '@meta-id/core';
import { embedInteractions } from '@meta-id/interaction-embedder';
import { buildCodebook } from '@meta-id/token-clusterer';
import { WordLevelTokenizer, buildVocabExtension } from '@meta-id/vocab-extender';
import { initTfjs } from '@meta-id/kernels';
import * as tf from '@tensorflow/tfjs-core';
import {
  ItemTrie, PromptEncoder, T5Model, evaluationSources, makeConfig, promptTexts, recommend, trainModel, trainingSources,
} from '@meta-id/llm-finetuner';
import { rankingMetrics } from '@meta-id/evaluator';

export async function composeMetaId({ users = 300, items = 120, k = 8, minutes = 0.5, seed = 1 } = {}) {
  await initTfjs();
  const dataset = generateSyntheticDataset({ seed, users, items, categories: 4, communities: 4, maxLength: 10 });
  const split = leaveOneOutSplit(dataset); // last item = test, second last = validation

  // 1. Users and items in one vector space, from U-I-U / I-U-I walks and skip-gram.
  const { table } = await embedInteractions(split, { names: dataset, dim: 32, walksPerNode: 5, epochs: 2, seed, progress: false });

  // 2. OOV codes: a coarse cluster token plus a fine rank token per entity.
  const codebook = await buildCodebook(table, { scheme: 'meta-id', k, seed, printStats: false });
  const code = (type: 'user' | 'item', raw: string) => codebook.codes[entityKey(type, raw)];
  const itemCodes = dataset.items.ids.map((raw) => code('item', raw));
  const userCodes = dataset.users.ids.map((raw) => code('user', raw));

  // 3. A word-level vocabulary of the prompt templates, extended with the codes;
  //    new rows start from the cluster centroids.
  const shape = { dModel: 64, dKv: 16, numHeads: 4, dFf: 128, numLayers: 1, numDecoderLayers: 1 };
  const vocab = buildVocabExtension({ tokenizer: WordLevelTokenizer.fromTexts(promptTexts()), codebook, dim: shape.dModel, seed });
  const model = new T5Model(makeConfig({ ...shape, vocabSize: vocab.rows }), { seed });
  model.weights.get('shared.weight')!.assign(tf.tensor2d(vocab.embeddings, [vocab.rows, vocab.dim]));
  model.setAugmentation(vocab.centroids.tokenIds, vocab.centroids.centroids, vocab.centroids.dim); // + alpha·W·c

  // 4. Fine-tune on sequential and direct prompts from the training split only.
  const encoder = new PromptEncoder({ tokenizer: vocab.tokenizer, itemCodes, userCodes });
  const trie = ItemTrie.fromTokens(itemCodes, vocab.tokenizer);
  await trainModel(model, encoder, trainingSources(split, { tasks: ['sequential', 'direct'] }), {
    epochs: 5, batchSize: 32, lr: 2e-3, maxMinutes: minutes, seed, log: () => {},
  });

  // 5. Beam search constrained to real item codes, held-out template, test users.
  const sources = evaluationSources(split, 'test');
  const recs = recommend(model, sources.map((s) => encoder.encode(s, -1).input), trie, { beamSize: 10 });
  const rankings = recs.map((r, i) => ({ user: sources[i].user, items: r.items, scores: r.scores }));
  model.dispose(); // frees its tensors (and its variable names, for the next model in this process)
  return rankingMetrics(rankings, split, { ks: [5, 10] }).metrics;
}
