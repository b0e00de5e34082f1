// Do coarse tokens follow the planted structure of the synthetic dataset? NMI and purity of the meta-id
// coarse tokens against truth.userCommunity (users) and truth.itemCategory (items), beside the same figures
// for shuffled labels (chance). Vectors: the interaction-embedder's when given (--vectors, word2vec text with
// u:/i: keys for this dataset), else normalised rows of the user-item co-occurrence (an independent embedding).
//
// usage: node tools/bench/clusterer/synthetic-purity.mjs [--vectors synth.vec] [--k 8] [--seed 42] [--data-seed 42]
import { generateSyntheticDataset, entityKey, Rng } from '@meta-id/core';
import { buildCodebook } from '@meta-id/token-clusterer';
import { readWord2vecText, parseArgs, median } from './io.mjs';

const o = parseArgs(process.argv.slice(2), { vectors: '', k: 8, seed: 42, 'data-seed': 42, repeats: 5 });
const data = generateSyntheticDataset({ seed: o['data-seed'] });
let table;
if (o.vectors) table = readWord2vecText(o.vectors);
else {
  const U = data.users.size, I = data.items.size;
  const ui = Array.from({ length: U }, () => []);
  for (const x of data.interactions) ui[x.user].push(x.item);
  const vectors = new Float32Array((U + I) * I);
  for (let u = 0; u < U; u++) for (const i of ui[u]) vectors[u * I + i] += 1;
  for (let u = 0; u < U; u++) for (const a of ui[u]) for (const b of ui[u]) vectors[(U + a) * I + b] += 1;
  table = { ids: [...data.users.ids.map((id) => entityKey('user', id)), ...data.items.ids.map((id) => entityKey('item', id))], dim: I, vectors };
}
const truthOf = new Map();
data.users.ids.forEach((id, u) => truthOf.set(entityKey('user', id), data.truth.userCommunity[u]));
data.items.ids.forEach((id, i) => truthOf.set(entityKey('item', id), data.truth.itemCategory[i]));
console.log(`synthetic dataset: ${data.users.size} users, ${data.items.size} items, ${data.interactions.length} interactions, 8 communities / 8 categories (seed ${o['data-seed']})`);
console.log(`vectors: ${o.vectors || `user-item co-occurrence rows (${table.dim}-d)`}; meta-id scheme, k=${o.k}, cosine, seeds ${o.seed}..${o.seed + o.repeats - 1}`);
const res = { users: [], items: [], usersChance: [], itemsChance: [], pu: [], pi: [] };
for (let r = 0; r < o.repeats; r++) {
  const cb = await buildCodebook(table, { k: o.k, seed: o.seed + r, printStats: false, progress: false });
  for (const kind of ['users', 'items']) {
    const keys = table.ids.filter((k) => k.startsWith(kind === 'users' ? 'u:' : 'i:'));
    const clusters = keys.map((k) => cb.codes[k][0]);
    const truth = keys.map((k) => truthOf.get(k));
    res[kind].push(nmi(clusters, truth));
    res[kind === 'users' ? 'pu' : 'pi'].push(purity(clusters, truth));
    res[kind + 'Chance'].push(nmi(clusters, new Rng(r + 1).shuffle([...truth])));
  }
}
console.log('\n| entities | NMI coarse token vs planted label (median of ' + o.repeats + ') | purity | NMI with shuffled labels (chance) |');
console.log('| --- | --- | --- | --- |');
console.log(`| users vs community | ${median(res.users).toFixed(3)} | ${median(res.pu).toFixed(3)} | ${median(res.usersChance).toFixed(3)} |`);
console.log(`| items vs category | ${median(res.items).toFixed(3)} | ${median(res.pi).toFixed(3)} | ${median(res.itemsChance).toFixed(3)} |`);
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
function purity(c, t) {
  const by = new Map();
  c.forEach((x, i) => { const m = by.get(x) ?? new Map(); m.set(t[i], (m.get(t[i]) ?? 0) + 1); by.set(x, m); });
  let hit = 0;
  for (const m of by.values()) hit += Math.max(...m.values());
  return hit / c.length;
}
