import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { buildInteractionGraph } from '../graph.js';
import { collectWalks, type WalkCorpus } from '../walks.js';
import { aliasTable, subsamplingThresholds, trainSkipGram, type TrainingProgress } from './trainer.js';
import { embedInteractions } from '../embed.js';

const data = generateSyntheticDataset({ seed: 7, users: 300, items: 120, communities: 4, categories: 4, maxLength: 15 });
const split = leaveOneOutSplit(data);

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('sampling tables', () => {
  it('alias table reproduces count^0.75 exactly', () => {
    const counts = Float64Array.from([50, 1, 0, 7, 300, 2, 0.5]);
    const buffer = aliasTable(counts, 0.75, 1);
    const prob = new Float32Array(buffer);
    const alias = new Int32Array(buffer);
    const V = counts.length;
    // P(w) = (prob[w] + Σ_{c: alias[c] = w} (1 - prob[c])) / V, compared with the formula directly.
    const p = new Float64Array(V);
    for (let c = 0; c < V; c++) {
      p[c] += prob[2 * c] / V;
      p[alias[2 * c + 1]] += (1 - prob[2 * c]) / V;
    }
    const kept = [50, 1, 0, 7, 300, 2, 0].map((c) => Math.pow(c, 0.75));
    const total = kept.reduce((a, b) => a + b, 0);
    kept.forEach((k, w) => expect(p[w]).toBeCloseTo(k / total, 6));
  });

  it('sub-sampling thresholds follow gensim (hand-computed)', () => {
    // retained = 1000 + 10 = 1010; threshold = 1e-3 × 1010 = 1.01.
    // word seen 1000×: (sqrt(1000/1.01) + 1) × 1.01/1000 = 0.032790; seen 10×: (sqrt(10/1.01) + 1) × 1.01/10 = 0.418809;
    // seen once with minCount 2: 0 (always dropped).
    const t = subsamplingThresholds(Float64Array.from([1000, 10, 1]), 1e-3, 2);
    expect(t[0] / 4294967295).toBeCloseTo((Math.sqrt(1000 / 1.01) + 1) * (1.01 / 1000), 8);
    expect(t[0] / 4294967295).toBeCloseTo(0.032790, 5);
    expect(t[1] / 4294967295).toBeCloseTo(0.418809, 5);
    expect(t[2]).toBe(0);
    // sample = 0: every retained word always kept.
    expect(subsamplingThresholds(Float64Array.from([1000, 10]), 0, 1)[0]).toBe(4294967295);
  });
});

describe('trainSkipGram', () => {
  const graph = buildInteractionGraph(split, { names: data });
  const { corpus } = collectWalks(graph, { walksPerNode: 3, walkLength: 12, seed: 1 });

  it('is bit-for-bit reproducible with a seed and one thread (worker or in-process)', async () => {
    const part: WalkCorpus = { ...corpus, offsets: corpus.offsets.subarray(0, 201), numWalks: 200 };
    for (const engine of ['wasm-simd', 'js'] as const) {
      const o = { dim: 16, epochs: 1, threads: 1, seed: 5, engine, progress: false };
      const a = await trainSkipGram(part, o);
      const b = await trainSkipGram(part, o);
      const c = await trainSkipGram(part, { ...o, inProcess: true });
      expect(a.stats.engine).toBe(engine);
      expect(Buffer.from(a.table.vectors.buffer).equals(Buffer.from(b.table.vectors.buffer))).toBe(true);
      expect(Buffer.from(a.table.vectors.buffer).equals(Buffer.from(c.table.vectors.buffer))).toBe(true);
      const d = await trainSkipGram(part, { ...o, seed: 6 });
      expect(Buffer.from(a.table.vectors.buffer).equals(Buffer.from(d.table.vectors.buffer))).toBe(false);
    }
  });

  it('runs the same updates on the JavaScript and WebAssembly engines (up to float rounding)', async () => {
    const small: WalkCorpus = { ...corpus, offsets: corpus.offsets.subarray(0, 301), numWalks: 300 };
    const o = { dim: 16, epochs: 1, threads: 1, seed: 9, progress: false, inProcess: true };
    const js = await trainSkipGram(small, { ...o, engine: 'js' });
    const wasm = await trainSkipGram(small, { ...o, engine: 'wasm-simd' });
    expect(js.table.ids).toEqual(wasm.table.ids);
    let maxDiff = 0;
    let moved = 0;
    const init = await trainSkipGram(small, { ...o, alpha: 1e-12, minAlpha: 0 });
    for (let k = 0; k < js.table.vectors.length; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(js.table.vectors[k] - wasm.table.vectors[k]));
      moved = Math.max(moved, Math.abs(js.table.vectors[k] - init.table.vectors[k]));
    }
    expect(moved).toBeGreaterThan(1e-3); // training did change the vectors...
    expect(maxDiff).toBeLessThan(1e-5); // ...in the same way on both engines (measured 4e-3 moved, 4e-7 apart)
  });

  it('trains every word once per epoch and counts words the gensim way', async () => {
    const r = await trainSkipGram(corpus, { dim: 8, epochs: 2, threads: 2, progress: false, sample: 0 });
    const raw = corpus.offsets[corpus.numWalks];
    expect(r.stats.words).toBe(2 * raw);
    expect(r.stats.effectiveWords).toBe(2 * raw); // sample 0 keeps all
    expect(r.table.ids.length).toBe(graph.numNodes - graph.isolatedNodes);
    expect(r.stats.threads).toBe(2);
    expect(r.stats.finalLoss).toBeGreaterThan(0);
  });

  it('drops frequent words with sample and rare words with minCount', async () => {
    const r = await trainSkipGram(corpus, { dim: 8, epochs: 1, threads: 1, progress: false, sample: 1e-4 });
    expect(r.stats.effectiveWords).toBeLessThan(r.stats.words);
    const counts = new Map<number, number>();
    for (const t of corpus.tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const m = await trainSkipGram(corpus, { dim: 8, epochs: 1, threads: 1, progress: false, minCount: 10 });
    expect(m.table.ids.length).toBe([...counts.values()].filter((c) => c >= 10).length);
  });

  it('puts users of one planted community closer together than users of different ones', async () => {
    const { table, stats } = await embedInteractions(split, {
      names: data,
      dim: 32,
      walksPerNode: 5,
      walkLength: 20,
      epochs: 3,
      threads: 2,
      progress: false,
      seed: 3,
    });
    expect(stats.graph.isolatedNodes).toBe(graph.isolatedNodes);
    const row = new Map(table.ids.map((id, r) => [id, table.vectors.subarray(r * table.dim, (r + 1) * table.dim)]));
    const rng = new Rng(1);
    let same = 0, sameN = 0, diff = 0, diffN = 0;
    for (let k = 0; k < 4000; k++) {
      const a = rng.int(split.numUsers);
      const b = rng.int(split.numUsers);
      if (a === b) continue;
      const c = cosine(row.get(`u:${data.users.id(a)}`)!, row.get(`u:${data.users.id(b)}`)!);
      if (data.truth!.userCommunity[a] === data.truth!.userCommunity[b]) (same += c), sameN++;
      else (diff += c), diffN++;
    }
    const margin = same / sameN - diff / diffN;
    // Measured 0.44 (same-community mean cosine 0.84, different 0.40); a margin of 0.25 still fails a broken trainer.
    expect(margin).toBeGreaterThan(0.25);
  });

  it('reports progress (walks, words/s, loss, ETA) while it trains', async () => {
    const seen: TrainingProgress[] = [];
    await trainSkipGram(corpus, { dim: 16, epochs: 8, threads: 1, progressEvery: 10, progress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    const last = seen[seen.length - 1];
    expect(last.walksDone).toBeGreaterThan(0);
    expect(last.wordsDone).toBeGreaterThan(0);
    expect(last.wordsDone).toBeLessThanOrEqual(last.wordsTotal);
    expect(last.wordsTotal).toBe(8 * corpus.offsets[corpus.numWalks]);
    expect(last.wordsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(last.etaSeconds)).toBe(true);
  });

  it('rejects options that cannot work, naming them', async () => {
    const bad = async (o: object) => trainSkipGram(corpus, { progress: false, ...o });
    await expect(bad({ window: 0 })).rejects.toThrow(/option window: must be an integer ≥ 1/);
    await expect(bad({ dim: 0 })).rejects.toThrow(/option dim/);
    await expect(bad({ negative: -1 })).rejects.toThrow(/option negative: must be an integer ≥ 0/);
    await expect(bad({ negative: 0 })).rejects.toThrow(/hierarchical softmax/);
    await expect(bad({ alpha: 0 })).rejects.toThrow(/option alpha/);
    await expect(bad({ minAlpha: 1 })).rejects.toThrow(/option minAlpha/);
    await expect(bad({ epochs: 1.5 })).rejects.toThrow(/option epochs/);
    await expect(bad({ sample: -1 })).rejects.toThrow(/option sample/);
    await expect(bad({ threads: 0 })).rejects.toThrow(ConfigError);
    await expect(bad({ engine: 'wasm-simd', dim: 6 })).rejects.toThrow(/multiple of 4/);
    await expect(bad({ inProcess: true, threads: 2 })).rejects.toThrow(/inProcess/);
    const empty: WalkCorpus = { tokens: new Int32Array(0), offsets: new Int32Array(1), numWalks: 0, names: [] };
    await expect(trainSkipGram(empty)).rejects.toThrow(/empty/);
    await expect(
      embedInteractions({ kind: 'ratio', numUsers: 2, numItems: 2, train: [], validation: [], test: [] }),
    ).rejects.toThrow(/no edges/);
  });
});
