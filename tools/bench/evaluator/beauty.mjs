// Evaluator on real data (Amazon Beauty, P5 processing): timings of the
// ranking metrics, MS and DS at full size, and an MS/DS sanity check on the
// META ID authors' published codes. Run by hand from the repo root, after
// building core and evaluator:
//   node tools/bench/evaluator/beauty.mjs [repeats=5]
// Writes example charts to packages/evaluator/examples/.
import { readFileSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Rng, leaveOneOutSplit } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import {
  rankingMetrics, sampledRankingMetrics, memorizationScore, diversityScore, entityVectorsFromTokens,
  clusterSizeHistogram, groupedBarChart, compareRunsMarkdown, embeddingScatter,
} from '@meta-id/evaluator';
import { writeSvg } from '@meta-id/evaluator/node';

const repeats = Number(process.argv[2] ?? 5);
const DATA = '../shared/data/amazon-p5/beauty/user_sequence.txt';
const REF = '../shared/data/meta-id-reference/beauty';
if (!existsSync(DATA)) {
  console.error(`skipped: ${DATA} not found (run from the repo root with ../shared/data present)`);
  process.exit(0);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(label, fn) {
  const ms = [];
  let out;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    out = fn();
    ms.push(performance.now() - t);
  }
  console.error(`${label}: median ${median(ms).toFixed(1)} ms over ${repeats} runs (${ms.map((m) => m.toFixed(0)).join(', ')})`);
  return { out, ms: median(ms) };
}

const data = await readDatasetFile(DATA);
const split = leaveOneOutSplit(data);
console.error(`beauty: ${data.users.size} users, ${data.items.size} items, ${data.interactions.length} interactions; train ${split.train.length}`);

// Popularity top-20 (training counts) for every user.
const pop = new Array(data.items.size).fill(0);
for (const x of split.train) pop[x.item]++;
const top = pop.map((c, i) => [c, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
const rankings = split.test.map((x) => ({ user: x.user, items: top.slice(0, 20) }));
const full = time('rankingMetrics, 22,363 users, top-20 lists', () => rankingMetrics(rankings, split));
const popScore = Float64Array.from(pop);
const sampled = time('sampledRankingMetrics 1+99 (scorer)', () =>
  sampledRankingMetrics((_u, items) => items.map((i) => popScore[i]), split, { numItems: data.items.size, userItems: data.interactions }));

// The authors' codes → a codebook keyed by entity key.
function readCodes(file, type) {
  const codes = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [id, code] = line.trim().split(/\s+/);
    if (!id) continue;
    codes[`${type}:${id}`] = code.match(/<[^>]+>/g);
  }
  return codes;
}
const codes = {
  ...readCodes(`${REF}/item_metapath_indexing_kmcos_100_ag.txt`, 'i'),
  ...readCodes(`${REF}/user_metapath_indexing_kmcos_100_ag.txt`, 'u'),
};
const keys = Object.keys(codes);
// Random token embeddings (dim 64): what the LM would start from without centroid init.
const rng = new Rng(7);
const tokenEmb = new Map();
for (const code of Object.values(codes)) for (const t of code) if (!tokenEmb.has(t)) tokenEmb.set(t, Float64Array.from({ length: 64 }, () => rng.normal()));
const authors = entityVectorsFromTokens({ codes }, tokenEmb);
// Same codes shuffled among entities of the same type: same token statistics, no link to interactions.
const shuffledCodes = {};
for (const prefix of ['i:', 'u:']) {
  const ks = keys.filter((k) => k.startsWith(prefix));
  const perm = rng.shuffle(ks.slice());
  ks.forEach((k, j) => (shuffledCodes[k] = codes[perm[j]]));
}
const shuffled = entityVectorsFromTokens({ codes: shuffledCodes }, tokenEmb);
const randomVectors = { ids: keys, dim: 64, vectors: Float32Array.from({ length: keys.length * 64 }, () => rng.normal()) };

const msOpts = { interactions: split.train, users: data.users, items: data.items };
const variants = [
  ['authors\' codes, random token embeddings', authors],
  ['same codes shuffled across entities', shuffled],
  ['random vector per entity', randomVectors],
];
const runs = [];
for (const [name, emb] of variants) {
  const ms = time(`MS (${name}), 20,000 pairs per type`, () => memorizationScore({ ...msOpts, embeddings: emb }));
  const msU = memorizationScore({ ...msOpts, embeddings: emb, sampling: 'uniform' });
  const mse = memorizationScore({ ...msOpts, embeddings: emb, method: 'paper-mse' });
  const ds = time(`DS (${name}), 10,000 pairs`, () => diversityScore({ embeddings: emb }));
  runs.push({
    name,
    metrics: {
      MS: ms.out.metrics.MS, 'MS-item': ms.out.metrics['MS-item'], 'MS-user': ms.out.metrics['MS-user'],
      'MS uniform pairs': msU.metrics.MS, 'MS paper-mse': mse.metrics.MS, DS: ds.out.metrics.DS, 'DS-user': ds.out.metrics['DS-user'],
    },
    msMs: ms.ms,
    dsMs: ds.ms,
  });
}
const z = runs[0];
console.log('\n## ranking (popularity top-20, full ranking)\n');
console.log(compareRunsMarkdown([{ name: 'popularity', metrics: full.out.metrics }], { metrics: ['HR@5', 'NDCG@5', 'HR@10', 'NDCG@10', 'HR@20', 'NDCG@20'] }));
console.log(`\nsampled 1+99: HR@10 ${sampled.out.metrics['HR@10 (sampled 1+99)'].toFixed(4)}, NDCG@10 ${sampled.out.metrics['NDCG@10 (sampled 1+99)'].toFixed(4)}`);
console.log('\n## MS / DS\n');
console.log(compareRunsMarkdown(runs.map(({ name, metrics }) => ({ name, metrics })), { highlightBest: false }));
console.log('\n## timings (median ms)\n');
console.log(`rankingMetrics ${full.ms.toFixed(1)}; sampled ${sampled.ms.toFixed(1)}; MS ${runs.map((r) => r.msMs.toFixed(0)).join(' / ')}; DS ${runs.map((r) => r.dsMs.toFixed(0)).join(' / ')}`);
console.log(`MS details (authors): ${JSON.stringify(memorizationScore({ ...msOpts, embeddings: authors }).meta.types)}`);

writeSvg('packages/evaluator/examples/beauty-reference-cluster-sizes.svg',
  clusterSizeHistogram({ codes }, { keyPrefix: 'i:', title: 'Beauty, authors\' item codes: items per coarse token' }));
writeSvg('packages/evaluator/examples/beauty-ms-ds.svg', groupedBarChart({
  title: 'Beauty: MS and DS of three entity-vector constructions',
  categories: ['MS-item', 'MS-user', 'MS paper-mse', 'DS / 10'],
  series: runs.map((r) => ({ name: r.name, values: [r.metrics['MS-item'], r.metrics['MS-user'], r.metrics['MS paper-mse'], r.metrics.DS / 10] })),
}));
const itemsOnly = embeddingScatter(authors, { codebook: { codes }, keyPrefix: 'i:', maxPoints: 4000, title: 'Beauty items: mean of random token embeddings, by coarse token (PCA)' });
writeSvg('packages/evaluator/examples/beauty-items-pca.svg', itemsOnly.svg);
console.error('wrote packages/evaluator/examples/*.svg');
void z;
