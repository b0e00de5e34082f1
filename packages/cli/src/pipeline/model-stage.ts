/**
 * Training and recommendation for one item-id scheme: tokenizer from the
 * prompt templates plus the scheme's code tokens, embedding rows initialised
 * from the codebook (META ID's centroids; random for baselines), the
 * representation augmentation for OOV tokens, multi-task fine-tuning with
 * early stopping on validation NDCG@10, then trie-constrained beam search for
 * every test user.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { entityKey, MetaIdError, userSequences, type Dataset, type Ranking, type Split, type TokenCodebook } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import { initTfjs } from '@meta-id/kernels';
import { WordLevelTokenizer, buildVocabExtension } from '@meta-id/vocab-extender';
import {
  ItemTrie,
  PromptEncoder,
  T5Model,
  evaluationSources,
  loadModel,
  makeConfig,
  PRESETS,
  promptTexts,
  recommend,
  saveModel,
  trainModel,
  trainingSources,
} from '@meta-id/llm-finetuner';
import type { PipelineConfig } from './config.js';

/** Item codes (index = item) and user codes (index = user, when the scheme codes users) of a codebook. */
export function codesOf(codebook: TokenCodebook, dataset: Dataset): { itemCodes: string[][]; userCodes?: string[][] } {
  const itemCodes = dataset.items.ids.map((raw) => {
    const code = codebook.codes[entityKey('item', raw)];
    if (!code) throw new MetaIdError(`codebook (${codebook.scheme}) has no code for item ${raw}`);
    return code;
  });
  const hasUsers = dataset.users.ids.length > 0 && codebook.codes[entityKey('user', dataset.users.ids[0])] !== undefined;
  const userCodes = hasUsers
    ? dataset.users.ids.map((raw) => {
        const code = codebook.codes[entityKey('user', raw)];
        if (!code) throw new MetaIdError(`codebook (${codebook.scheme}) has codes for users but none for user ${raw}`);
        return code;
      })
    : undefined;
  return { itemCodes, userCodes };
}

/**
 * In-vocabulary user ids for schemes that do not code users: the user's
 * number as digits (P5 style), in tokens as wide as the item code tokens, so
 * that a user's code text and an item's split into tokens the same way (CID
 * spells its numbers with two digits: user 123 of 22,363 is `00 01 23`).
 */
function digitUserCodes(dataset: Dataset, itemCodes: string[][]): string[][] {
  const widths = new Set(itemCodes.flat().map((t) => (/^\d+$/.test(t) ? t.length : -1)));
  const width = widths.size === 1 && !widths.has(-1) ? [...widths][0] : 1;
  const digits = Math.ceil(String(dataset.users.size).length / width) * width;
  const chunk = new RegExp(`\\d{${width}}`, 'g');
  return dataset.users.ids.map((_, u) => String(u + 1).padStart(digits, '0').match(chunk)!);
}

/**
 * The scheme's vocabulary: the prompt words plus every code token, with the
 * new embedding rows of the vocab-extender (which checks that each item's
 * code text reads back as exactly its tokens).
 */
export function schemeVocabulary(codebook: TokenCodebook, dataset: Dataset, config: PipelineConfig) {
  const { itemCodes, userCodes: coded } = codesOf(codebook, dataset);
  const userCodes = coded ?? digitUserCodes(dataset, itemCodes);
  // Every word the prompts use, plus each code token, so nothing maps to <unk>;
  // user tokens the item codes do not use become whole tokens too.
  const itemTokens = new Set(codebook.tokens.map((t) => t.token));
  const userOnly = [...new Set(userCodes.flat())].filter((t) => !itemTokens.has(t)).sort();
  const base = WordLevelTokenizer.fromTexts([...promptTexts(), ...userCodes.map((c) => c.join(' '))], { addedTokens: userOnly });
  const width = (config.model.overrides.dModel as number | undefined) ?? PRESETS[config.model.preset].dModel;
  const built = buildVocabExtension({ tokenizer: base, codebook, dim: width, seed: config.seed });
  return { itemCodes, userCodes, built };
}

export interface TrainSummary extends Record<string, unknown> {
  scheme: string;
  vocabSize: number;
  parameters: number;
  steps: number;
  seconds: number;
  tokensPerSecond: number;
  lastLoss: number;
  bestValidationNdcg10: number;
  history: [number, number][];
}

/** Trains one scheme's model into `dir` (model checkpoint, tokenizer.json, training.json). */
export async function trainScheme(
  dir: string,
  scheme: string,
  codebook: TokenCodebook,
  dataset: Dataset,
  split: Split,
  config: PipelineConfig,
  log: (line: string) => void,
): Promise<TrainSummary> {
  const { backend } = await initTfjs('auto', { quiet: true });
  log(`tfjs backend: ${backend}`);
  const { itemCodes, userCodes, built } = schemeVocabulary(codebook, dataset, config);
  const tokenizer = built.tokenizer;
  const modelConfig = makeConfig({ ...(config.model.overrides as object), vocabSize: built.rows }, config.model.preset);
  const model = new T5Model(modelConfig, { seed: config.seed });
  model.weights.get('shared.weight')!.assign(tf.tensor2d(built.embeddings, [built.rows, built.dim]));
  const aug = built.centroids;
  if (scheme === 'meta-id' && aug.tokenIds.length > 0) model.setAugmentation(aug.tokenIds, aug.centroids, aug.dim, config.seed);

  const encoder = new PromptEncoder({ tokenizer, itemCodes, userCodes, maxHistory: config.train.maxHistory });
  const trie = ItemTrie.fromTokens(itemCodes, tokenizer);
  const sources = trainingSources(split, { tasks: config.train.tasks, maxHistory: config.train.maxHistory });
  // Early stopping looks at a fixed sample of validation users, so its cost stays bounded on big datasets.
  const validationSources = evaluationSources(split, 'validation', { maxHistory: config.train.maxHistory }).slice(0, 2000);
  const result = await trainModel(
    model,
    encoder,
    sources,
    {
      epochs: config.train.epochs,
      batchSize: config.train.batchSize,
      lr: config.train.learningRate,
      maxMinutes: config.train.maxMinutes,
      maxSteps: config.train.maxSteps,
      // A step budget is also the length of the learning-rate schedule, so the rate has decayed when training stops.
      totalSteps: config.train.maxSteps,
      seed: config.seed,
      checkpointDir: join(dir, 'checkpoints'),
      log,
    },
    { sources: validationSources, trie, beamSize: 10 },
  );
  saveModel(join(dir, 'model'), model);
  writeFileAtomic(join(dir, 'tokenizer.json'), tokenizer.toTokenizerJson());
  writeFileAtomic(join(dir, 'codes.json'), JSON.stringify({ itemCodes, userCodes }));
  const parameters = [...model.weights.values()].reduce((n, v) => n + v.size, 0);
  const summary: TrainSummary = {
    scheme,
    vocabSize: built.rows,
    parameters,
    steps: result.state.step,
    seconds: result.seconds,
    tokensPerSecond: result.tokensPerSecond,
    lastLoss: result.lastLoss,
    bestValidationNdcg10: result.state.bestScore,
    history: result.state.history,
  };
  writeFileAtomic(join(dir, 'training.json'), `${JSON.stringify(summary, null, 2)}\n`);
  model.dispose();
  return summary;
}

/** Recommends `beamSize` items for every test user with the trained model in `trainDir`. */
export async function recommendScheme(
  trainDir: string,
  split: Split,
  config: PipelineConfig,
  log: (line: string) => void,
): Promise<Ranking[]> {
  await initTfjs('auto', { quiet: true });
  for (const f of ['model', 'tokenizer.json', 'codes.json']) {
    if (!existsSync(join(trainDir, f))) throw new MetaIdError(`training artifact missing: ${join(trainDir, f)}`);
  }
  const tokenizer = WordLevelTokenizer.fromTokenizerJson(readFileSync(join(trainDir, 'tokenizer.json'), 'utf8'));
  const { itemCodes, userCodes } = JSON.parse(readFileSync(join(trainDir, 'codes.json'), 'utf8')) as { itemCodes: string[][]; userCodes: string[][] };
  const model = loadModel(join(trainDir, 'model'));
  const encoder = new PromptEncoder({ tokenizer, itemCodes, userCodes, maxHistory: config.train.maxHistory });
  const trie = ItemTrie.fromTokens(itemCodes, tokenizer);
  const sources = evaluationSources(split, 'test', { maxHistory: config.train.maxHistory });
  const inputs = sources.map((s) => encoder.encode(s, -1).input); // -1: the held-out test template
  const seen = config.generate.excludeHistory ? userSequences([...split.train, ...split.validation], split.numUsers) : undefined;
  const t0 = performance.now();
  let lastLog = t0;
  const recs = recommend(model, inputs, trie, {
    beamSize: config.generate.beamSize,
    exclude: seen ? sources.map((s) => seen[s.user]) : undefined,
    onProgress: (done, total) => {
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        const rate = done / ((lastLog - t0) / 1000);
        log(`beam search ${done}/${total} users (${rate.toFixed(0)} users/s, ${((total - done) / rate).toFixed(0)} s left)`);
      }
    },
  });
  model.dispose();
  return recs.map((r, i) => ({ user: sources[i].user, items: r.items, scores: r.scores }));
}
