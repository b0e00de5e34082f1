// Walks + skip-gram for all of Beauty (leave-one-out train split) at the shipped defaults, timed end to end.
// usage (repo root): node tools/bench/embedder/beauty-defaults.mjs [runs=3]
import { availableParallelism, loadavg } from 'node:os';
import { embedInteractions, DEFAULT_WALK_OPTIONS, DEFAULT_SKIPGRAM_OPTIONS } from '@meta-id/interaction-embedder';
import { loadBeauty, median, linkPredictionAuc } from './lib.mjs';

const runs = Number(process.argv[2] ?? 3);
const { dataset, split } = await loadBeauty();
console.log(`defaults: walksPerNode ${DEFAULT_WALK_OPTIONS.walksPerNode}, walkLength ${DEFAULT_WALK_OPTIONS.walkLength}, schemes ${DEFAULT_WALK_OPTIONS.schemes.join(' + ')}, ` +
  `dim ${DEFAULT_SKIPGRAM_OPTIONS.dim}, window ${DEFAULT_SKIPGRAM_OPTIONS.window}, negative ${DEFAULT_SKIPGRAM_OPTIONS.negative}, epochs ${DEFAULT_SKIPGRAM_OPTIONS.epochs}, sample ${DEFAULT_SKIPGRAM_OPTIONS.sample}; ${availableParallelism()} cores`);
const totals = [];
const cpus = [];
const aucs = [];
for (let r = 0; r < runs; r++) {
  const load = loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { table, stats } = await embedInteractions(split, { names: dataset, seed: 42 + r, progress: false });
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6; // all threads of this process, workers included
  cpus.push(cpuSeconds);
  totals.push(total);
  const auc = linkPredictionAuc(table, dataset, split);
  aucs.push(auc);
  console.log(
    `run ${r + 1}: ${total.toFixed(1)} s wall (walks ${stats.walks.seconds.toFixed(1)} s, ${stats.walks.tokens} words; skip-gram ${stats.training.seconds.toFixed(1)} s, ` +
      `${stats.training.threads} threads ${stats.training.engine}, ${Math.round(stats.training.wordsPerSecond)} words/s), ${table.ids.length} vectors, ` +
      `AUC ${auc.toFixed(4)}, CPU ${cpuSeconds.toFixed(1)} s (all threads), load average before ${load.toFixed(1)}`,
  );
}
console.log(`median wall ${median(totals).toFixed(1)} s; median CPU ${median(cpus).toFixed(1)} s (≈ ${(median(cpus) / 2).toFixed(1)} s wall on 2 otherwise idle cores); median AUC ${median(aucs).toFixed(4)}`);
