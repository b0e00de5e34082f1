import { describe, expect, it } from 'vitest';
import { generateSyntheticDataset, leaveOneOutSplit, Rng, type EmbeddingTable, type Ranking } from '@meta-id/core';
import { evaluate } from './evaluate.js';
import { metricsJson, reportMarkdown } from './report.js';
import { clusterSizeHistogram, tokenSizes } from './svg/codebook-charts.js';
import { checkWellFormedXml } from './test-support/xml.js';

describe('evaluate (one call for the pipeline)', () => {
  const data = generateSyntheticDataset({ seed: 5, users: 200, items: 80, reviews: false });
  const split = leaveOneOutSplit(data);

  it('popularity beats a random ranking on planted data, and every section is present', () => {
    // Popularity over training interactions, the same list for every user.
    const pop = new Array(data.items.size).fill(0);
    for (const x of split.train) pop[x.item]++;
    const byPop = pop.map((c, i) => [c, i]).sort((a, b) => b[0] - a[0]).map(([, i]) => i);
    const rng = new Rng(1);
    const popular: Ranking[] = [];
    const random: Ranking[] = [];
    for (let u = 0; u < data.users.size; u++) {
      popular.push({ user: u, items: byPop.slice(0, 20) });
      random.push({ user: u, items: rng.shuffle(byPop.slice()).slice(0, 20) });
    }
    const ids = [...data.items.ids.map((i) => `i:${i}`), ...data.users.ids.map((u) => `u:${u}`)];
    const vectors: EmbeddingTable = { ids, dim: 8, vectors: Float32Array.from({ length: ids.length * 8 }, () => rng.normal()) };
    const result = evaluate({
      title: 'synthetic',
      split,
      rankings: popular,
      sampled: { userItems: data.interactions, numNegatives: 20 }, // only 80 items: 99 negatives would not fit (an error says so)
      entityVectors: vectors,
      users: data.users,
      items: data.items,
      msOptions: { pairs: 2000 },
      dsOptions: { pairs: 2000 },
      ratings: { predictions: split.test.map(() => 4), targets: split.test.map((x) => x.rating!) },
      texts: { candidates: ['good serum'], references: ['good serum indeed'] },
    });
    expect(Object.keys(result.sections)).toEqual(['ranking', 'ranking-sampled', 'rating', 'text', 'memorization', 'diversity']);
    const randomResult = evaluate({ split, rankings: random });
    expect(result.sections.ranking.metrics['HR@20']).toBeGreaterThan(randomResult.sections.ranking.metrics['HR@20']);
    // Chance level of HR@20 over 80 items is about 20/80 = 0.25 (a bit less: test items can repeat train items).
    expect(randomResult.sections.ranking.metrics['HR@20']).toBeLessThan(0.4);
    expect(Math.abs(result.sections.memorization.metrics.MS)).toBeLessThan(0.15); // random vectors
    expect(result.sections.diversity.metrics.DS).toBeGreaterThan(0);
    expect(result.sections.ranking.count).toBe(200);
    expect(JSON.parse(metricsJson(result)).metrics['HR@20']).toBe(result.sections.ranking.metrics['HR@20']);
    expect(reportMarkdown(result)).toContain('## memorization');
  });

  it('cluster sizes of a codebook', () => {
    const codes = { 'i:a': ['<CT0>', '<0>'], 'i:b': ['<CT0>', '<1>'], 'i:c': ['<CT1>', '<0>'], 'u:x': ['<CT0>', '<2>'] };
    expect([...tokenSizes({ codes })]).toEqual([['<CT0>', 3], ['<CT1>', 1]]);
    expect([...tokenSizes({ codes }, 0, 'i:')]).toEqual([['<CT0>', 2], ['<CT1>', 1]]);
    expect([...tokenSizes({ codes }, 1)]).toEqual([['<0>', 2], ['<1>', 1], ['<2>', 1]]);
    const svg = clusterSizeHistogram({ codes });
    checkWellFormedXml(svg);
    expect(svg).toContain('2 tokens');
  });
});
