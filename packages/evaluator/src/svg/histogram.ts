/** Histogram, e.g. of cluster sizes (how many entities share each coarse token). */
import { ConfigError } from '@meta-id/core';
import { axes, checkSize, escapeXml, formatNumber, n2, niceTicks, PALETTE, scale, svgDocument, type ChartFrame } from './svg-core.js';

export interface HistogramBins {
  /** Bin edges, length = counts.length + 1; bin i is [edges[i], edges[i+1]) and the last bin includes its right edge. */
  edges: number[];
  counts: number[];
}

/**
 * Equal-width bins over [min, max] of finite values. `bins` default: the
 * larger of Sturges' rule ceil(log2 n) + 1 and ceil(sqrt n), at most 50
 * (Sturges alone is too coarse for the skewed cluster-size distributions). When every value is an integer, bin widths are whole
 * numbers so no bin straddles an integer boundary ambiguously.
 */
export function histogramBins(values: readonly number[], bins?: number): HistogramBins {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { edges: [0, 1], counts: [0] };
  let min = Math.min(...xs);
  let max = Math.max(...xs);
  let k = bins ?? Math.min(50, Math.max(Math.ceil(Math.log2(xs.length)) + 1, Math.ceil(Math.sqrt(xs.length))));
  if (!Number.isInteger(k) || k < 1) throw new ConfigError('bins', 'must be a positive integer', bins);
  const integers = xs.every(Number.isInteger);
  let width: number;
  if (integers) {
    width = Math.max(1, Math.ceil((max - min + 1) / k));
    k = Math.ceil((max - min + 1) / width);
    max = min + k * width; // half-open integer bins [min + i·w, min + (i+1)·w)
  } else {
    if (max === min) {
      min -= 0.5;
      max += 0.5;
    }
    width = (max - min) / k;
  }
  const edges = Array.from({ length: k + 1 }, (_, i) => min + i * width);
  const counts = new Array<number>(k).fill(0);
  for (const v of xs) {
    let b = Math.floor((v - min) / width);
    if (b >= k) b = k - 1;
    counts[b]++;
  }
  return { edges, counts };
}

export interface HistogramOptions {
  title?: string;
  xLabel?: string;
  /** Default `'count'`. */
  yLabel?: string;
  /** Raw values to bin. */
  values?: readonly number[];
  /** Or ready bins (e.g. from {@link histogramBins} or another tool). */
  bins?: HistogramBins;
  /** Number of bins when binning `values`. Default: max(Sturges, √n), at most 50. */
  binCount?: number;
  /** Default 720. */
  width?: number;
  /** Default 420. */
  height?: number;
  color?: string;
}

/**
 * An SVG histogram. Each bar carries a tooltip with its range and count.
 *
 * @example
 * const sizes = Object.values(clusterSizes); // entities per coarse token
 * const svg = histogram({ title: 'Cluster sizes', xLabel: 'entities per coarse token', values: sizes });
 */
export function histogram(options: HistogramOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  checkSize(width, height);
  if (!options.bins && !options.values) throw new ConfigError('values', 'give values to bin or ready bins');
  const h = options.bins ?? histogramBins(options.values!, options.binCount);
  if (h.edges.length !== h.counts.length + 1) throw new ConfigError('bins', 'needs one more edge than counts');
  const f: ChartFrame = { width, height, left: 64, right: 20, top: options.title ? 40 : 16, bottom: 48 };
  const lo = h.edges[0];
  const hi = h.edges[h.edges.length - 1];
  const xt = niceTicks(lo, hi, 8).filter((t) => t >= lo - 1e-9 && t <= hi + 1e-9);
  const yt = niceTicks(0, Math.max(1, ...h.counts) * 1.05, 5); // headroom above the tallest bar
  const X = scale(lo, hi, f.left, width - f.right);
  const Y = scale(0, yt[yt.length - 1], height - f.bottom, f.top);
  const body = axes(f, { ticks: xt.length >= 2 ? xt : [lo, hi], map: X, label: options.xLabel }, { ticks: yt, map: Y, label: options.yLabel ?? 'count' });
  const color = options.color ?? PALETTE[0];
  body.push(`<g fill="${color}" stroke="#ffffff" stroke-width="0.5">`);
  h.counts.forEach((c, i) => {
    const x0 = X(h.edges[i]);
    const x1 = X(h.edges[i + 1]);
    const y = Y(c);
    const tip = `[${formatNumber(h.edges[i])}, ${formatNumber(h.edges[i + 1])}): ${c}`;
    body.push(`<rect x="${n2(x0)}" y="${n2(y)}" width="${n2(Math.max(0.5, x1 - x0))}" height="${n2(height - f.bottom - y)}"><title>${escapeXml(tip)}</title></rect>`);
  });
  body.push('</g>');
  const n = h.counts.reduce((a, b) => a + b, 0);
  body.push(`<text x="${width - f.right - 4}" y="${f.top + 14}" text-anchor="end" font-size="11" fill="#555555">n = ${n}</text>`);
  return svgDocument(f, options.title, body);
}
