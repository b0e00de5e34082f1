#!/usr/bin/env node
// Trains the fine-tuner on Amazon Beauty (P5 processing, leave-one-out) and
// evaluates the sequential task with full ranking over all 12,101 items on the
// test split (held-out template, trie-constrained beam search, beam 10).
//
//   node tools/bench/finetuner/train-beauty.mjs --minutes 75 --out /work/cache/finetuner/beauty
//   node tools/bench/finetuner/train-beauty.mjs --codebook runs/beauty/codes/meta-id/codebook.json --data sequential_data.txt
//
// Item and user codes: a codebook JSON from @meta-id/token-clusterer
// (--codebook file.json, with centroids → representation augmentation on), or
// by default the META ID authors' released Beauty codes
// (../shared/data/meta-id-reference/beauty; no centroids there, so no augmentation).
// Writes <out>/results.json and <out>/train.log-style progress to stderr;
// checkpoints to <out>/last and <out>/best. Resume with --resume <out>/last.
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initTfjs } from '@meta-id/kernels';
import { entityKey, leaveOneOutSplit, Rng, userSequences } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import { WordLevelTokenizer, extendTokenizer, parseMetaIdIndexing, codebookFromIndexing, centroidInputs } from '@meta-id/vocab-extender';
import { T5Model, makeConfig, loadModel, PromptEncoder, promptTexts, trainingSources, evaluationSources, ItemTrie, trainModel, recommend, saveModel } from '@meta-id/llm-finetuner';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: '/work/cache/finetuner/beauty' },
    minutes: { type: 'string', default: '75' },
    epochs: { type: 'string', default: '20' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '2e-3' },
    warmup: { type: 'string', default: '300' },
    d: { type: 'string', default: '128' },
    heads: { type: 'string', default: '4' },
    ff: { type: 'string', default: '512' },
    layers: { type: 'string', default: '2' },
    'decoder-layers': { type: 'string' },
    dropout: { type: 'string', default: '0.1' },
    'max-history': { type: 'string', default: '10' },
    separator: { type: 'string', default: ',' },
    'direct-weight': { type: 'string', default: '0' },
    'val-users': { type: 'string', default: '2000' },
    'eval-every': { type: 'string', default: '0' },
    // evaluations without a validation gain before stopping early (0: never stop early)
    patience: { type: 'string', default: '3' },
    'test-users': { type: 'string', default: '0' },
    'exclude-history': { type: 'boolean', default: false },
    codebook: { type: 'string' },
    resume: { type: 'string' },
    init: { type: 'string' },
    'total-steps': { type: 'string' },
    'max-steps': { type: 'string' },
    seed: { type: 'string', default: '42' },
    'users-limit': { type: 'string', default: '0' },
    // P5 ships Beauty twice: raw ASINs (user_sequence.txt) and remapped integer
    // ids (sequential_data.txt, what `meta-id run` reads). The codebook's keys
    // must come from the same file, so a `meta-id run` codebook needs the latter.
    data: { type: 'string', default: 'user_sequence.txt' },
  },
});
const num = (k) => Number(a[k]);
const log = (s) => process.stderr.write(`[beauty ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
mkdirSync(a.out, { recursive: true });
const started = Date.now();
const { backend } = await initTfjs();

// --- data -------------------------------------------------------------------
const dataDir = join(repo, '../shared/data/amazon-p5/beauty');
if (!existsSync(dataDir)) throw new Error(`Beauty data not found at ${dataDir}`);
let data = await readDatasetFile(join(dataDir, a.data));
const split = leaveOneOutSplit(data);
log(`Beauty: ${data.users.size} users, ${data.items.size} items, train ${split.train.length}, backend ${backend}`);

// --- codes --------------------------------------------------------------------
let itemBook, userBook, codesFrom;
if (a.codebook) {
  const book = JSON.parse(readFileSync(a.codebook, 'utf8'));
  itemBook = userBook = book;
  codesFrom = a.codebook;
} else {
  const ref = join(repo, '../shared/data/meta-id-reference/beauty');
  itemBook = codebookFromIndexing(parseMetaIdIndexing(readFileSync(join(ref, 'item_metapath_indexing_kmcos_100_ag.txt'), 'utf8'), 'item'), 'meta-id-reference-items');
  userBook = codebookFromIndexing(parseMetaIdIndexing(readFileSync(join(ref, 'user_metapath_indexing_kmcos_100_ag.txt'), 'utf8'), 'user'), 'meta-id-reference-users');
  codesFrom = 'META ID authors released Beauty codes (meta-id-reference/beauty)';
}
const itemCodes = data.items.ids.map((raw) => {
  const c = itemBook.codes[entityKey('item', raw)];
  if (!c) throw new Error(`no code for item ${raw} in ${codesFrom} (every item needs one: assign cold-start codes with @meta-id/token-clusterer first)`);
  return c;
});
const userCodes = data.users.ids.map((raw) => {
  const c = userBook.codes[entityKey('user', raw)];
  if (!c) throw new Error(`no code for user ${raw} in ${codesFrom} (every user needs one: assign cold-start codes with @meta-id/token-clusterer first)`);
  return c;
});

// --- tokenizer ----------------------------------------------------------------
const separator = a.separator === 'none' ? '' : a.separator;
let tokenizer = WordLevelTokenizer.fromTexts(promptTexts({ historySeparator: separator || ',' }));
tokenizer = extendTokenizer(tokenizer, itemBook).tokenizer;
if (userBook !== itemBook) tokenizer = extendTokenizer(tokenizer, userBook).tokenizer;
log(`codes: ${codesFrom}; vocabulary ${tokenizer.vocabulary.tokens.length} tokens`);

// --- prompts --------------------------------------------------------------------
const maxHistory = num('max-history');
const encoder = new PromptEncoder({ tokenizer, itemCodes, userCodes, maxHistory, historySeparator: separator });
const tasks = num('direct-weight') > 0 ? ['sequential', 'direct'] : ['sequential'];
const sources = trainingSources(split, { tasks, maxHistory });
{
  const probe = sources.slice(0, 2000).map((s) => encoder.encode(s, 0));
  const unk = probe.reduce((n, e) => n + e.input.filter((t) => t === tokenizer.vocabulary.unkId).length, 0);
  const meanLen = probe.reduce((n, e) => n + e.input.length, 0) / probe.length;
  if (unk > 0) throw new Error(`${unk} unknown tokens in prompts: the tokenizer misses template words`);
  log(`training sources: ${sources.length} (${tasks.join('+')}), mean input ${meanLen.toFixed(1)} tokens; example: ${encoder.render(sources[5], 0).input} → ${encoder.render(sources[5], 0).target}`);
}
const trie = ItemTrie.fromTokens(itemCodes, tokenizer);
const valRng = new Rng(7);
const valAll = evaluationSources(split, 'validation', { maxHistory });
const valSources = num('val-users') > 0 && num('val-users') < valAll.length ? valRng.shuffle(valAll.slice()).slice(0, num('val-users')) : valAll;
const history = userSequences(split.train, split.numUsers);

// --- model ----------------------------------------------------------------------
const d = num('d');
const config = makeConfig({
  vocabSize: tokenizer.vocabulary.tokens.length,
  dModel: d, numHeads: num('heads'), dKv: d / num('heads'), dFf: num('ff'),
  numLayers: num('layers'), numDecoderLayers: Number(a['decoder-layers'] ?? a.layers),
  dropoutRate: num('dropout'),
  padTokenId: tokenizer.vocabulary.padId, eosTokenId: tokenizer.vocabulary.eosId, decoderStartTokenId: tokenizer.vocabulary.padId,
});
// --init continues from the weights of an earlier run (a second phase with a fresh optimiser and schedule).
const model = a.init ? loadModel(a.init) : new T5Model(config, { seed: num('seed') });
if (a.init) log(`initial weights from ${a.init}`);
let augmented = false;
if (itemBook.tokens.some((t) => t.centroid)) {
  const ci = centroidInputs(tokenizer, itemBook);
  model.setAugmentation(ci.tokenIds, ci.centroids, ci.dim);
  augmented = true;
  log(`representation augmentation on ${ci.tokenIds.length} tokens (dim ${ci.dim}, alpha ${config.augmentAlpha})`);
} else log('codebook has no centroids: representation augmentation off');
log(`model: ${model.parameterCount} parameters ${JSON.stringify(config)}`);

const options = {
  epochs: num('epochs'), batchSize: num('batch'), lr: num('lr'), warmupSteps: num('warmup'), weightDecay: 0.01, clipNorm: 1,
  taskWeights: { sequential: 1, direct: num('direct-weight') }, seed: num('seed'),
  checkpointDir: a.out, checkpointEvery: 500, evalEvery: num('eval-every'), patience: num('patience'), maxMinutes: num('minutes'),
  resumeFrom: a.resume, logEvery: 50,
  ...(a['total-steps'] ? { totalSteps: num('total-steps') } : {}),
  ...(a['max-steps'] ? { maxSteps: num('max-steps') } : {}),
};
const peak = () => {
  const m = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const result = await trainModel(model, encoder, sources, options, {
  sources: valSources, trie, beamSize: 10,
  exclude: a['exclude-history'] ? valSources.map((s) => history[s.user]) : undefined,
});
const trainPeakMb = peak();
saveModel(join(a.out, 'final'), model);
const trainMinutes = (Date.now() - started) / 60000;
log(`training done: step ${result.state.step}, ${result.tokensPerSecond.toFixed(0)} tok/s, peak RSS ${trainPeakMb.toFixed(0)} MB, ${trainMinutes.toFixed(1)} min`);

// --- test: full ranking, held-out template -----------------------------------------
let test = evaluationSources(split, 'test', { maxHistory });
if (num('test-users') > 0) test = test.slice(0, num('test-users'));
const testHistory = userSequences([...split.train, ...split.validation], split.numUsers);
const t0 = Date.now();
const recs = recommend(model, test.map((s) => encoder.encode(s, -1).input), trie, {
  beamSize: 10, topK: 10, batchSize: 64,
  exclude: a['exclude-history'] ? test.map((s) => testHistory[s.user]) : undefined,
  onProgress: (done, total) => done % 3200 === 0 && log(`test ${done}/${total}`),
});
const genSeconds = (Date.now() - t0) / 1000;
const metrics = {};
for (const k of [5, 10]) {
  let hr = 0, ndcg = 0;
  recs.forEach((r, i) => {
    const rank = r.items.slice(0, k).indexOf(test[i].item);
    if (rank >= 0) { hr++; ndcg += 1 / Math.log2(rank + 2); }
  });
  metrics[`HR@${k}`] = hr / test.length;
  metrics[`NDCG@${k}`] = ndcg / test.length;
}
const valid = recs.every((r) => r.items.length === new Set(r.items).size && r.items.every((i) => i >= 0 && i < data.items.size));
const out = {
  dataset: 'beauty', split: 'leave-one-out test', users: test.length, items: data.items.size, fullRanking: true, beam: 10,
  template: 'held-out (sequential-test)', excludeHistory: a['exclude-history'], metrics, allOutputsValidAndDistinct: valid,
  codes: codesFrom, augmentation: augmented, initFrom: a.init ?? null, config, options: { ...options, resumeFrom: undefined },
  trainSteps: result.state.step, validation: result.state.history, bestValidationNdcg10: result.state.bestScore,
  trainTokensPerSecond: result.tokensPerSecond, trainPeakRssMb: trainPeakMb, generationSeconds: genSeconds, peakRssMbAfterGeneration: peak(),
  wallMinutes: (Date.now() - started) / 60000, backend, command: process.argv.slice(1).join(' '),
};
writeFileSync(join(a.out, 'results.json'), JSON.stringify(out, null, 2) + '\n');
log(`TEST ${JSON.stringify(metrics)} (generation ${genSeconds.toFixed(0)} s for ${test.length} users; valid ${valid})`);
