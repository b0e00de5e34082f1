/** Line chart for training curves (loss, NDCG@10, ... per step or epoch). */
import { ConfigError } from '@meta-id/core';
import { axes, checkSize, legendRows, n2, niceTicks, PALETTE, scale, svgDocument, escapeXml, type ChartFrame } from './svg-core.js';

export interface LineSeries {
  name: string;
  /** [x, y] points in x order; a non-finite y breaks the line (a gap). */
  points: readonly (readonly [number, number])[];
  /** Default: the palette colour of the series' position. */
  color?: string;
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: readonly LineSeries[];
  /** Default 720. */
  width?: number;
  /** Default 420. */
  height?: number;
  /** Draw a dot at every point. Default: when a series has ≤ 60 points. */
  markers?: boolean;
  /** Force the y range to include 0. Default false. */
  yFromZero?: boolean;
}

/**
 * An SVG line chart with one line per series, grid, axes and legend.
 *
 * @example
 * const svg = lineChart({
 *   title: 'Training loss', xLabel: 'step', yLabel: 'loss',
 *   series: [{ name: 'train', points: [[0, 2.3], [100, 1.1], [200, 0.8]] }],
 * });
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  checkSize(width, height);
  if (!Array.isArray(options.series)) throw new ConfigError('series', 'want a list of { name, points }');
  const names = options.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], shape: 'line' as const }));
  const leg = legendRows(width, options.series.length > 1 ? names : []);
  const f: ChartFrame = { width, height, left: 64, right: 20, top: options.title ? 40 : 16, bottom: 48 + leg.height };
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const s of options.series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x)) throw new ConfigError(`series "${s.name}"`, 'x values must be finite numbers', x);
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      if (Number.isFinite(y)) {
        ymin = Math.min(ymin, y);
        ymax = Math.max(ymax, y);
      }
    }
  }
  if (xmin === Infinity) [xmin, xmax] = [0, 1];
  if (ymin === Infinity) [ymin, ymax] = [0, 1];
  if (options.yFromZero) ymin = Math.min(0, ymin);
  const xt = niceTicks(xmin, xmax, 6);
  const yt = niceTicks(ymin, ymax, 5);
  const X = scale(xt[0], xt[xt.length - 1], f.left, width - f.right);
  const Y = scale(yt[0], yt[yt.length - 1], height - f.bottom, f.top);
  const body = axes(f, { ticks: xt, map: X, label: options.xLabel }, { ticks: yt, map: Y, label: options.yLabel });
  options.series.forEach((s, i) => {
    const color = names[i].color;
    // Split into runs of finite points so a missing value shows as a gap.
    const runs: string[][] = [[]];
    for (const [x, y] of s.points) {
      if (Number.isFinite(y)) runs[runs.length - 1].push(`${n2(X(x))},${n2(Y(y))}`);
      else if (runs[runs.length - 1].length) runs.push([]);
    }
    body.push(`<g stroke="${color}" fill="none" stroke-width="2" stroke-linejoin="round"><title>${escapeXml(s.name)}</title>`);
    for (const r of runs) if (r.length > 1) body.push(`<polyline points="${r.join(' ')}"/>`);
    body.push('</g>');
    const markers = options.markers ?? s.points.length <= 60;
    if (markers) {
      body.push(`<g fill="${color}">`);
      for (const r of runs) for (const p of r) {
        const [cx, cy] = p.split(',');
        body.push(`<circle cx="${cx}" cy="${cy}" r="2.5"/>`);
      }
      body.push('</g>');
    }
  });
  body.push(...leg.draw(height - leg.height));
  return svgDocument(f, options.title, body);
}
