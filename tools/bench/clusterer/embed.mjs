// Entity vectors from the interaction-embedder (meta-path walks + skip-gram on the training split), written as
// word2vec text with u:/i: keys, for the clusterer benchmarks.
// usage: node tools/bench/clusterer/embed.mjs (--synthetic | --data ../shared/data/amazon-p5/beauty/sequential_data.txt) --out X.vec [--dim 64] [--epochs 5] [--seed 42]
import { writeFileSync } from 'node:fs';
import { generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import { buildInteractionGraph, collectWalks, trainSkipGram } from '@meta-id/interaction-embedder';
import { parseArgs } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { synthetic: 'false', data: '', out: '', dim: 64, epochs: 5, seed: 42 });
if (!o.out) throw new Error('--out is required');
const dataset = o.data ? await readDatasetFile(o.data) : generateSyntheticDataset({ seed: o.seed });
const split = leaveOneOutSplit(dataset);
const graph = buildInteractionGraph(split, { names: dataset });
const t0 = performance.now();
const { corpus, stats: walkStats } = collectWalks(graph, { shared: true, seed: o.seed });
const { table, stats } = await trainSkipGram(corpus, { dim: o.dim, epochs: o.epochs, seed: o.seed, progress: true });
const lines = [`${table.ids.length} ${table.dim}`];
for (let i = 0; i < table.ids.length; i++) lines.push(`${table.ids[i]} ${Array.from(table.vectors.subarray(i * table.dim, (i + 1) * table.dim), (v) => v.toPrecision(7)).join(' ')}`);
writeFileSync(o.out, lines.join('\n') + '\n');
console.error(`wrote ${o.out}: ${table.ids.length} x ${table.dim} (${walkStats.walks ?? corpus.numWalks} walks, ${stats.engine}, ${stats.threads} threads, ${((performance.now() - t0) / 1000).toFixed(1)} s); first ids ${table.ids.slice(0, 2).join(', ')}`);
process.exit(0);
