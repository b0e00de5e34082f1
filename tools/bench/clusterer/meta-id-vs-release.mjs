// The meta-id scheme on Beauty beside the META ID authors' released codes: coarse and fine token counts,
// cluster sizes, code lengths. Needs Beauty embeddings (users + items in one space, word2vec text with keys
// u:<reviewerID> / i:<asin>, as the interaction-embedder writes) and ../shared/data.
//
// usage: node tools/bench/clusterer/meta-id-vs-release.mjs --vectors beauty.vec [--k 100] [--seed 1]
//        [--release ../shared/data/meta-id-reference/beauty] [--out codebook.json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCodebook, codebookStats, writeCodebook } from '@meta-id/token-clusterer';
import { readWord2vecText, parseArgs } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { vectors: '', k: 100, seed: 1, release: '../shared/data/meta-id-reference/beauty', out: '', scheme: 'meta-id' });
if (!o.vectors) throw new Error('--vectors <beauty embeddings, word2vec text> is required');
const table = readWord2vecText(o.vectors);
const t0 = performance.now();
const ours = await buildCodebook(table, { scheme: o.scheme, k: o.k, metric: 'cosine', seed: o.seed, printStats: false });
const seconds = (performance.now() - t0) / 1000;
if (o.out) await writeCodebook(o.out, ours);

const codes = {};
for (const [file, prefix] of [['item_metapath_indexing_kmcos_100_ag.txt', 'i:'], ['user_metapath_indexing_kmcos_100_ag.txt', 'u:']]) {
  for (const line of readFileSync(join(o.release, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [id, code] = line.trim().split(/\s+/);
    codes[prefix + id] = code.match(/<[^<>]+>/g);
  }
}
const release = codebookStats({ codes, tokens: [] }, 0);

function row(name, s, cb) {
  const uniq = new Set(Object.values(cb.codes).map((c) => c.join(''))).size;
  const coarseUsers = new Set(Object.entries(cb.codes).filter(([k]) => k.startsWith('u:')).map(([, c]) => c[0])).size;
  const coarseItems = new Set(Object.entries(cb.codes).filter(([k]) => k.startsWith('i:')).map(([, c]) => c[0])).size;
  const fine = new Set(Object.values(cb.codes).flatMap((c) => c.slice(1))).size;
  const cs = s.clusterSizes[0];
  return `| ${name} | ${s.entities} (${s.users} users, ${s.items} items) | ${s.tokensPerLevel[0]} (users ${coarseUsers}, items ${coarseItems}) | ${fine} | ${cs.min} / ${cs.median} / ${cs.max} | ${s.codeLength.min}-${s.codeLength.max} | ${uniq} |`;
}
console.log(`vectors: ${o.vectors} (${table.ids.length} x ${table.dim}); scheme ${o.scheme}, k=${o.k}, cosine, seed ${o.seed}; clustering took ${seconds.toFixed(1)} s`);
console.log('\n| codes | entities | coarse tokens | fine tokens | entities per coarse token min / median / max | code length | distinct codes |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
console.log(row('META ID release (Beauty, kmcos_100_ag)', release, { codes }));
console.log(row(`ours: ${o.scheme}, k=${o.k}, cosine`, codebookStats(ours, 0), ours));
const hist = (d) => d.histogram.counts.map((c, i) => `[${d.histogram.edges[i]},${d.histogram.edges[i + 1]}${i === d.histogram.counts.length - 1 ? ']' : ')'}: ${c}`).join(', ');
console.log(`\ncluster-size histogram, release: ${hist(release.clusterSizes[0])}`);
console.log(`cluster-size histogram, ours:    ${hist(codebookStats(ours, 0).clusterSizes[0])}`);
// agreement between the two partitions (same entities): NMI of coarse tokens
const keys = Object.keys(codes).filter((k) => k in ours.codes);
const a = keys.map((k) => codes[k][0]);
const b = keys.map((k) => ours.codes[k][0]);
console.log(`NMI between the release's and our coarse clusters over ${keys.length} shared entities: ${nmi(a, b).toFixed(3)} (two random walk + k-means runs agree only this much; 0 = independent)`);
process.exit(0);

function nmi(x, y) {
  const n = x.length;
  const cx = new Map(), cy = new Map(), j = new Map();
  for (let i = 0; i < n; i++) {
    const xi = String(x[i]), yi = String(y[i]);
    cx.set(xi, (cx.get(xi) ?? 0) + 1);
    cy.set(yi, (cy.get(yi) ?? 0) + 1);
    const key = xi + '|' + yi;
    j.set(key, (j.get(key) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of j) {
    const [p, q] = key.split('|');
    mi += (c / n) * Math.log((c * n) / (cx.get(p) * cy.get(q)));
  }
  const h = (m) => -[...m.values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
  return mi / ((h(cx) + h(cy)) / 2);
}
