import { describe, expect, it } from 'vitest';
import { generateSyntheticDataset, leaveOneOutSplit, parseP5Sequential, entityKey } from '@meta-id/core';
import { randomIds, sequentialIds, collaborativeIds, coOccurrenceGraph } from './index.js';

describe('sequentialIds', () => {
  it('numbers items by first appearance in training sequences (hand-computed)', async () => {
    // Training parts (last two items held out): user 1 → 30 10, user 2 → 20 10 40.
    const d = parseP5Sequential('1 30 10 50 60\n2 20 10 40 70 80\n');
    const split = leaveOneOutSplit(d);
    const cb = await sequentialIds.assign({ split, itemIds: d.items.ids });
    const code = (raw: string) => cb.codes[entityKey('item', raw)].join('');
    expect([code('30'), code('10'), code('20'), code('40')]).toEqual(['1', '2', '3', '4']);
    // 50, 60, 70, 80 never occur in training: numbered after, in index order.
    expect([code('50'), code('60'), code('70'), code('80')]).toEqual(['5', '6', '7', '8']);
    expect(cb.codes[entityKey('item', '40')]).toEqual(['4']); // 8 items: one digit
    // Every code has the same width, so none is a prefix of another.
    const wide = await sequentialIds.assign({ split, itemIds: Array.from({ length: 120 }, (_, i) => d.items.ids[i] ?? `x${i}`) });
    expect(wide.codes[entityKey('item', '30')]).toEqual(['0', '0', '1']);
    expect(cb.stats!.itemsAbsentFromTraining).toBe(4);
  });
});

describe('randomIds', () => {
  it('gives a seeded permutation of 1..N written as digits', async () => {
    const d = generateSyntheticDataset({ users: 50, items: 120, seed: 2 });
    const split = leaveOneOutSplit(d);
    const a = await randomIds.assign({ split, itemIds: d.items.ids, seed: 5 });
    const b = await randomIds.assign({ split, itemIds: d.items.ids, seed: 5 });
    const c = await randomIds.assign({ split, itemIds: d.items.ids, seed: 6 });
    expect(a.codes).toEqual(b.codes);
    expect(a.codes).not.toEqual(c.codes);
    expect(Object.values(a.codes).every((t) => t.length === 3)).toBe(true);
    const numbers = Object.values(a.codes).map((t) => Number(t.join(''))).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
  });
});

describe('collaborativeIds (CID)', () => {
  it('counts co-occurrences per user history (hand-computed)', () => {
    const d = parseP5Sequential('1 1 2 3 8 9\n2 1 2 8 9\n');
    const split = leaveOneOutSplit(d); // training: user 1 → 1 2 3, user 2 → 1 2
    const g = coOccurrenceGraph(split, d.items.size);
    const w = (a: string, b: string) => {
      const i = d.items.get(a)!;
      const j = d.items.get(b)!;
      for (let p = g.offsets[i]; p < g.offsets[i + 1]; p++) if (g.neighbours[p] === j) return g.weights[p];
      return 0;
    };
    expect([w('1', '2'), w('1', '3'), w('2', '3'), w('1', '8')]).toEqual([2, 1, 1, 0]);
  });

  it('separates two disconnected communities at the first level', async () => {
    // Users 1-20 buy only from items 1-10, users 21-40 only from items 11-20.
    const lines: string[] = [];
    for (let u = 1; u <= 40; u++) {
      const base = u <= 20 ? 0 : 10;
      const items = Array.from({ length: 6 }, (_, k) => base + ((u + k * 3) % 10) + 1);
      lines.push(`${u} ${[...new Set(items)].join(' ')}`);
    }
    const d = parseP5Sequential(lines.join('\n'));
    const split = leaveOneOutSplit(d);
    const cb = await collaborativeIds({ clustersPerLevel: 2, leafSize: 10 }).assign({ split, itemIds: d.items.ids, seed: 1 });
    const first = (raw: number) => cb.codes[entityKey('item', String(raw))][0];
    const left = new Set(Array.from({ length: 10 }, (_, i) => first(i + 1)));
    const right = new Set(Array.from({ length: 10 }, (_, i) => first(i + 11)));
    expect(left.size).toBe(1);
    expect(right.size).toBe(1);
    expect([...left][0]).not.toBe([...right][0]);
  });

  it('on the synthetic dataset, first-level codes follow the planted categories far above chance', async () => {
    const d = generateSyntheticDataset({ users: 600, items: 240, categories: 8, communities: 8, seed: 4 });
    const split = leaveOneOutSplit(d);
    const cb = await collaborativeIds({ clustersPerLevel: 8, leafSize: 40 }).assign({ split, itemIds: d.items.ids, seed: 3 });
    // Purity: share of items whose first token's majority category is their own.
    const byToken = new Map<string, number[]>();
    d.items.ids.forEach((raw, i) => {
      const t = cb.codes[entityKey('item', raw)][0];
      const counts = byToken.get(t) ?? new Array(8).fill(0);
      counts[d.truth!.itemCategory[i]]++;
      byToken.set(t, counts);
    });
    let majority = 0;
    for (const counts of byToken.values()) majority += Math.max(...counts);
    const purity = majority / d.items.size;
    expect(purity).toBeGreaterThan(0.6); // 8 balanced categories: chance ≈ 0.125-0.2
    expect(new Set(Object.values(cb.codes).map((c) => c.join(' '))).size).toBe(d.items.size);
  });

  it('spells every token with the same number of digits, so concatenated code text splits one way only', async () => {
    const d = generateSyntheticDataset({ users: 600, items: 240, categories: 8, communities: 8, seed: 4 });
    const split = leaveOneOutSplit(d);
    // 12 clusters per level and leaves of up to 15 items: numbers reach 11 and 14, so two digits each.
    const cb = await collaborativeIds({ clustersPerLevel: 12, leafSize: 15 }).assign({ split, itemIds: d.items.ids, seed: 3 });
    const tokens = new Set(Object.values(cb.codes).flat());
    for (const t of tokens) expect(t).toMatch(/^\d\d$/);
    // Cutting each code's text into 2-character pieces gives back the code, and no two codes share a text.
    const texts = new Set<string>();
    for (const code of Object.values(cb.codes)) {
      const text = code.join('');
      expect(text.match(/../g)).toEqual(code);
      texts.add(text);
    }
    expect(texts.size).toBe(d.items.size);
  });
});
