import { describe, expect, it } from 'vitest';
import { codebookStats, distribution, formatStats } from './stats.js';

describe('codebook statistics', () => {
  it('summarises a distribution with a histogram that covers every value', () => {
    const d = distribution([1, 2, 2, 3, 10], 3);
    expect(d).toMatchObject({ count: 5, min: 1, median: 2, mean: 3.6, max: 10 });
    expect(d.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(d.histogram.counts).toEqual([4, 0, 1]);
    expect(d.histogram.edges).toEqual([1, 4, 7, 10]);
    expect(distribution([4, 4]).histogram.counts).toEqual([2]);
  });
  it('counts tokens per level, cluster sizes and code lengths from the codes', () => {
    const codes = { 'u:a': ['<CT0>', '<1001>'], 'u:b': ['<CT0>', '<1002>'], 'i:c': ['<CT1>', '<1001>'], 'i:d': ['<CT1>', '<1002>'], 'i:e': ['<CT1>', '<1003>'] };
    const s = codebookStats({ codes, tokens: new Array(5) }, 5);
    expect(s.entities).toBe(5);
    expect(s.users).toBe(2);
    expect(s.items).toBe(3);
    expect(s.tokensPerLevel).toEqual([2, 3]);
    expect(s.clusterSizes[0]).toMatchObject({ min: 2, median: 2.5, max: 3 });
    expect(s.clusterSizes[1]).toMatchObject({ min: 1, max: 2 });
    expect(s.codeLength).toMatchObject({ min: 2, max: 2 });
    expect(formatStats('meta-id', s)).toMatch(/5 entities \(2 users, 3 items\), 5 tokens/);
  });
});
