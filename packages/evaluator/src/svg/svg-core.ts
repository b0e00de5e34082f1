/**
 * What every chart shares: XML escaping, "nice" axis ticks, number formatting,
 * a colour-blind-safe palette, axes with grid lines and a legend. Charts are
 * plain SVG 1.1 strings (no script, no external resources), so they open in a
 * browser, embed in Markdown, and convert with rsvg-convert / Inkscape.
 */
import { ConfigError } from '@meta-id/core';

/** Okabe & Ito's colour-blind-safe palette, then a few distinct extras. */
export const PALETTE = [
  '#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000',
  '#8C564B', '#7F7F7F', '#17BECF', '#BCBD22',
];
/** Colour of the "other" group in a scatter with more groups than colours. */
export const OTHER_COLOR = '#C8C8C8';

/** Escapes text for XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** About `count` round tick values covering [min, max] (steps of 1, 2, 2.5 or 5 × 10^k). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const d = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= d;
    max += d;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9 || ticks.length < 2; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (ticks.length > 100) break;
  }
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** Short label of a number: up to 4 significant digits, thousands as k / M. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((v / 1e3).toPrecision(3))}k`;
  if (a === 0) return '0';
  if (a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** Linear map from [d0, d1] to [r0, r1]. */
export function scale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A number for an attribute: 2 decimals, no trailing noise. */
export function n2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

export interface ChartFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Checks a chart's size options. */
export function checkSize(width: number, height: number): void {
  if (!(width >= 100 && height >= 80)) throw new ConfigError('width/height', 'a chart needs at least 100 × 80 pixels', [width, height]);
}

/** The `<svg>` document around a chart body, with a white background and a title. */
export function svgDocument(f: ChartFrame, title: string | undefined, body: string[], description?: string): string {
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">`,
  ];
  if (title) out.push(`<title>${escapeXml(title)}</title>`);
  if (description) out.push(`<desc>${escapeXml(description)}</desc>`);
  out.push(`<rect x="0" y="0" width="${f.width}" height="${f.height}" fill="#ffffff"/>`);
  if (title) out.push(`<text x="${n2(f.width / 2)}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(...body, '</svg>', '');
  return out.join('\n');
}

/** Axes, grid lines, tick labels and axis titles for numeric x and y. */
export function axes(
  f: ChartFrame,
  x: { ticks: number[]; map: (v: number) => number; label?: string; format?: (v: number) => string },
  y: { ticks: number[]; map: (v: number) => number; label?: string; format?: (v: number) => string },
): string[] {
  const out: string[] = [];
  const x0 = f.left;
  const x1 = f.width - f.right;
  const y0 = f.height - f.bottom;
  const y1 = f.top;
  const fx = x.format ?? formatNumber;
  const fy = y.format ?? formatNumber;
  out.push('<g stroke="#e5e5e5" stroke-width="1">');
  for (const t of y.ticks) out.push(`<line x1="${x0}" y1="${n2(y.map(t))}" x2="${x1}" y2="${n2(y.map(t))}"/>`);
  for (const t of x.ticks) out.push(`<line x1="${n2(x.map(t))}" y1="${y0}" x2="${n2(x.map(t))}" y2="${y1}"/>`);
  out.push('</g>');
  out.push(`<g stroke="#333333" stroke-width="1"><line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}"/><line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}"/></g>`);
  out.push('<g fill="#333333" font-size="11">');
  for (const t of x.ticks) out.push(`<text x="${n2(x.map(t))}" y="${y0 + 16}" text-anchor="middle">${escapeXml(fx(t))}</text>`);
  for (const t of y.ticks) out.push(`<text x="${x0 - 6}" y="${n2(y.map(t) + 4)}" text-anchor="end">${escapeXml(fy(t))}</text>`);
  out.push('</g>');
  if (x.label) out.push(`<text x="${n2((x0 + x1) / 2)}" y="${y0 + 36}" text-anchor="middle" fill="#333333">${escapeXml(x.label)}</text>`);
  if (y.label) {
    const cy = n2((y0 + y1) / 2);
    out.push(`<text x="16" y="${cy}" text-anchor="middle" fill="#333333" transform="rotate(-90 16 ${cy})">${escapeXml(y.label)}</text>`);
  }
  return out;
}

export interface LegendEntry {
  name: string;
  color: string;
  shape?: 'line' | 'box' | 'dot';
}

/** Approximate text width in pixels at font-size 11 (no font metrics in plain TypeScript). */
function textWidth(s: string): number {
  return s.length * 6.4;
}

/**
 * A legend laid out in rows under the plot (it never covers data). Returns
 * the SVG and its height; a chart adds the height to its bottom margin and
 * draws the legend at `top = chart height − height`.
 */
export function legendRows(width: number, entries: readonly LegendEntry[]): { height: number; draw: (top: number) => string[] } {
  if (entries.length === 0) return { height: 0, draw: () => [] };
  const placed: { e: LegendEntry; x: number; row: number }[] = [];
  let x = 16;
  let row = 0;
  for (const e of entries) {
    const w = 26 + textWidth(e.name) + 14;
    if (x + w > width - 8 && x > 16) {
      row++;
      x = 16;
    }
    placed.push({ e, x, row });
    x += w;
  }
  const height = (row + 1) * 17 + 8;
  return {
    height,
    draw: (top) => {
      const out = ['<g font-size="11" fill="#333333">'];
      for (const { e, x: lx, row: r } of placed) {
        const cy = top + 12 + r * 17;
        if (e.shape === 'line') out.push(`<line x1="${n2(lx)}" y1="${cy - 4}" x2="${n2(lx + 18)}" y2="${cy - 4}" stroke="${e.color}" stroke-width="2.5"/>`);
        else if (e.shape === 'dot') out.push(`<circle cx="${n2(lx + 9)}" cy="${cy - 4}" r="4" fill="${e.color}"/>`);
        else out.push(`<rect x="${n2(lx + 2)}" y="${cy - 10}" width="14" height="11" fill="${e.color}"/>`);
        out.push(`<text x="${n2(lx + 24)}" y="${cy}">${escapeXml(e.name)}</text>`);
      }
      out.push('</g>');
      return out;
    },
  };
}
