// Beauty link-prediction AUC and time for a few embedInteractions settings (seed 42, one run each).
// usage (repo root): node tools/bench/embedder/settings-sweep.mjs '[{"epochs":3},{"epochs":5}]'
import { embedInteractions } from '@meta-id/interaction-embedder';
import { loadBeauty, linkPredictionAuc } from './lib.mjs';
const { dataset, split } = await loadBeauty();
for (const o of JSON.parse(process.argv[2])) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const { table } = await embedInteractions(split, { names: dataset, seed: 42, progress: false, ...o });
  const cpu = process.cpuUsage(c0);
  console.log(JSON.stringify(o), 'wall', ((performance.now() - t0) / 1000).toFixed(1), 'cpu', ((cpu.user + cpu.system) / 1e6).toFixed(1), 'AUC', linkPredictionAuc(table, dataset, split).toFixed(4));
}
