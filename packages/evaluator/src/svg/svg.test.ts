import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@meta-id/core';
import { checkWellFormedXml } from '../test-support/xml.js';
import { pythonUnavailable, runPython } from '../test-support/python.js';
import { escapeXml, niceTicks } from './svg-core.js';
import { lineChart } from './line-chart.js';
import { histogram, histogramBins } from './histogram.js';
import { scatterPlot } from './scatter.js';
import { groupedBarChart } from './bar-chart.js';
import { embeddingScatter } from './embedding-scatter.js';

const rng = new Rng(12);
const charts: Record<string, string> = {
  line: lineChart({
    title: 'Training <loss> & "NDCG"',
    xLabel: 'step',
    yLabel: 'loss',
    series: [
      { name: 'train loss', points: Array.from({ length: 80 }, (_, i) => [i * 10, 3 * Math.exp(-i / 20) + 0.1 * rng.next()] as [number, number]) },
      { name: 'validation', points: [[0, 3], [200, 1.5], [400, NaN], [600, 0.9], [790, 0.8]] },
    ],
  }),
  histogram: histogram({ title: 'Cluster sizes', xLabel: 'entities per coarse token', values: Array.from({ length: 100 }, () => 1 + Math.floor(Math.exp(rng.normal() + 3))) }),
  scatter: scatterPlot({
    title: 'Items',
    points: Array.from({ length: 600 }, (_, i) => ({ x: rng.normal() + (i % 14), y: rng.normal(), group: `<CT${i % 14}>`, label: `i:${i}` })),
  }),
  bars: groupedBarChart({
    title: 'Full ranking',
    categories: ['HR@5', 'HR@10', 'NDCG@10'],
    series: [{ name: 'META ID', values: [0.04, 0.06, 0.03] }, { name: 'random ID', values: [0.01, 0.02, -0.005] }],
  }),
};

describe('SVG charts', () => {
  it('are well-formed XML with an <svg> root, escape text, and draw what they are given', () => {
    for (const [name, svg] of Object.entries(charts)) {
      const els = checkWellFormedXml(svg);
      expect(els[0], name).toBe('svg');
      expect(svg, name).toContain('xmlns="http://www.w3.org/2000/svg"');
    }
    expect(charts.line).toContain('Training &lt;loss&gt; &amp; &quot;NDCG&quot;');
    // The NaN splits the validation series into two polylines; train loss is one.
    expect(charts.line.match(/<polyline /g)).toHaveLength(3);
    // 14 groups, 10 colours: legend lists the 10 largest and "other: 4 groups".
    expect(charts.scatter).toContain('other: 4 groups');
    expect(charts.scatter.match(/<circle /g)!.length).toBeGreaterThanOrEqual(600);
    // Six bars (2 series × 3 metrics), one negative.
    expect(charts.bars.match(/<rect x=[^>]*><title>/g)).toHaveLength(6);
  });

  const why = pythonUnavailable(['xml.dom.minidom']);
  it.skipIf(why !== undefined)(`parse with Python's XML parser too${why ? ` (skipped: ${why})` : ''}`, () => {
    const out = runPython<string[]>(
      `from xml.dom import minidom
print(json.dumps([minidom.parseString(s.encode('utf-8')).documentElement.tagName for s in data]))`,
      Object.values(charts),
    );
    expect(out).toEqual(Object.values(charts).map(() => 'svg'));
  });

  it('histogram bins: hand-counted', () => {
    // integers 1..10, 5 bins → width ceil(10/5) = 2: [1,3) [3,5) [5,7) [7,9) [9,11) → 2 each
    expect(histogramBins([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5)).toEqual({ edges: [1, 3, 5, 7, 9, 11], counts: [2, 2, 2, 2, 2] });
    // reals [0, 0.1, 0.5, 1], 2 bins of 0.5: [0,0.5) has 2, [0.5,1] has 2 (the last bin is closed)
    expect(histogramBins([0, 0.1, 0.5, 1], 2).counts).toEqual([2, 2]);
    // default: n = 8 → max(Sturges ceil(log2 8) + 1 = 4, ceil(√8) = 3) = 4 bins;
    // n = 100 → max(8, 10) = 10 bins
    expect(histogramBins([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]).counts).toHaveLength(4);
    expect(histogramBins(Array.from({ length: 100 }, (_, i) => i + 0.5)).counts).toEqual(new Array(10).fill(10));
  });

  it('nice ticks and escaping', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('embeddingScatter colours by coarse token and reports explained variance', () => {
    const ids = Array.from({ length: 90 }, (_, i) => `i:${i}`);
    const centres = [[5, 0, 0], [0, 5, 0], [0, 0, 5]];
    const vectors = Float32Array.from(ids.flatMap((_, i) => centres[i % 3].map((c) => c + 0.3 * rng.normal())));
    const codes = Object.fromEntries(ids.map((id, i) => [id, [`<CT${i % 3}>`, `<${i}>`]]));
    const { svg, explainedVarianceRatio } = embeddingScatter({ ids, dim: 3, vectors }, { codebook: { codes }, title: 'Items' });
    checkWellFormedXml(svg);
    expect(explainedVarianceRatio[0] + explainedVarianceRatio[1]).toBeGreaterThan(0.95);
    expect(svg).toContain('&lt;CT0&gt; (30)');
    expect(svg).toContain('of variance');
  });

  it('rejects impossible options', () => {
    expect(() => lineChart({ series: [], width: 10 })).toThrow(ConfigError);
    expect(() => groupedBarChart({ categories: ['a'], series: [{ name: 's', values: [1, 2] }] })).toThrow(/2 values for 1 categories/);
    expect(() => histogram({})).toThrow(ConfigError);
    expect(() => scatterPlot({ points: [], maxGroups: 99 })).toThrow(ConfigError);
  });
});
