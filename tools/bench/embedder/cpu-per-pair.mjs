// CPU time per skip-gram (centre, context) pair on one thread, JavaScript vs WebAssembly SIMD inner loop.
// CPU time (not wall) so the figure means something on a loaded machine. usage (repo root):
//   node tools/bench/embedder/cpu-per-pair.mjs
import { buildInteractionGraph, collectWalks, trainSkipGram } from '@meta-id/interaction-embedder';
import { loadBeauty } from './lib.mjs';

const { dataset, split } = await loadBeauty();
const graph = buildInteractionGraph(split, { names: dataset });
const { corpus } = collectWalks(graph, { shared: true, walksPerNode: 1, walkLength: 20, seed: 1 });
for (const engine of ['wasm-simd', 'js']) {
  const c0 = process.cpuUsage();
  const r = await trainSkipGram(corpus, { threads: 1, engine, epochs: 1, progress: false, inProcess: true });
  const cpu = process.cpuUsage(c0);
  const s = (cpu.user + cpu.system) / 1e6;
  console.log(`${engine}: ${r.stats.pairs} pairs, ${((s / r.stats.pairs) * 1e9).toFixed(0)} ns CPU per pair, ${Math.round(r.stats.words / s)} words per CPU-second`);
}
