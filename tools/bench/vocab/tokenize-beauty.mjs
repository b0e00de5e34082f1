#!/usr/bin/env node
/**
 * Tokenization throughput on 100,000 sequential-recommendation prompts built
 * from Amazon Beauty histories written with the META ID authors' released
 * codes (../shared/data). Side by side in one run: our WordLevelTokenizer,
 * the same tokenizer.json through tokenizers.js (HfTokenizer), and, when
 * /usr/bin/python3 can import it, Hugging Face's Rust `tokenizers` on the same
 * file (set META_ID_PYTHONPATH to a private install).
 *
 * Usage (from the repo root, after `cd packages/vocab-extender && npx tsup`):
 *   node tools/bench/vocab/tokenize-beauty.mjs [--prompts 100000] [--runs 5]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HfTokenizer,
  WordLevelTokenizer,
  codebookFromIndexing,
  codeText,
  extendTokenizer,
  parseMetaIdIndexing,
} from '@meta-id/vocab-extender';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const PROMPTS = Number(args.prompts ?? 100_000);
const RUNS = Number(args.runs ?? 5);
const HISTORY = 20;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const data = (rel) => resolve(root, '../shared/data', rel);
const files = {
  seq: data('amazon-p5/beauty/user_sequence.txt'),
  items: data('meta-id-reference/beauty/item_metapath_indexing_kmcos_100_ag.txt'),
  users: data('meta-id-reference/beauty/user_metapath_indexing_kmcos_100_ag.txt'),
};
for (const f of Object.values(files)) {
  if (!existsSync(f)) {
    console.error(`missing ${f}: this benchmark needs ../shared/data (see /work/shared/data/README.md)`);
    process.exit(2);
  }
}
const log = (...a) => console.error('[vocab-bench]', ...a);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Ten sequential-task templates in the style of P5 / META ID (our wording).
const TEMPLATES = [
  (u, h) => `user_${u} has interacted with items ${h} . What is the next recommendation for the user ?`,
  (u, h) => `Here is the purchase history of user_${u} : ${h} . What to recommend next for the user ?`,
  (u, h) => `According to the purchase history of user_${u} : ${h} . Can you recommend the next possible item to the user ?`,
  (u, h) => `Given the following interaction history of user_${u} : ${h} , predict the next possible item for the user .`,
  (u, h) => `I find the purchase history list of user_${u} : ${h} . I wonder what is the next item to recommend to the user . Can you help me decide ?`,
  (u, h) => `user_${u} has purchased items ${h} , predict the next possible item to be bought by the user ?`,
  (u, h) => `By analyzing the purchase history of user_${u} : ${h} , what is the next item the user is likely to buy ?`,
  (u, h) => `Considering user_${u} has interacted with items ${h} . What is the next recommendation for the user ?`,
  (u, h) => `The items user_${u} bought so far are ${h} . Which item should be recommended next ?`,
  (u, h) => `Based on the history ${h} of user_${u} , recommend the next item .`,
];

const load0 = loadavg()[0];
// ---- data -----------------------------------------------------------------
let t0 = performance.now();
const codebook = codebookFromIndexing([
  ...parseMetaIdIndexing(readFileSync(files.items, 'utf8'), 'item', files.items),
  ...parseMetaIdIndexing(readFileSync(files.users, 'utf8'), 'user', files.users),
]);
const code = (key) => codeText(codebook.codes[key]);
const prompts = [];
const targets = [];
outer: for (const line of readFileSync(files.seq, 'utf8').split('\n')) {
  const [user, ...items] = line.trim().split(/\s+/);
  if (!user || items.length < 3) continue;
  const train = items.slice(0, -2); // leave-one-out: the last two are validation and test
  const u = code(`u:${user}`);
  for (let k = 1; k < train.length; k++) {
    const hist = train.slice(Math.max(0, k - HISTORY), k).map((i) => code(`i:${i}`)).join(' , ');
    prompts.push(TEMPLATES[prompts.length % TEMPLATES.length](u, hist));
    targets.push(code(`i:${train[k]}`));
    if (prompts.length >= PROMPTS) break outer;
  }
}
if (prompts.length < PROMPTS) log(`only ${prompts.length} prompts could be built`);
const chars = prompts.reduce((s, p) => s + p.length, 0);
log(`${prompts.length} prompts (${(chars / 1e6).toFixed(1)} M chars), codebook ${codebook.tokens.length} tokens / ${Object.keys(codebook.codes).length} entities, built in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

// ---- tokenizers -----------------------------------------------------------
t0 = performance.now();
const templateTexts = TEMPLATES.map((t) => t('', ''));
const base = WordLevelTokenizer.fromTexts(templateTexts);
const tBase = performance.now() - t0;
t0 = performance.now();
const { tokenizer: ours } = extendTokenizer(base, codebook);
const tExtend = performance.now() - t0;
log(`base vocabulary ${base.size} ids (${tBase.toFixed(1)} ms); extended to ${ours.size} ids, all ${Object.keys(codebook.codes).length} codes checked, in ${tExtend.toFixed(0)} ms`);
const json = ours.toTokenizerJson();
t0 = performance.now();
const hf = HfTokenizer.fromTokenizerJson(json);
const tHfLoad = performance.now() - t0;

// Correctness first: every prompt round-trips, and the two implementations agree on every id.
let tokens = 0;
let unk = 0;
for (let i = 0; i < prompts.length; i++) {
  const ids = ours.encode(prompts[i]);
  tokens += ids.length;
  for (const id of ids) if (id === ours.unkId) unk++;
  if (ours.decode(ids) !== prompts[i]) throw new Error(`round trip failed on prompt ${i}: ${prompts[i]}`);
  if (i % 10 === 0) {
    const other = hf.encode(prompts[i]);
    if (other.length !== ids.length || other.some((x, j) => x !== ids[j])) throw new Error(`tokenizers.js disagrees on prompt ${i}`);
  }
}
log(`${tokens} tokens (${(tokens / prompts.length).toFixed(1)} per prompt, ${unk} <unk>); every prompt round-trips; tokenizers.js agrees on every 10th prompt`);

/** Median wall-clock and CPU time (user + system of this process) over RUNS runs after a warm-up. */
function timeRuns(label, fn) {
  fn(); // warm-up
  const wall = [];
  const cpu = [];
  for (let r = 0; r < RUNS; r++) {
    const c = process.cpuUsage();
    const s = performance.now();
    fn();
    wall.push(performance.now() - s);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  log(`${label}: wall median ${median(wall).toFixed(0)} ms (${wall.map((x) => x.toFixed(0)).join(', ')}), CPU median ${median(cpu).toFixed(0)} ms (${cpu.map((x) => x.toFixed(0)).join(', ')})`);
  return { wall: median(wall), cpu: median(cpu) };
}

const results = [];
const encodeAll = (tok) => () => {
  let n = 0;
  for (const p of prompts) n += tok.encode(p).length;
  return n;
};
results.push(['WordLevelTokenizer.encode (ours, TS)', timeRuns('ours encode', encodeAll(ours))]);
const allIds = prompts.map((p) => ours.encode(p));
results.push(['WordLevelTokenizer.decode (ours, TS)', timeRuns('ours decode', () => { for (const ids of allIds) ours.decode(ids); })]);
results.push(['HfTokenizer.encode (tokenizers.js 0.2.0, same tokenizer.json)', timeRuns('tokenizers.js encode', encodeAll(hf))]);
results.push(['HfTokenizer.decode (tokenizers.js 0.2.0)', timeRuns('tokenizers.js decode', () => { for (const ids of allIds) hf.decode(ids); })]);

// ---- Rust tokenizers peer ---------------------------------------------------
const env = process.env.META_ID_PYTHONPATH ? { ...process.env, PYTHONPATH: process.env.META_ID_PYTHONPATH } : process.env;
const py = '/usr/bin/python3';
const hasRust = existsSync(py) && spawnSync(py, ['-c', 'import tokenizers'], { env }).status === 0;
let rustVersion = '';
if (hasRust) {
  const dir = mkdtempSync(join(tmpdir(), 'vocab-bench-'));
  writeFileSync(join(dir, 'tokenizer.json'), json);
  writeFileSync(join(dir, 'prompts.json'), JSON.stringify(prompts));
  writeFileSync(join(dir, 'ids.json'), JSON.stringify(allIds.filter((_, i) => i % 10 === 0)));
  const script = `
import json, sys, time, statistics, tokenizers
from tokenizers import Tokenizer
t = Tokenizer.from_file(sys.argv[1] + '/tokenizer.json')
prompts = json.load(open(sys.argv[1] + '/prompts.json'))
want = json.load(open(sys.argv[1] + '/ids.json'))
got = [t.encode(p, add_special_tokens=False).ids for p in prompts[::10]]
assert got == want, 'Rust tokenizers disagrees with ours'
runs = int(sys.argv[2])
def timed(fn):
    fn()
    ms, cpu = [], []
    for _ in range(runs):
        c = time.process_time(); s = time.perf_counter(); fn()
        ms.append((time.perf_counter() - s) * 1000); cpu.append((time.process_time() - c) * 1000)
    return statistics.median(ms), ms, statistics.median(cpu), cpu
loop = timed(lambda: [t.encode(p, add_special_tokens=False) for p in prompts])
batch = timed(lambda: t.encode_batch(prompts, add_special_tokens=False))
# The same file with only Rust's own Metaspace split (the Split step is there for tokenizers.js).
j = json.load(open(sys.argv[1] + '/tokenizer.json'))
j['pre_tokenizer'] = j['pre_tokenizer']['pretokenizers'][0]
t2 = Tokenizer.from_str(json.dumps(j))
assert [t2.encode(p, add_special_tokens=False).ids for p in prompts[::10]] == want
loop2 = timed(lambda: [t2.encode(p, add_special_tokens=False) for p in prompts])
print(json.dumps({'version': tokenizers.__version__, 'loop': loop, 'batch': batch, 'loopMetaspaceOnly': loop2}))
`;
  for (const threads of ['1', '2']) {
    const r = spawnSync(py, ['-c', script, dir, String(RUNS)], { env: { ...env, RAYON_NUM_THREADS: threads }, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) {
      log(`Rust tokenizers failed: ${r.stderr}`);
      break;
    }
    const out = JSON.parse(r.stdout);
    rustVersion = out.version;
    const show = (label, t) => log(`${label}: wall median ${t[0].toFixed(0)} ms (${t[1].map((x) => x.toFixed(0)).join(', ')}), CPU median ${t[2].toFixed(0)} ms (${t[3].map((x) => x.toFixed(0)).join(', ')})`);
    if (threads === '1') {
      show(`Rust tokenizers ${out.version} encode loop`, out.loop);
      results.push([`Rust tokenizers ${out.version} (Python), encode() per prompt`, { wall: out.loop[0], cpu: out.loop[2] }]);
      show('Rust tokenizers, file without the Split step, encode loop', out.loopMetaspaceOnly);
      results.push([`Rust tokenizers ${out.version} (Python), encode() per prompt, file without the Split step (same ids)`, { wall: out.loopMetaspaceOnly[0], cpu: out.loopMetaspaceOnly[2] }]);
    }
    show(`Rust tokenizers encode_batch, RAYON_NUM_THREADS=${threads}`, out.batch);
    results.push([`Rust tokenizers ${out.version} (Python), encode_batch, ${threads} thread${threads === '1' ? '' : 's'}`, { wall: out.batch[0], cpu: out.batch[2] }]);
  }
  rmSync(dir, { recursive: true, force: true });
} else {
  log('Rust tokenizers not importable by /usr/bin/python3 (set META_ID_PYTHONPATH): peer skipped');
}

// ---- report -----------------------------------------------------------------
console.log(`load average (1 min) at start ${load0.toFixed(1)}, at end ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
console.log(`prompts: ${prompts.length}, tokens: ${tokens} (${(tokens / prompts.length).toFixed(1)}/prompt), chars: ${chars}, vocabulary: ${ours.size} ids (${base.size} words+specials, ${codebook.tokens.length} OOV tokens)`);
console.log(`build: fromTexts ${tBase.toFixed(1)} ms, extendTokenizer with the check of all ${Object.keys(codebook.codes).length} codes ${tExtend.toFixed(0)} ms, tokenizers.js load ${tHfLoad.toFixed(0)} ms`);
console.log('| tokenizer | wall time, median | CPU time, median | prompts/s (wall) | tokens/s (wall) |');
console.log('| --- | --- | --- | --- | --- |');
for (const [label, t] of results) {
  console.log(`| ${label} | ${(t.wall / 1000).toFixed(2)} s | ${(t.cpu / 1000).toFixed(2)} s | ${Math.round(prompts.length / (t.wall / 1000)).toLocaleString('en-US')} | ${(tokens / (t.wall / 1000) / 1e6).toFixed(2)} M |`);
}
