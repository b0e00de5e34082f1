import { describe, expect, it } from 'vitest';
import { ConfigError } from '@meta-id/core';
import { compareRunsMarkdown, flattenMetrics, markdownTable, metricsJson, metricTables, reportMarkdown, type EvaluationResult } from './report.js';

const result: EvaluationResult = {
  title: 'beauty / meta-id',
  run: { dataset: 'beauty', seed: 42 },
  sections: {
    ranking: { metrics: { 'HR@5': 0.04, 'HR@10': 0.06, 'NDCG@5': 0.03, 'NDCG@10': 0.035 }, count: 22363, meta: { missingRankings: 2, warnings: [] } },
    rating: { metrics: { RMSE: 1.02, MAE: 0.81 }, count: 100 },
    ds: { metrics: { DS: 0.5, 'HR@5': 0.1 }, count: 10 },
  },
};

describe('reports', () => {
  it('flattens metrics, prefixing names two sections share', () => {
    expect(flattenMetrics(result)).toEqual({
      'ranking.HR@5': 0.04, 'HR@10': 0.06, 'NDCG@5': 0.03, 'NDCG@10': 0.035, RMSE: 1.02, MAE: 0.81, DS: 0.5, 'ds.HR@5': 0.1,
    });
  });

  it('metrics.json round-trips and keeps non-finite values readable', () => {
    const doc = JSON.parse(metricsJson({ sections: { x: { metrics: { a: 1, b: NaN }, count: 1 } } }));
    expect(doc.format).toBe('meta-id-metrics/1');
    expect(doc.metrics).toEqual({ a: 1, b: 'NaN' });
  });

  it('Markdown tables: @K metrics pivot into columns, others list as name | value', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n| :--- | ---: |\n| x\\|y | 1 |');
    const t = metricTables(result.sections.ranking.metrics, 3);
    expect(t).toBe(['| metric | @5 | @10 |', '| :--- | ---: | ---: |', '| HR | 0.040 | 0.060 |', '| NDCG | 0.030 | 0.035 |'].join('\n'));
    const md = reportMarkdown(result, { images: { 'loss.svg': 'Training loss' } });
    expect(md).toContain('# beauty / meta-id');
    expect(md).toContain('| RMSE | 1.0200 |');
    expect(md).toContain('- missingRankings: 2');
    expect(md).not.toContain('warnings'); // empty lists are left out
    expect(md).toContain('![Training loss](loss.svg)');
  });

  it('comparison table marks the best run per metric (lowest for RMSE/MAE)', () => {
    const md = compareRunsMarkdown(
      [
        { name: 'META ID', metrics: { 'HR@10': 0.061, RMSE: 1.1 } },
        { name: 'random', metrics: { 'HR@10': 0.021, RMSE: 0.9 } },
        { name: 'partial', metrics: {} },
      ],
      { digits: 3 },
    );
    expect(md.split('\n')).toEqual([
      '| run | HR@10 | RMSE |',
      '| :--- | ---: | ---: |',
      '| META ID | **0.061** | 1.100 |',
      '| random | 0.021 | **0.900** |',
      '| partial | n/a | n/a |',
    ]);
    expect(() => compareRunsMarkdown([])).toThrow(ConfigError);
  });
});
