// Our skip-gram against gensim 4.2 Word2Vec on the same walk-corpus text file, side by side in one run.
// usage (repo root): node tools/bench/embedder/speed-vs-gensim.mjs [walksPerNode=2] [walkLength=20] [epochs=2] [runs=3]
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { buildInteractionGraph, MetaPathWalker, writeWalkCorpus, readWalkCorpus, trainSkipGram, loadEmbeddings } from '@meta-id/interaction-embedder';
import { loadBeauty, median, linkPredictionAuc, PYTHON } from './lib.mjs';

const [walksPerNode = 2, walkLength = 20, epochs = 2, runs = 3] = process.argv.slice(2).map(Number);
const sample = 1e-3;
const dir = '/work/cache/embedder';
mkdirSync(dir, { recursive: true });
const corpusPath = `${dir}/beauty-walks-${walksPerNode}x${walkLength}.txt`;
const { dataset, split } = await loadBeauty();
const graph = buildInteractionGraph(split, { names: dataset });
const written = writeWalkCorpus(corpusPath, new MetaPathWalker(graph, { walksPerNode, walkLength, seed: 1 }).chunks(), graph.names);
console.log(`corpus ${corpusPath}: ${written.walks} walks, ${written.tokens} words; ${epochs} epochs; ${availableParallelism()} cores, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const ours = [];
const gFile = [];
const gIter = [];
// Words per CPU-second (all threads of the process) beside words/s: the cores are shared, and CPU time is what
// each tool used, whatever the scheduler gave it. Ours counts vocabulary/table set-up CPU too.
const cpuRate = { ours: [], file: [], iter: [] };
let oursTable;
for (let r = 0; r < runs; r++) {
  const corpus = readWalkCorpus(corpusPath, { shared: true });
  const load = loadavg()[0].toFixed(1);
  const c0 = process.cpuUsage();
  const { table, stats } = await trainSkipGram(corpus, { dim: 64, window: 5, negative: 5, epochs, sample, threads: 2, seed: 1 + r, progress: false });
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  oursTable ??= table;
  ours.push(stats.wordsPerSecond);
  cpuRate.ours.push(stats.words / cpu);
  console.log(`run ${r + 1} ours (${stats.engine}, 2 threads): ${Math.round(stats.wordsPerSecond)} words/s (${stats.seconds.toFixed(1)} s), ${Math.round(stats.words / cpu)} words per CPU-second, load before ${load}`);
  for (const [mode, list] of [['file', gFile], ['iter', gIter]]) {
    const out = r === 0 ? `${dir}/gensim-${mode}-${walksPerNode}x${walkLength}.bin` : undefined;
    const load = loadavg()[0].toFixed(1);
    const res = JSON.parse(execFileSync(PYTHON, ['tools/bench/embedder/gensim_train.py', corpusPath, mode, String(epochs), '2', String(sample), ...(out ? [out] : [])], { encoding: 'utf8' }));
    list.push(res.wordsPerSecond);
    cpuRate[mode].push(res.wordsPerCpuSecond);
    console.log(`run ${r + 1} gensim ${mode === 'file' ? 'corpus_file' : 'LineSentence'} (workers=2): ${Math.round(res.wordsPerSecond)} words/s (${res.seconds.toFixed(1)} s), ${Math.round(res.wordsPerCpuSecond)} words per CPU-second, load before ${load}`);
  }
}
const m = { ours: median(ours), gensimFile: median(gFile), gensimIter: median(gIter) };
console.log(`median words/s: ours ${Math.round(m.ours)}, gensim corpus_file ${Math.round(m.gensimFile)}, gensim LineSentence ${Math.round(m.gensimIter)}`);
console.log(`ratio ours/gensim: ${(m.ours / m.gensimFile).toFixed(2)}x (corpus_file), ${(m.ours / m.gensimIter).toFixed(2)}x (LineSentence)`);
const mc = { ours: median(cpuRate.ours), file: median(cpuRate.file), iter: median(cpuRate.iter) };
console.log(`median words per CPU-second: ours ${Math.round(mc.ours)}, gensim corpus_file ${Math.round(mc.file)}, gensim LineSentence ${Math.round(mc.iter)}; ratio ${(mc.ours / mc.file).toFixed(2)}x, ${(mc.ours / mc.iter).toFixed(2)}x; load at end ${loadavg()[0].toFixed(1)}`);
const aOurs = linkPredictionAuc(oursTable, dataset, split);
console.log('link-prediction AUC of run 1 vectors (Beauty validation interactions vs an equal number of seeded non-edges, cosine):');
console.log(`  ours ${aOurs.toFixed(4)}`);
for (const mode of ['file', 'iter']) {
  const a = linkPredictionAuc(loadEmbeddings(`${dir}/gensim-${mode}-${walksPerNode}x${walkLength}.bin`), dataset, split);
  console.log(`  gensim ${mode === 'file' ? 'corpus_file' : 'LineSentence'} ${a.toFixed(4)} (ours − gensim = ${(aOurs - a).toFixed(4)})`);
}
