/** Scatter plot of 2-D points coloured by group, e.g. entity embeddings projected by PCA and coloured by coarse token. */
import { ConfigError, Rng } from '@meta-id/core';
import { axes, checkSize, escapeXml, legendRows, n2, niceTicks, OTHER_COLOR, PALETTE, scale, svgDocument, type ChartFrame } from './svg-core.js';

export interface ScatterPoint {
  x: number;
  y: number;
  /** Colour group, e.g. the entity's coarse token. */
  group?: string;
  /** Tooltip text, e.g. the entity key (drawn when at most 2000 points are shown). */
  label?: string;
}

export interface ScatterOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  points: readonly ScatterPoint[];
  /** Groups that get their own colour (the largest ones); the rest are drawn grey as "other". Default 10. */
  maxGroups?: number;
  /** At most this many points are drawn (a seeded uniform sample; the chart says so). Default 20000. */
  maxPoints?: number;
  /** Seed of that sample. Default 42. */
  seed?: number;
  /** Point radius in pixels. Default 2.5. */
  radius?: number;
  /** Default 720. */
  width?: number;
  /** Height of the plot; a legend row adds to it. Default 560. */
  height?: number;
}

/**
 * An SVG scatter plot. Colours go to the `maxGroups` largest groups; smaller
 * groups are grey "other" points drawn underneath, so the legend stays
 * readable with a hundred coarse tokens.
 *
 * @example
 * const svg = scatterPlot({ title: 'Items', points: [{ x: 0, y: 1, group: '<CT3>' }, { x: 1, y: 0, group: '<CT7>' }] });
 */
export function scatterPlot(options: ScatterOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 560;
  checkSize(width, height);
  if (!Array.isArray(options.points)) throw new ConfigError('points', 'want a list of { x, y, group? }');
  const maxGroups = options.maxGroups ?? 10;
  if (!Number.isInteger(maxGroups) || maxGroups < 0 || maxGroups > PALETTE.length) {
    throw new ConfigError('maxGroups', `must be an integer in 0..${PALETTE.length}`, maxGroups);
  }
  const maxPoints = options.maxPoints ?? 20000;
  let points = options.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const dropped = options.points.length - points.length;
  let sampled = false;
  if (points.length > maxPoints) {
    points = new Rng(options.seed ?? 42).shuffle([...points]).slice(0, maxPoints);
    sampled = true;
  }
  const sizes = new Map<string, number>();
  for (const p of points) if (p.group !== undefined) sizes.set(p.group, (sizes.get(p.group) ?? 0) + 1);
  const ranked = [...sizes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en', { numeric: true }));
  const colorOf = new Map<string, string>();
  ranked.slice(0, maxGroups).forEach(([g], i) => colorOf.set(g, PALETTE[i]));
  const hasGroups = ranked.length > 0;
  const others = points.filter((p) => !colorOf.has(p.group ?? '\u0000'));
  const entries = [...colorOf].map(([g, color]) => ({ name: `${g} (${sizes.get(g)})`, color, shape: 'dot' as const }));
  const rest = ranked.length - colorOf.size;
  if (rest > 0) entries.push({ name: `other: ${rest} groups (${others.length})`, color: OTHER_COLOR, shape: 'dot' });
  const leg = legendRows(width, entries);
  const f: ChartFrame = { width, height: height + leg.height, left: 64, right: 20, top: options.title ? 40 : 16, bottom: 48 + leg.height };
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xt = niceTicks(Math.min(...xs, Infinity) === Infinity ? 0 : Math.min(...xs), xs.length ? Math.max(...xs) : 1, 6);
  const yt = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 6);
  const X = scale(xt[0], xt[xt.length - 1], f.left, width - f.right);
  const Y = scale(yt[0], yt[yt.length - 1], f.height - f.bottom, f.top);
  const body = axes(f, { ticks: xt, map: X, label: options.xLabel }, { ticks: yt, map: Y, label: options.yLabel });
  const r = options.radius ?? 2.5;
  // Per-point tooltips cost ~60 bytes each; past 2000 points they make the file heavy for little use.
  const tooltips = points.length <= 2000;
  const dot = (p: ScatterPoint) =>
    tooltips && p.label !== undefined
      ? `<circle cx="${n2(X(p.x))}" cy="${n2(Y(p.y))}" r="${r}"><title>${escapeXml(p.label)}${p.group !== undefined ? ` ${escapeXml(p.group)}` : ''}</title></circle>`
      : `<circle cx="${n2(X(p.x))}" cy="${n2(Y(p.y))}" r="${r}"/>`;
  body.push(`<g fill="${hasGroups ? OTHER_COLOR : PALETTE[0]}" fill-opacity="0.8">`, ...others.map(dot), '</g>');
  for (const [g, color] of colorOf) {
    body.push(`<g fill="${color}" fill-opacity="0.85"><title>${escapeXml(g)}</title>`, ...points.filter((p) => p.group === g).map(dot), '</g>');
  }
  body.push(...leg.draw(f.height - leg.height));
  const notes: string[] = [];
  if (sampled) notes.push(`${points.length} of ${options.points.length - dropped} points shown (seeded sample)`);
  if (dropped) notes.push(`${dropped} points with non-finite coordinates not drawn`);
  // Above the plot area, right-aligned, so it never covers points.
  if (notes.length) body.push(`<text x="${width - f.right}" y="${f.top - 5}" text-anchor="end" font-size="10" fill="#555555">${escapeXml(notes.join('; '))}</text>`);
  return svgDocument(f, options.title, body);
}
