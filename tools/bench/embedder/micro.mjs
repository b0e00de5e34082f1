// Development micro-benchmark: CPU time per skip-gram pair on one thread (robust to a loaded machine).
import { readDatasetFile } from '@meta-id/core/node';
import { leaveOneOutSplit } from '@meta-id/core';
import { buildInteractionGraph, collectWalks, trainSkipGram } from '@meta-id/interaction-embedder';
const ds = await readDatasetFile('../shared/data/amazon-p5/beauty/sequential_data.txt');
const graph = buildInteractionGraph(leaveOneOutSplit(ds), { names: ds });
const { corpus } = collectWalks(graph, { shared: true, walksPerNode: 1, walkLength: 20 });
for (const engine of (process.env.ENGINES || 'wasm-simd,js').split(',')) {
  const c0 = process.cpuUsage();
  const r = await trainSkipGram(corpus, { threads: 1, engine, epochs: 1, progress: false, inProcess: true, tableSize: +(process.env.TS || 0) || undefined });
  const cpu = process.cpuUsage(c0).user / 1e6;
  console.log(engine, `wall ${r.stats.seconds.toFixed(2)} s, cpu ${cpu.toFixed(2)} s, ${(cpu / r.stats.pairs * 1e9).toFixed(0)} ns cpu/pair, ${(r.stats.words / cpu / 1000).toFixed(0)}k words/cpu-s, loss ${r.stats.finalLoss.toFixed(3)}`);
}
