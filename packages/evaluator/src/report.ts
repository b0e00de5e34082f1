/**
 * Reports as text: the `metrics.json` document, a Markdown `report.md` with
 * one table per section, and a Markdown comparison of several runs. Pure
 * functions returning strings; `@meta-id/evaluator/node` writes the files.
 */
import { ConfigError, type MetricReport } from '@meta-id/core';

/** Everything one evaluation produced: named sections (`ranking`, `rating`, `text`, `ms`, `ds`, ...). */
export interface EvaluationResult {
  /** e.g. `beauty / meta-id / seed 42`. */
  title?: string;
  sections: Record<string, MetricReport>;
  /** Free-form run description (dataset, scheme, seed, timings) copied into metrics.json and report.md. */
  run?: Record<string, unknown>;
}

/** The metrics.json document: stable key order, 2-space indentation, trailing newline. */
export function metricsJson(result: EvaluationResult): string {
  const doc = {
    format: 'meta-id-metrics/1',
    title: result.title,
    run: result.run,
    metrics: flattenMetrics(result),
    sections: result.sections,
  };
  return `${JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n`;
}

/**
 * All metrics of a result in one map. A name used by two sections is
 * prefixed with the section name (`ranking.HR@10`) so nothing is overwritten.
 */
export function flattenMetrics(result: EvaluationResult): Record<string, number> {
  const seen = new Map<string, number>();
  for (const r of Object.values(result.sections)) for (const k of Object.keys(r.metrics)) seen.set(k, (seen.get(k) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const [name, r] of Object.entries(result.sections)) {
    for (const [k, v] of Object.entries(r.metrics)) out[seen.get(k)! > 1 ? `${name}.${k}` : k] = v;
  }
  return out;
}

/** Formats a metric value for a table: fixed digits, or `n/a`. */
export function formatMetric(v: number | undefined, digits = 4): string {
  if (v === undefined || v === null) return 'n/a';
  if (!Number.isFinite(v)) return String(v);
  return v.toFixed(digits);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A GitHub-flavoured Markdown table. `align`: 'l' or 'r' per column (default: first left, rest right). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const a = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  const lines = [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${a.map((x) => (x === 'r' ? '---:' : ':---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/**
 * Metrics of the form `NAME@K[suffix]` as a table with one row per metric
 * name and one column per K; other metrics as name | value rows.
 */
export function metricTables(metrics: Record<string, number>, digits = 4): string {
  const atK = new Map<string, Map<number, number>>();
  const ks = new Set<number>();
  const plain: [string, number][] = [];
  for (const [k, v] of Object.entries(metrics)) {
    const m = /^(.+)@(\d+)(.*)$/.exec(k);
    if (m) {
      const name = `${m[1]}${m[3]}`;
      if (!atK.has(name)) atK.set(name, new Map());
      atK.get(name)!.set(Number(m[2]), v);
      ks.add(Number(m[2]));
    } else plain.push([k, v]);
  }
  const parts: string[] = [];
  if (atK.size) {
    const kList = [...ks].sort((a, b) => a - b);
    parts.push(
      markdownTable(
        ['metric', ...kList.map((k) => `@${k}`)],
        [...atK].map(([name, byK]) => [name, ...kList.map((k) => formatMetric(byK.get(k), digits))]),
      ),
    );
  }
  if (plain.length) parts.push(markdownTable(['metric', 'value'], plain.map(([k, v]) => [k, formatMetric(v, digits)])));
  return parts.join('\n\n');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Meta as a bullet list; nested objects become `parent.child` bullets (two levels), long values are shortened. */
function describeMeta(meta: Record<string, unknown> | undefined, prefix = '', depth = 0): string[] {
  if (!meta) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined || k === 'countOf') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (isPlainObject(v) && depth < 1) {
      out.push(...describeMeta(v, `${prefix}${k}.`, depth + 1));
      continue;
    }
    const text = isPlainObject(v)
      ? Object.entries(v).map(([a, b]) => `${a} ${typeof b === 'object' ? JSON.stringify(b) : String(b)}`).join(', ')
      : typeof v === 'object' ? JSON.stringify(v) : String(v);
    out.push(`- ${prefix}${k}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`);
  }
  return out;
}

export interface ReportMarkdownOptions {
  /** Decimal digits in tables. Default 4. */
  digits?: number;
  /** Images to show under the tables: file name (relative to report.md) → caption. */
  images?: Record<string, string>;
}

/**
 * report.md: title, run description, then per section its tables and what it
 * was computed over (count, and the section's meta such as missing rankings).
 */
export function reportMarkdown(result: EvaluationResult, options: ReportMarkdownOptions = {}): string {
  const digits = options.digits ?? 4;
  const out: string[] = [`# ${result.title ?? 'Evaluation report'}`, ''];
  if (result.run && Object.keys(result.run).length) {
    out.push(markdownTable(['run', ''], Object.entries(result.run).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]), ['l', 'l']), '');
  }
  for (const [name, r] of Object.entries(result.sections)) {
    const unit = typeof r.meta?.countOf === 'string' ? ` ${r.meta.countOf}` : '';
    out.push(`## ${name}`, '', metricTables(r.metrics, digits), '', `Computed over ${r.count}${unit}.`, '');
    const meta = describeMeta(r.meta);
    if (meta.length) out.push(...meta, '');
  }
  if (options.images && Object.keys(options.images).length) {
    out.push('## Figures', '');
    for (const [file, caption] of Object.entries(options.images)) out.push(`![${caption}](${file})`, '', `*${caption}*`, '');
  }
  return out.join('\n');
}

/** Metrics where lower is better (everything else: higher is better). */
export const LOWER_IS_BETTER = /^(RMSE|MAE|loss)(\b|$)/i;

export interface CompareOptions {
  /** Metrics (columns) to show, in order. Default: every metric of any run, in first-seen order. */
  metrics?: readonly string[];
  /** Decimal digits. Default 4. */
  digits?: number;
  /** Mark the best value per column in bold. Default true. */
  highlightBest?: boolean;
}

/**
 * A Markdown table comparing runs (rows) on metrics (columns), the best value
 * per column in bold (lowest for RMSE / MAE / loss, highest otherwise). A
 * metric a run does not have shows as `n/a`.
 *
 * @example
 * compareRunsMarkdown([
 *   { name: 'META ID', metrics: { 'HR@10': 0.061, 'NDCG@10': 0.034 } },
 *   { name: 'random ID', metrics: { 'HR@10': 0.021, 'NDCG@10': 0.011 } },
 * ]);
 */
export function compareRunsMarkdown(runs: readonly { name: string; metrics: Record<string, number> }[], options: CompareOptions = {}): string {
  if (!Array.isArray(runs) || runs.length === 0) throw new ConfigError('runs', 'need at least one run to compare');
  const digits = options.digits ?? 4;
  const cols = options.metrics ? [...options.metrics] : [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  const best = cols.map((c) => {
    const vals = runs.map((r) => r.metrics[c]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (vals.length < 2) return undefined;
    return LOWER_IS_BETTER.test(c) ? Math.min(...vals) : Math.max(...vals);
  });
  const rows = runs.map((r) => [
    r.name,
    ...cols.map((c, i) => {
      const s = formatMetric(r.metrics[c], digits);
      return (options.highlightBest ?? true) && best[i] !== undefined && r.metrics[c] === best[i] ? `**${s}**` : s;
    }),
  ]);
  return markdownTable(['run', ...cols], rows);
}
