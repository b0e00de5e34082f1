/** A synthetic codebook with known centroids, for tests. */
import { Rng, type TokenCodebook, type TokenInfo } from '@meta-id/core';

export interface SyntheticCodebookOptions {
  items: number;
  users: number;
  clusters: number;
  dim: number;
  seed?: number;
  /** Spelling of cluster token k and fine token b. Default META ID's `<CTk>` and `<b>` (b from 1001). */
  spell?: { cluster: (k: number) => string; fine: (b: number) => string };
  /** List the tokens in a shuffled order (ids then differ from any sorted order). Default true. */
  shuffleTokens?: boolean;
}

/**
 * Entities get a cluster token and a fine token that is unique inside the
 * cluster (fine tokens are shared across clusters, as in META ID). Every token
 * gets a distinct random centroid.
 */
export function syntheticCodebook(o: SyntheticCodebookOptions): TokenCodebook {
  const rng = new Rng(o.seed ?? 1);
  const spell = o.spell ?? { cluster: (k: number) => `<CT${k}>`, fine: (b: number) => `<${1001 + b}>` };
  const codes: Record<string, string[]> = {};
  const perCluster = new Array(o.clusters).fill(0);
  const keys = [
    ...Array.from({ length: o.items }, (_, i) => `i:item${i}`),
    ...Array.from({ length: o.users }, (_, i) => `u:user${i}`),
  ];
  let maxFine = 0;
  for (const key of keys) {
    const k = rng.int(o.clusters);
    const b = perCluster[k]++;
    maxFine = Math.max(maxFine, b + 1);
    codes[key] = [spell.cluster(k), spell.fine(b)];
  }
  const members = new Map<string, number>();
  for (const code of Object.values(codes)) for (const t of code) members.set(t, (members.get(t) ?? 0) + 1);
  const centroid = () => Array.from({ length: o.dim }, () => rng.normal());
  const tokens: TokenInfo[] = [];
  for (let k = 0; k < o.clusters; k++) if (members.has(spell.cluster(k))) tokens.push({ token: spell.cluster(k), level: 0, members: members.get(spell.cluster(k))!, centroid: centroid() });
  for (let b = 0; b < maxFine; b++) tokens.push({ token: spell.fine(b), level: 1, members: members.get(spell.fine(b))!, centroid: centroid() });
  if (o.shuffleTokens ?? true) rng.shuffle(tokens);
  return { scheme: 'synthetic', dim: o.dim, tokens, codes };
}
