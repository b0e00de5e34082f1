/** Grouped bar chart, e.g. metrics (groups) × ID schemes (bars). */
import { ConfigError } from '@meta-id/core';
import { checkSize, escapeXml, formatNumber, legendRows, n2, niceTicks, PALETTE, scale, svgDocument, type ChartFrame } from './svg-core.js';

export interface BarSeries {
  /** e.g. an ID scheme: `META ID`, `random`, `sequential`. */
  name: string;
  /** One value per category; a non-finite value draws no bar. */
  values: readonly number[];
  color?: string;
}

export interface GroupedBarOptions {
  title?: string;
  yLabel?: string;
  /** Group labels along x, e.g. metric names `HR@5`, `NDCG@10`. */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Print each bar's value above it. Default: when there are ≤ 24 bars. */
  valueLabels?: boolean;
  /** Default 720. */
  width?: number;
  /** Default 420. */
  height?: number;
}

/**
 * An SVG grouped bar chart (y from 0, or below 0 when values are negative).
 *
 * @example
 * const svg = groupedBarChart({
 *   title: 'Beauty, full ranking', categories: ['HR@10', 'NDCG@10'],
 *   series: [{ name: 'META ID', values: [0.061, 0.034] }, { name: 'random ID', values: [0.021, 0.011] }],
 * });
 */
export function groupedBarChart(options: GroupedBarOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  checkSize(width, height);
  const cats = options.categories;
  if (!Array.isArray(cats) || cats.length === 0) throw new ConfigError('categories', 'want a non-empty list of group labels');
  options.series.forEach((s) => {
    if (s.values.length !== cats.length) throw new ConfigError(`series "${s.name}"`, `has ${s.values.length} values for ${cats.length} categories`);
  });
  const leg = legendRows(width, options.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], shape: 'box' as const })));
  const f: ChartFrame = { width, height, left: 64, right: 20, top: options.title ? 40 : 16, bottom: 30 + leg.height };
  const all = options.series.flatMap((s) => s.values.filter(Number.isFinite));
  const yt = niceTicks(Math.min(0, ...all), Math.max(0, ...all, 1e-12), 5);
  const Y = scale(yt[0], yt[yt.length - 1], height - f.bottom, f.top);
  const x0 = f.left;
  const x1 = width - f.right;
  const groupW = (x1 - x0) / cats.length;
  const nS = Math.max(1, options.series.length);
  const barW = (groupW * 0.8) / nS;
  const body: string[] = ['<g stroke="#e5e5e5" stroke-width="1">'];
  for (const t of yt) body.push(`<line x1="${x0}" y1="${n2(Y(t))}" x2="${x1}" y2="${n2(Y(t))}"/>`);
  body.push('</g>', '<g fill="#333333" font-size="11">');
  for (const t of yt) body.push(`<text x="${x0 - 6}" y="${n2(Y(t) + 4)}" text-anchor="end">${escapeXml(formatNumber(t))}</text>`);
  cats.forEach((c, i) => body.push(`<text x="${n2(x0 + groupW * (i + 0.5))}" y="${height - f.bottom + 16}" text-anchor="middle">${escapeXml(c)}</text>`));
  body.push('</g>');
  const showValues = options.valueLabels ?? cats.length * nS <= 24;
  options.series.forEach((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length];
    body.push(`<g fill="${color}">`);
    s.values.forEach((v, ci) => {
      if (!Number.isFinite(v)) return;
      const x = x0 + groupW * ci + groupW * 0.1 + barW * si;
      const yTop = Y(Math.max(0, v));
      const yBottom = Y(Math.min(0, v));
      body.push(`<rect x="${n2(x)}" y="${n2(yTop)}" width="${n2(barW * 0.92)}" height="${n2(Math.max(0.5, yBottom - yTop))}"><title>${escapeXml(`${s.name}, ${cats[ci]}: ${v}`)}</title></rect>`);
      if (showValues) {
        body.push(`<text x="${n2(x + barW * 0.46)}" y="${n2(v >= 0 ? yTop - 3 : yBottom + 11)}" text-anchor="middle" font-size="9" fill="#333333">${escapeXml(formatNumber(v))}</text>`);
      }
    });
    body.push('</g>');
  });
  body.push(`<line x1="${x0}" y1="${n2(Y(0))}" x2="${x1}" y2="${n2(Y(0))}" stroke="#333333"/>`);
  if (options.yLabel) {
    const cy = n2((height - f.bottom + f.top) / 2);
    body.push(`<text x="16" y="${cy}" text-anchor="middle" fill="#333333" transform="rotate(-90 16 ${cy})">${escapeXml(options.yLabel)}</text>`);
  }
  body.push(...leg.draw(height - leg.height));
  return svgDocument(f, options.title, body);
}
