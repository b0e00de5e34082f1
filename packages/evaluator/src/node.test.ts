import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@meta-id/core';
import { compareRunFiles, readMetricsJson, writeEvaluationReport } from './node.js';
import { histogram } from './svg/histogram.js';
import { checkWellFormedXml } from './test-support/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'meta-id-evaluator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node entry', () => {
  it('writes metrics.json, report.md and charts, and compares run folders', () => {
    const a = join(dir, 'run-a');
    const b = join(dir, 'run-b');
    const written = writeEvaluationReport(
      a,
      { title: 'A', sections: { ranking: { metrics: { 'HR@10': 0.5 }, count: 2 } } },
      { charts: { 'sizes.svg': { svg: histogram({ values: [1, 2, 2, 3] }), caption: 'Cluster sizes' } } },
    );
    expect(written.map((p) => p.slice(a.length + 1))).toEqual(['sizes.svg', 'metrics.json', 'report.md']);
    checkWellFormedXml(readFileSync(join(a, 'sizes.svg'), 'utf8'));
    expect(readFileSync(join(a, 'report.md'), 'utf8')).toContain('![Cluster sizes](sizes.svg)');
    writeEvaluationReport(b, { sections: { ranking: { metrics: { 'HR@10': 0.25 }, count: 2 } } });
    expect(readMetricsJson(join(a, 'metrics.json'))).toEqual({ title: 'A', metrics: { 'HR@10': 0.5 } });
    const md = compareRunFiles([a, join(b, 'metrics.json')]);
    expect(md).toContain('| A | **0.5000** |');
    expect(md).toContain('| run-b | 0.2500 |');
  });

  it('names the file when metrics.json is broken', () => {
    const p = join(dir, 'bad.json');
    writeFileSync(p, '{"metrics": {"HR@10": "high"}}');
    expect(() => readMetricsJson(p)).toThrow(DataFormatError);
    expect(() => readMetricsJson(p)).toThrow(/bad\.json/);
    expect(() => writeEvaluationReport(dir, { sections: {} }, { charts: { '../x.svg': { svg: '', caption: '' } } })).toThrow(/plain name/);
  });
});
