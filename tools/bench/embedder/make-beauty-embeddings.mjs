// Writes Beauty user+item embeddings (leave-one-out train split, shipped defaults) for the other stages:
//   /work/cache/embeddings/beauty.vec (word2vec text), beauty.bin (word2vec binary), beauty.npy + beauty.ids.txt
// Ids are u:<P5 user id> / i:<P5 item id>. usage (repo root): node tools/bench/embedder/make-beauty-embeddings.mjs [outDir]
import { mkdirSync } from 'node:fs';
import { embedInteractions, saveEmbeddings } from '@meta-id/interaction-embedder';
import { loadBeauty } from './lib.mjs';

const outDir = process.argv[2] ?? '/work/cache/embeddings';
mkdirSync(outDir, { recursive: true });
const { dataset, split } = await loadBeauty();
const { table, stats } = await embedInteractions(split, { names: dataset, seed: 42 });
for (const ext of ['vec', 'bin', 'npy']) saveEmbeddings(`${outDir}/beauty.${ext}`, table);
console.log(`${table.ids.length} vectors of dim ${table.dim} → ${outDir}/beauty.{vec,bin,npy} (+ beauty.ids.txt); ${stats.seconds.toFixed(1)} s`);
