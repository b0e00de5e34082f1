// The skip-gram batch kernel on every backend available here, plus the worker-thread trainer on the same amount of work.
// usage (repo root): node tools/bench/embedder/kernels-table.mjs [pairs=4096] [reps=5]
import { loadavg } from 'node:os';
import { chooseSkipGramKernel } from '@meta-id/kernels';
import { buildInteractionGraph, collectWalks, trainSkipGram } from '@meta-id/interaction-embedder';
import { loadBeauty, median } from './lib.mjs';

const pairs = Number(process.argv[2] ?? 4096);
const reps = Number(process.argv[3] ?? 5);
const negative = 5;
console.log(`batch: ${pairs} pairs × (1 + ${negative}) targets, dim 64, 34464 rows (Beauty's users + items); median of ${reps} calls; load ${loadavg()[0].toFixed(1)}`);
const sel = await chooseSkipGramKernel({
  backends: ['typescript', 'tfjs-tensorflow', 'tfjs-wasm', 'tfjs-cpu', 'gpu.js-gpu', 'gpu.js-webasm', 'gpu.js-async', 'gpu.js-cpu'],
  timeShape: { rows: 34464, dim: 64, pairs, negative },
  reps,
});
const rows = sel.timings.map((t) => ({ backend: t.backend, ms: t.ms, note: t.error ?? '' }));

// The trainer does the same pair updates sequentially (Hogwild), so time it per `pairs` pairs on a real Beauty corpus.
const { dataset, split } = await loadBeauty();
const graph = buildInteractionGraph(split, { names: dataset });
const { corpus } = collectWalks(graph, { walksPerNode: 1, walkLength: 20, seed: 1, shared: true });
for (const threads of [1, 2]) {
  const per = [];
  let engine = '';
  for (let r = 0; r < 3; r++) {
    const { stats } = await trainSkipGram(corpus, { dim: 64, negative, epochs: 1, threads, seed: r, progress: false });
    per.push((stats.seconds * 1000 * pairs) / stats.pairs);
    engine = stats.engine;
  }
  rows.push({ backend: `worker-thread trainer, ${threads} thread${threads > 1 ? 's' : ''} (${engine})`, ms: median(per), note: 'sequential Hogwild updates (word2vec schedule), not the batch semantics; ms per ' + pairs + ' pairs, median of 3 epochs over a 688k-word Beauty corpus' });
}
console.log('\n| backend | ms per call | note |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.backend} | ${r.ms === undefined ? 'n/a' : r.ms.toFixed(1)} | ${r.note} |`);
console.log(`\nselectFastest picks: ${sel.backend}`);
