// Shared helpers of the embedder benchmarks (run from the repository root; data from ../shared/data).
import { existsSync } from 'node:fs';
import { Rng, leaveOneOutSplit } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';

export const BEAUTY = '../shared/data/amazon-p5/beauty/sequential_data.txt';
export const PYTHON = '/usr/bin/python3';

export async function loadBeauty() {
  if (!existsSync(BEAUTY)) throw new Error(`${BEAUTY} not found: run from the repository root with shared/ beside it`);
  const dataset = await readDatasetFile(BEAUTY);
  return { dataset, split: leaveOneOutSplit(dataset) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Held-out link prediction: Beauty validation interactions (one per user) as
 * positives, an equal number of seeded random (user, item) pairs that never
 * occur in the dataset (train, validation or test) as negatives; score =
 * cosine of the user and item vectors (0 when either has none); AUC by the
 * rank-sum formula with ties counted half.
 */
export function linkPredictionAuc(table, dataset, split, seed = 2024) {
  const row = new Map(table.ids.map((id, r) => [id, r]));
  const { dim, vectors } = table;
  const norms = new Float64Array(table.ids.length);
  for (let r = 0; r < norms.length; r++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[r * dim + d] ** 2;
    norms[r] = Math.sqrt(s) || 1;
  }
  const score = (u, i) => {
    const a = row.get(`u:${dataset.users.id(u)}`);
    const b = row.get(`i:${dataset.items.id(i)}`);
    if (a === undefined || b === undefined) return 0;
    let s = 0;
    for (let d = 0; d < dim; d++) s += vectors[a * dim + d] * vectors[b * dim + d];
    return s / (norms[a] * norms[b]);
  };
  const seen = new Set(dataset.interactions.map((x) => x.user * 1e6 + x.item));
  const rng = new Rng(seed);
  const pos = split.validation.map((x) => score(x.user, x.item));
  const neg = [];
  while (neg.length < pos.length) {
    const u = rng.int(split.numUsers);
    const i = rng.int(split.numItems);
    if (!seen.has(u * 1e6 + i)) neg.push(score(u, i));
  }
  const all = [...pos.map((s) => [s, 1]), ...neg.map((s) => [s, 0])].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let k = 0; k < all.length; ) {
    let j = k;
    while (j < all.length && all[j][0] === all[k][0]) j++;
    const avgRank = (k + 1 + j) / 2;
    for (let q = k; q < j; q++) if (all[q][1] === 1) rankSum += avgRank;
    k = j;
  }
  const P = pos.length;
  const N = neg.length;
  return (rankSum - (P * (P + 1)) / 2) / (P * N);
}
