// Link-prediction AUC (see lib.mjs) of embedding files on Beauty. usage (repo root): node tools/bench/embedder/auc-of.mjs FILE...
import { loadEmbeddings } from '@meta-id/interaction-embedder';
import { loadBeauty, linkPredictionAuc } from './lib.mjs';

const { dataset, split } = await loadBeauty();
for (const f of process.argv.slice(2)) console.log(`${f}: AUC ${linkPredictionAuc(loadEmbeddings(f), dataset, split).toFixed(4)}`);
