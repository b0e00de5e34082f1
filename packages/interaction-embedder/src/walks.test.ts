import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { ITEM, USER, buildInteractionGraph } from './graph.js';
import { MetaPathWalker, collectWalks, parseMetaPath } from './walks.js';
import { readWalkCorpus, writeWalkCorpus } from './corpus-io.js';

const data = generateSyntheticDataset({ seed: 3, users: 120, items: 60, communities: 4, categories: 4, maxLength: 12 });
const split = leaveOneOutSplit(data);
const graph = buildInteractionGraph(split, { names: data });

// Edge set built straight from the interactions, independently of the CSR arrays.
const edges = new Set(split.train.map((x) => `${x.user}:${split.numUsers + x.item}`));
const isEdge = (a: number, b: number) => edges.has(a < b ? `${a}:${b}` : `${b}:${a}`);

describe('meta-path walks', () => {
  it('alternate node types and follow training edges', () => {
    const { corpus } = collectWalks(graph, { walksPerNode: 2, walkLength: 9, seed: 5 });
    expect(corpus.numWalks).toBe(2 * (graph.numNodes - graph.isolatedNodes));
    for (let w = 0; w < corpus.numWalks; w++) {
      const walk = corpus.tokens.subarray(corpus.offsets[w], corpus.offsets[w + 1]);
      expect(walk.length).toBe(9);
      for (let k = 1; k < walk.length; k++) {
        expect(graph.nodeType[walk[k]]).not.toBe(graph.nodeType[walk[k - 1]]);
        expect(isEdge(walk[k - 1], walk[k])).toBe(true);
      }
    }
  });

  it('start walksPerNode times from every non-isolated node of each scheme', () => {
    const { corpus, stats } = collectWalks(graph, { walksPerNode: 3, walkLength: 4, seed: 1 });
    const starts = new Map<number, number>();
    for (let w = 0; w < corpus.numWalks; w++) {
      const v = corpus.tokens[corpus.offsets[w]];
      starts.set(v, (starts.get(v) ?? 0) + 1);
    }
    const users = split.numUsers;
    const activeItems = new Set(split.train.map((x) => x.item)).size;
    expect(stats.startsPerScheme).toEqual({ 'U-I-U': users, 'I-U-I': activeItems });
    expect([...starts.values()].every((n) => n === 3)).toBe(true);
    expect(starts.size).toBe(users + activeItems);
  });

  it('U-I-U only starts at users', () => {
    const { corpus } = collectWalks(graph, { schemes: ['U-I-U'], walksPerNode: 1, walkLength: 5 });
    for (let w = 0; w < corpus.numWalks; w++) expect(graph.nodeType[corpus.tokens[corpus.offsets[w]]]).toBe(USER);
    const { corpus: c2 } = collectWalks(graph, { schemes: ['item-user-item-user-item'], walksPerNode: 1, walkLength: 5 });
    for (let w = 0; w < c2.numWalks; w++) expect(graph.nodeType[c2.tokens[c2.offsets[w]]]).toBe(ITEM);
  });

  it('are deterministic for a seed and differ across seeds', () => {
    const a = collectWalks(graph, { seed: 11, walksPerNode: 2 }).corpus.tokens;
    const b = collectWalks(graph, { seed: 11, walksPerNode: 2 }).corpus.tokens;
    const c = collectWalks(graph, { seed: 12, walksPerNode: 2 }).corpus.tokens;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('stream the same corpus whatever the chunk size', () => {
    const whole = collectWalks(graph, { seed: 2, walksPerNode: 2, walkLength: 6 }).corpus;
    const walker = new MetaPathWalker(graph, { seed: 2, walksPerNode: 2, walkLength: 6, chunkWalks: 7 });
    const parts: number[] = [];
    let chunks = 0;
    for (const chunk of walker.chunks()) {
      chunks++;
      expect(chunk.count).toBeLessThanOrEqual(7);
      parts.push(...chunk.tokens.subarray(0, chunk.offsets[chunk.count]));
    }
    expect(chunks).toBeGreaterThan(10);
    expect(parts).toEqual(Array.from(whole.tokens));
    expect(walker.stats.tokens).toBe(parts.length);
  });

  it('follow weighted edges in proportion to their weight', () => {
    // One user with two items: rating 9 vs 1 → about 90% of steps go to the first.
    const s = { kind: 'ratio' as const, numUsers: 1, numItems: 2, train: [{ user: 0, item: 0, rating: 9 }, { user: 0, item: 1, rating: 1 }], validation: [], test: [] };
    const g = buildInteractionGraph(s, { weighting: 'rating' });
    const { corpus } = collectWalks(g, { schemes: ['U-I-U'], walksPerNode: 4000, walkLength: 2, seed: 9 });
    let first = 0;
    for (let w = 0; w < corpus.numWalks; w++) if (corpus.tokens[corpus.offsets[w] + 1] === 1) first++;
    expect(first / corpus.numWalks).toBeGreaterThan(0.87);
    expect(first / corpus.numWalks).toBeLessThan(0.93);
  });

  it('report isolated nodes instead of failing', () => {
    const s = { kind: 'ratio' as const, numUsers: 3, numItems: 3, train: [{ user: 0, item: 0 }], validation: [], test: [] };
    const { corpus, stats } = collectWalks(buildInteractionGraph(s), { walksPerNode: 2, walkLength: 3 });
    expect(stats.isolatedNodes).toBe(4);
    expect(corpus.numWalks).toBe(4);
  });

  it('reject bad schemes and options', () => {
    expect(() => parseMetaPath('U-U-I')).toThrow(/alternate/);
    expect(() => parseMetaPath('U-I')).toThrow(/at least 3/);
    expect(() => parseMetaPath('U-I-U-I')).toThrow(/symmetric/);
    expect(() => parseMetaPath('U-X-U')).toThrow(/unknown node type/);
    expect(parseMetaPath('user-item-user').name).toBe('U-I-U');
    expect(() => collectWalks(graph, { walkLength: 1 })).toThrow(/walkLength/);
    expect(() => collectWalks(graph, { walksPerNode: 0 })).toThrow(ConfigError);
    const empty = buildInteractionGraph({ kind: 'ratio', numUsers: 2, numItems: 2, train: [], validation: [], test: [] });
    expect(() => collectWalks(empty)).toThrow(/no edges/);
  });
});

describe('walk corpus text file', () => {
  it('writes one walk per line with node names and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walks-'));
    const path = join(dir, 'walks.txt');
    const walker = new MetaPathWalker(graph, { walksPerNode: 1, walkLength: 5, seed: 4, chunkWalks: 10 });
    const written = writeWalkCorpus(path, walker.chunks(), graph.names);
    const text = readFileSync(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(written.walks);
    expect(lines[0].split(' ').length).toBe(5);
    expect(lines[0]).toMatch(/^[ui]:\S+( [ui]:\S+){4}$/);
    const { corpus } = collectWalks(graph, { walksPerNode: 1, walkLength: 5, seed: 4 });
    const back = readWalkCorpus(path);
    expect(back.numWalks).toBe(corpus.numWalks);
    const asNames = Array.from(back.tokens, (t) => back.names[t]);
    expect(asNames).toEqual(Array.from(corpus.tokens, (t) => graph.names[t]));
    expect(back.counts.reduce((a, b) => a + b, 0)).toBe(written.tokens);
  });
});
