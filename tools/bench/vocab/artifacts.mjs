#!/usr/bin/env node
/**
 * Embedding growth and artifact I/O at t5-small scale: a 32,100-id vocabulary
 * with a 512-wide matrix, grown by the 1,319 tokens of the META ID authors'
 * Beauty codebook (../shared/data), with centroids of width 64 drawn at random
 * (their release has no centroids). Checks that the reloaded tensors are
 * bit-identical.
 *
 * Usage (from the repo root, after `cd packages/vocab-extender && npx tsup`):
 *   node tools/bench/vocab/artifacts.mjs [--runs 3]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@meta-id/core';
import { WordLevelTokenizer, codebookFromIndexing, extendTokenizer, growEmbeddings, centroidInputs, parseMetaIdIndexing, randomProjection } from '@meta-id/vocab-extender';
import { readVocabExtension, writeVocabExtension } from '@meta-id/vocab-extender/node';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const data = (rel) => resolve(root, '../shared/data', rel);
const items = data('meta-id-reference/beauty/item_metapath_indexing_kmcos_100_ag.txt');
const users = data('meta-id-reference/beauty/user_metapath_indexing_kmcos_100_ag.txt');
if (!existsSync(items) || !existsSync(users)) {
  console.error('missing ../shared/data/meta-id-reference/beauty');
  process.exit(2);
}
const log = (...a) => console.error('[vocab-artifacts]', ...a);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load0 = loadavg()[0];

const VOCAB = 32_100;
const DIM = 512;
const CDIM = 64;
const codebook = codebookFromIndexing([...parseMetaIdIndexing(readFileSync(items, 'utf8'), 'item'), ...parseMetaIdIndexing(readFileSync(users, 'utf8'), 'user')]);
const rng = new Rng(1);
for (const t of codebook.tokens) t.centroid = Array.from({ length: CDIM }, () => rng.normal());
codebook.dim = CDIM;
// A vocabulary of t5-small's size: specials, ▁, and 32,096 made-up words.
const base = WordLevelTokenizer.fromTexts([Array.from({ length: VOCAB - 4 }, (_, i) => `w${i}`).join(' ')]);
if (base.size !== VOCAB) throw new Error(`vocabulary has ${base.size} ids`);
const baseMatrix = Float32Array.from({ length: VOCAB * DIM }, () => 0.5 * rng.normal());
let t0 = performance.now();
const { tokenizer, newTokens } = extendTokenizer(base, codebook);
log(`extendTokenizer: ${(performance.now() - t0).toFixed(0)} ms (${newTokens.length} new tokens, ${Object.keys(codebook.codes).length} codes checked)`);

function time(label, fn) {
  let out;
  const ms = [];
  for (let r = 0; r < RUNS; r++) {
    const s = performance.now();
    out = fn();
    ms.push(performance.now() - s);
  }
  log(`${label}: median ${median(ms).toFixed(0)} ms (${ms.map((x) => x.toFixed(0)).join(', ')})`);
  return [median(ms), out];
}

const rows = [];
const opts = { base: baseMatrix, rows: VOCAB, dim: DIM, newTokens, codebook, tokenizer, seed: 3 };
for (const init of ['random', 'mean']) rows.push([`growEmbeddings init '${init}'`, time(init, () => growEmbeddings({ ...opts, init }))[0]]);
const projection = randomProjection(CDIM, DIM, new Rng(4));
const [tCentroid, grown] = time('centroid', () => growEmbeddings({ ...opts, init: 'centroid', projection }));
rows.push([`growEmbeddings init 'centroid' (64 → 512 projection)`, tCentroid]);
const centroids = centroidInputs(tokenizer, codebook);
const dir = mkdtempSync(join(tmpdir(), 'vocab-artifacts-'));
const input = { tokenizer, embeddings: grown, rows: tokenizer.size, dim: DIM, baseRows: VOCAB, init: 'centroid', newTokens, centroids, projection };
rows.push(['writeVocabExtension (4 files, SHA-256)', time('write', () => writeVocabExtension(dir, input))[0]]);
const [tRead, back] = time('read', () => readVocabExtension(dir));
rows.push(['readVocabExtension (checks + tokenizer load)', tRead]);
const same = (a, b) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const identical = same(back.embeddings, grown) && same(back.centroids.centroids, centroids.centroids) && same(back.centroids.tokenIds, centroids.tokenIds) && same(back.projection.weight, projection.weight);
const size = statSync(join(dir, 'vocab-extension.safetensors')).size;
rmSync(dir, { recursive: true, force: true });
if (!identical) throw new Error('reloaded tensors differ');

console.log(`load average (1 min) at start ${load0.toFixed(1)}, at end ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(`matrix ${VOCAB} + ${newTokens.length} rows x ${DIM} (F32), safetensors file ${(size / 1e6).toFixed(1)} MB; reloaded tensors bit-identical: ${identical}`);
console.log('| step | median |');
console.log('| --- | --- |');
for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(0)} ms |`);
