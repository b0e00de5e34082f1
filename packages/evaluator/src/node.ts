/**
 * File-writing edge of @meta-id/evaluator (Node only; the main entry stays
 * browser-safe): metrics.json, report.md, SVG charts, and comparisons of run
 * folders that each hold a metrics.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataFormatError, MetaIdError } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import type { Ranking } from '@meta-id/core';
import { parseRankingsJsonl } from './rankings-io.js';
import { compareRunsMarkdown, metricsJson, reportMarkdown, type CompareOptions, type EvaluationResult } from './report.js';

export interface WriteReportOptions {
  /** SVG charts to write beside the report: file name (e.g. `loss.svg`) → { svg, caption }. */
  charts?: Record<string, { svg: string; caption: string }>;
  /** Decimal digits in report.md. Default 4. */
  digits?: number;
}

/**
 * Writes `metrics.json`, `report.md` and the given SVG charts into `dir`
 * (created if needed; each file written atomically). Returns the paths written.
 *
 * @example
 * import { rankingMetrics } from '@meta-id/evaluator';
 * import { writeEvaluationReport } from '@meta-id/evaluator/node';
 * writeEvaluationReport('runs/beauty', { title: 'beauty', sections: { ranking: rankingMetrics(rankings, split) } });
 */
export function writeEvaluationReport(dir: string, result: EvaluationResult, options: WriteReportOptions = {}): string[] {
  const written: string[] = [];
  const charts = options.charts ?? {};
  for (const [file, { svg }] of Object.entries(charts)) {
    if (!/^[\w.-]+\.svg$/.test(file)) throw new MetaIdError(`chart file name must be a plain name ending in .svg: ${JSON.stringify(file)}`);
    const path = join(dir, file);
    writeFileAtomic(path, svg);
    written.push(path);
  }
  const json = join(dir, 'metrics.json');
  writeFileAtomic(json, metricsJson(result));
  written.push(json);
  const md = join(dir, 'report.md');
  const images = Object.fromEntries(Object.entries(charts).map(([file, c]) => [file, c.caption]));
  writeFileAtomic(md, reportMarkdown(result, { digits: options.digits, images }));
  written.push(md);
  return written;
}

/** Writes one SVG chart (atomically). */
export function writeSvg(path: string, svg: string): void {
  writeFileAtomic(path, svg);
}

/** Reads a metrics.json written by {@link writeEvaluationReport}: its flat metric map and title. */
export function readMetricsJson(path: string): { title?: string; metrics: Record<string, number> } {
  if (!existsSync(path)) throw new MetaIdError(`file not found: ${path}`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFormatError({ source: path }, `not valid JSON (${(e as Error).message})`);
  }
  const d = doc as { title?: unknown; metrics?: unknown };
  if (!d || typeof d !== 'object' || typeof d.metrics !== 'object' || d.metrics === null) {
    throw new DataFormatError({ source: path }, 'expected an object with a "metrics" map (a meta-id metrics.json)');
  }
  const metrics: Record<string, number> = {};
  for (const [k, v] of Object.entries(d.metrics as Record<string, unknown>)) {
    if (typeof v === 'number') metrics[k] = v;
    else if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') metrics[k] = Number(v);
    else throw new DataFormatError({ source: path, column: k }, 'metric value is not a number', v);
  }
  return { title: typeof d.title === 'string' ? d.title : undefined, metrics };
}

/**
 * A Markdown table comparing run folders (or metrics.json paths). Row names:
 * the metrics.json title, else the folder name.
 */
export function compareRunFiles(paths: readonly string[], options: CompareOptions = {}): string {
  const runs = paths.map((p) => {
    const file = p.endsWith('.json') ? p : join(p, 'metrics.json');
    const { title, metrics } = readMetricsJson(file);
    return { name: title ?? basename(dirname(file)), metrics };
  });
  return compareRunsMarkdown(runs, options);
}

/** Reads a rankings.jsonl file (see `parseRankingsJsonl`); errors name the file and line. */
export function readRankingsFile(path: string): Ranking[] {
  if (!existsSync(path)) throw new MetaIdError(`file not found: ${path}`);
  return parseRankingsJsonl(readFileSync(path, 'utf8'), path);
}
