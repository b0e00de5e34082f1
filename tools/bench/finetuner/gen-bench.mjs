#!/usr/bin/env node
// Constrained beam search throughput on Beauty shapes: all (or --users N) test
// users, beam 10, full ranking over 12,101 items, with a checkpoint (--model dir)
// or a randomly initialised model of the default size. Prints users/s and peak RSS.
//   node tools/bench/finetuner/gen-bench.mjs --model /work/cache/finetuner/beauty/final
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initTfjs } from '@meta-id/kernels';
import { entityKey, leaveOneOutSplit, userSequences } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import { WordLevelTokenizer, extendTokenizer, parseMetaIdIndexing, codebookFromIndexing } from '@meta-id/vocab-extender';
import { T5Model, makeConfig, loadModel, PromptEncoder, promptTexts, evaluationSources, ItemTrie, recommend } from '@meta-id/llm-finetuner';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values: a } = parseArgs({ options: {
  users: { type: 'string', default: '0' }, model: { type: 'string' }, batch: { type: 'string', default: '64' },
  beam: { type: 'string', default: '10' }, separator: { type: 'string', default: 'none' }, 'exclude-history': { type: 'boolean', default: false },
  out: { type: 'string' },
  template: { type: 'string', default: '-1' },
} });
const log = (s) => process.stderr.write(`[gen ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const { backend } = await initTfjs();
const data = await readDatasetFile(join(repo, '../shared/data/amazon-p5/beauty/user_sequence.txt'));
const split = leaveOneOutSplit(data);
const ref = join(repo, '../shared/data/meta-id-reference/beauty');
const itemBook = codebookFromIndexing(parseMetaIdIndexing(readFileSync(join(ref, 'item_metapath_indexing_kmcos_100_ag.txt'), 'utf8'), 'item'));
const userBook = codebookFromIndexing(parseMetaIdIndexing(readFileSync(join(ref, 'user_metapath_indexing_kmcos_100_ag.txt'), 'utf8'), 'user'));
const separator = a.separator === 'none' ? '' : a.separator;
let tokenizer = WordLevelTokenizer.fromTexts(promptTexts({ historySeparator: separator || ',' }));
tokenizer = extendTokenizer(extendTokenizer(tokenizer, itemBook).tokenizer, userBook).tokenizer;
const itemCodes = data.items.ids.map((raw) => itemBook.codes[entityKey('item', raw)]);
const userCodes = data.users.ids.map((raw) => userBook.codes[entityKey('user', raw)]);
const encoder = new PromptEncoder({ tokenizer, itemCodes, userCodes, historySeparator: separator });
const trie = ItemTrie.fromTokens(itemCodes, tokenizer);
const model = a.model ? loadModel(a.model) : new T5Model(makeConfig({ vocabSize: tokenizer.vocabulary.tokens.length }));
let test = evaluationSources(split, 'test');
if (Number(a.users) > 0) test = test.slice(0, Number(a.users));
const seen = userSequences([...split.train, ...split.validation], split.numUsers);
const inputs = test.map((s) => encoder.encode(s, Number(a.template)).input);
const t0 = performance.now();
const recs = recommend(model, inputs, trie, {
  beamSize: Number(a.beam), topK: 10, batchSize: Number(a.batch),
  exclude: a['exclude-history'] ? test.map((s) => seen[s.user]) : undefined,
  onProgress: (done, total) => done % 3200 === 0 && log(`${done}/${total} users, ${(done / ((performance.now() - t0) / 1000)).toFixed(1)} users/s`),
});
const seconds = (performance.now() - t0) / 1000;
const valid = recs.every((r) => r.items.length === new Set(r.items).size && r.items.every((i) => Number.isInteger(i) && i >= 0 && i < data.items.size && trie.codes[i]));
const metrics = {};
for (const k of [5, 10]) {
  let hr = 0, ndcg = 0;
  recs.forEach((r, i) => { const rank = r.items.slice(0, k).indexOf(test[i].item); if (rank >= 0) { hr++; ndcg += 1 / Math.log2(rank + 2); } });
  metrics[`HR@${k}`] = +(hr / test.length).toFixed(4); metrics[`NDCG@${k}`] = +(ndcg / test.length).toFixed(4);
}
const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const out = { users: test.length, beam: Number(a.beam), seconds: +seconds.toFixed(1), usersPerSecond: +(test.length / seconds).toFixed(1), peakRssMb: Math.round(hwm), allValidAndDistinct: valid, metrics, model: a.model ?? 'random init (default small)', template: Number(a.template) < 0 ? 'held-out test template' : `training template ${a.template}`, backend, excludeHistory: a['exclude-history'] };
console.log(JSON.stringify(out));
if (a.out) (await import('node:fs')).writeFileSync(a.out, JSON.stringify(out, null, 2) + '\n');
