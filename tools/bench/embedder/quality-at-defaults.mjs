// Quality and speed of our skip-gram beside gensim 4.2 at the shipped defaults, on the same walk-corpus text file.
// For each seed: our walker writes the default corpus (U-I-U + I-U-I, walksPerNode × walkLength, that seed) to text;
// then ours (2 threads), gensim corpus_file workers=2, gensim LineSentence workers=2 and gensim corpus_file workers=1
// train on it with identical settings (dim 64, window 5, negative 5, sample 1e-3, alpha 0.025 → 0.0001, min_count 1,
// `epochs`), in an order rotated from seed to seed so no tool always runs first; each model's link-prediction AUC
// (lib.mjs) and words/s (raw words × epochs / training seconds) are printed, then medians, spreads and paired gaps.
// usage (repo root): node tools/bench/embedder/quality-at-defaults.mjs [seeds=1,2,3] [epochs=3] [walksPerNode=5] [walkLength=20] [tools=ours,file2,iter2,file1]
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { buildInteractionGraph, MetaPathWalker, writeWalkCorpus, readWalkCorpus, trainSkipGram, loadEmbeddings } from '@meta-id/interaction-embedder';
import { loadBeauty, median, linkPredictionAuc, PYTHON } from './lib.mjs';

const seeds = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const [epochs = 3, walksPerNode = 5, walkLength = 20] = process.argv.slice(3, 6).map(Number);
const only = (process.argv[6] ?? 'ours,file2,iter2,file1').split(',');
const sample = 1e-3;
const dir = '/work/cache/embedder';
mkdirSync(dir, { recursive: true });
const { dataset, split } = await loadBeauty();
const graph = buildInteractionGraph(split, { names: dataset });
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`${availableParallelism()} cores; ${walksPerNode} walks/node × ${walkLength}, U-I-U + I-U-I; dim 64, window 5, negative 5, sample ${sample}, ${epochs} epochs; seeds ${seeds.join(',')}; load ${load()}`);

const TOOLS = [
  { key: 'ours', label: 'ours (2 threads)' },
  { key: 'file2', label: 'gensim corpus_file, workers=2', mode: 'file', workers: 2 },
  { key: 'iter2', label: 'gensim LineSentence, workers=2', mode: 'iter', workers: 2 },
  { key: 'file1', label: 'gensim corpus_file, workers=1', mode: 'file', workers: 1 },
].filter((t) => only.includes(t.key));
if (TOOLS[0]?.key !== 'ours') throw new Error(`tools must include ours (got ${only.join(',')})`);
const res = Object.fromEntries(TOOLS.map((t) => [t.key, { auc: [], wps: [], wpc: [] }]));

for (const seed of seeds) {
  const corpusPath = `${dir}/beauty-walks-${walksPerNode}x${walkLength}-s${seed}.txt`;
  const w = writeWalkCorpus(corpusPath, new MetaPathWalker(graph, { walksPerNode, walkLength, seed }).chunks(), graph.names);
  console.log(`seed ${seed}: corpus ${corpusPath}, ${w.walks} walks, ${w.tokens} words`);
  // Rotated by the seed (not its position in the list) so a run of seeds 2,3 continues the rotation of a run of 1.
  const order = TOOLS.map((_, k) => TOOLS[(k + seed - 1) % TOOLS.length]);
  for (const t of order) {
    const before = load();
    let auc;
    let wps;
    let seconds;
    let cpu;
    if (t.key === 'ours') {
      const corpus = readWalkCorpus(corpusPath, { shared: true });
      const c0 = process.cpuUsage(); // every thread of this process (workers included); covers vocabulary and table set-up too
      const { table, stats } = await trainSkipGram(corpus, { dim: 64, window: 5, negative: 5, epochs, sample, minCount: 1, alpha: 0.025, minAlpha: 0.0001, threads: 2, seed, progress: false });
      const c = process.cpuUsage(c0);
      cpu = (c.user + c.system) / 1e6;
      auc = linkPredictionAuc(table, dataset, split);
      ({ wordsPerSecond: wps, seconds } = stats);
    } else {
      const out = `${dir}/q-${t.key}-s${seed}.bin`;
      const r = JSON.parse(execFileSync(PYTHON, ['tools/bench/embedder/gensim_train.py', corpusPath, t.mode, String(epochs), String(t.workers), String(sample), out, String(seed)], { encoding: 'utf8' }));
      auc = linkPredictionAuc(loadEmbeddings(out), dataset, split);
      ({ wordsPerSecond: wps, seconds, cpuSeconds: cpu } = r);
      rmSync(out);
    }
    res[t.key].auc.push(auc);
    res[t.key].wps.push(wps);
    res[t.key].wpc.push((w.tokens * epochs) / cpu);
    console.log(
      `seed ${seed} ${t.label}: AUC ${auc.toFixed(4)}, ${Math.round(wps)} words/s (${seconds.toFixed(1)} s training), ` +
        `${Math.round((w.tokens * epochs) / cpu)} words per CPU-second (${cpu.toFixed(1)} CPU-s), load before ${before}`,
    );
  }
  rmSync(corpusPath);
}

const f4 = (x) => x.toFixed(4);
console.log(`\n| vectors | AUC per seed (${seeds.join(', ')}) | median AUC | min–max | ours − it, per seed | median of ours − it | words/s per seed | median words/s | median words per CPU-s |`);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const t of TOOLS) {
  const r = res[t.key];
  const gaps = r.auc.map((a, k) => res.ours.auc[k] - a);
  const isOurs = t.key === 'ours';
  console.log(
    `| ${t.label} | ${r.auc.map(f4).join(' / ')} | ${f4(median(r.auc))} | ${f4(Math.min(...r.auc))}–${f4(Math.max(...r.auc))} | ` +
      `${isOurs ? '' : gaps.map((g) => (g >= 0 ? '+' : '') + f4(g)).join(' / ')} | ${isOurs ? '' : f4(median(gaps))} | ` +
      `${r.wps.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ')} | ${Math.round(median(r.wps)).toLocaleString('en-US')} | ${Math.round(median(r.wpc)).toLocaleString('en-US')} |`,
  );
}
for (const t of TOOLS.slice(1)) {
  const r = (k) => (median(res.ours[k]) / median(res[t.key][k])).toFixed(2);
  console.log(`speed ratio ours / ${t.label}: ${r('wps')}x words/s, ${r('wpc')}x words per CPU-second (medians)`);
}
console.log(`load at end ${load()}`);
