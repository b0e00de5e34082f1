/**
 * A simple embedding independent of the interaction-embedder, for tests and
 * benchmarks: a user is its row of the user × item matrix, an item is its row
 * of the item × item co-occurrence matrix (AᵀA), both in item space.
 */
import { entityKey, type Dataset, type EmbeddingTable } from '@meta-id/core';

export function cooccurrenceTable(data: Dataset): EmbeddingTable {
  const U = data.users.size;
  const I = data.items.size;
  const userItems: number[][] = Array.from({ length: U }, () => []);
  for (const x of data.interactions) userItems[x.user].push(x.item);
  const vectors = new Float32Array((U + I) * I);
  for (let u = 0; u < U; u++) for (const i of userItems[u]) vectors[u * I + i] += 1;
  for (let u = 0; u < U; u++) {
    for (const a of userItems[u]) for (const b of userItems[u]) vectors[(U + a) * I + b] += 1;
  }
  const ids = [...data.users.ids.map((id) => entityKey('user', id)), ...data.items.ids.map((id) => entityKey('item', id))];
  return { ids, dim: I, vectors };
}

/** Normalised mutual information (arithmetic-mean normalisation, as scikit-learn's default). */
export function nmi(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const joint = new Map<string, number>();
  const ca = new Map<number, number>();
  const cb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    joint.set(`${a[i]},${b[i]}`, (joint.get(`${a[i]},${b[i]}`) ?? 0) + 1);
    ca.set(a[i], (ca.get(a[i]) ?? 0) + 1);
    cb.set(b[i], (cb.get(b[i]) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split(',').map(Number);
    mi += (c / n) * Math.log((c * n) / (ca.get(x)! * cb.get(y)!));
  }
  const h = (m: Map<number, number>) => -[...m.values()].reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
  const denom = (h(ca) + h(cb)) / 2;
  return denom === 0 ? 1 : mi / denom;
}

/** Purity: share of entities whose cluster's majority label is their own. */
export function purity(clusters: ArrayLike<number>, labels: ArrayLike<number>): number {
  const by = new Map<number, Map<number, number>>();
  for (let i = 0; i < clusters.length; i++) {
    const m = by.get(clusters[i]) ?? new Map<number, number>();
    m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
    by.set(clusters[i], m);
  }
  let hit = 0;
  for (const m of by.values()) hit += Math.max(...m.values());
  return hit / clusters.length;
}
