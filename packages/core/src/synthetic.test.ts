import { describe, expect, it } from 'vitest';
import { generateSyntheticDataset } from './synthetic.js';
import { datasetStats, filterByActivity, userSequences } from './dataset.js';

describe('generateSyntheticDataset', () => {
  it('is deterministic from its seed', () => {
    const a = generateSyntheticDataset({ seed: 11, users: 100, items: 80 });
    const b = generateSyntheticDataset({ seed: 11, users: 100, items: 80 });
    const c = generateSyntheticDataset({ seed: 12, users: 100, items: 80 });
    expect(a.interactions).toEqual(b.interactions);
    expect(a.interactions).not.toEqual(c.interactions);
  });

  it('has the requested shape and no repeated item inside a history', () => {
    const d = generateSyntheticDataset({ users: 300, items: 120, minLength: 5, maxLength: 12 });
    const s = datasetStats(d);
    expect(s.users).toBe(300);
    expect(d.items.size).toBe(120);
    expect(s.sequenceLength.min).toBeGreaterThanOrEqual(5);
    expect(s.sequenceLength.max).toBeLessThanOrEqual(12);
    for (const seq of userSequences(d.interactions, d.users.size)) expect(new Set(seq).size).toBe(seq.length);
    expect(s.hasRatings && s.hasText && s.hasTimestamps).toBe(true);
  });

  it('plants community structure: users pick their home category far above chance (1/categories)', () => {
    const d = generateSyntheticDataset({ users: 500, items: 240, categories: 8, communities: 8 });
    const { userCommunity, itemCategory } = d.truth!;
    let home = 0;
    for (const x of d.interactions) if (itemCategory[x.item] === userCommunity[x.user] % 8) home++;
    const share = home / d.interactions.length;
    expect(share).toBeGreaterThan(0.6); // chance would be 0.125
  });

  it('rejects impossible options with the option name', () => {
    expect(() => generateSyntheticDataset({ items: 10, categories: 8 })).toThrow('option items');
    expect(() => generateSyntheticDataset({ sequentialHabit: 2 })).toThrow('option sequentialHabit');
  });
});

describe('filterByActivity', () => {
  it('drops short users, re-indexes, and reports what it dropped', () => {
    const d = generateSyntheticDataset({ users: 200, items: 80, minLength: 2, maxLength: 10 });
    const before = datasetStats(d);
    const f = filterByActivity(d, { minInteractions: 5 });
    const after = datasetStats(f);
    expect(after.sequenceLength.min).toBeGreaterThanOrEqual(5);
    const report = f.dropped!.at(-1)!;
    expect(report.users).toBe(before.users - after.users);
    expect(report.interactions).toBe(before.interactions - after.interactions);
    expect(f.users.size).toBe(after.users);
  });
});
