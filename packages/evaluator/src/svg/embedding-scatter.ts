/** The picture of a codebook: entity embeddings projected to 2-D by PCA, coloured by coarse (level-0) token. */
import type { TokenCodebook } from '@meta-id/core';
import { toVectorRows, type EntityVectors } from '../entity-vectors.js';
import { pca } from '../pca.js';
import { scatterPlot, type ScatterOptions } from './scatter.js';

export interface EmbeddingScatterOptions extends Omit<ScatterOptions, 'points'> {
  /** Colour by `codes[key][0]`; without a codebook every point is one colour. */
  codebook?: Pick<TokenCodebook, 'codes'>;
  /** Only entities whose key starts with this (e.g. `i:` for items). Default: all. */
  keyPrefix?: string;
}

/**
 * PCA (seeded power iteration) of entity vectors to 2-D, drawn as a scatter
 * coloured by each entity's coarse token. Returns the SVG and the projection.
 *
 * @example
 * const { svg } = embeddingScatter(embeddingTable, { codebook, keyPrefix: 'i:', title: 'Items by coarse token' });
 */
export function embeddingScatter(
  embeddings: EntityVectors,
  options: EmbeddingScatterOptions = {},
): { svg: string; explainedVarianceRatio: number[]; keys: string[]; points: Float64Array } {
  const rows = toVectorRows(embeddings);
  const keep = rows.keys.map((k, i) => [k, i] as const).filter(([k]) => !options.keyPrefix || k.startsWith(options.keyPrefix));
  const data = new Float64Array(keep.length * rows.dim);
  keep.forEach(([, i], r) => data.set(rows.data.subarray(i * rows.dim, (i + 1) * rows.dim), r * rows.dim));
  const keys = keep.map(([k]) => k);
  if (keys.length === 0) return { svg: scatterPlot({ ...options, points: [] }), explainedVarianceRatio: [], keys, points: new Float64Array(0) };
  const p = pca(data, keys.length, rows.dim, { components: Math.min(2, rows.dim), seed: options.seed });
  const k = p.components.length;
  const points = keys.map((key, i) => ({
    x: p.points[i * k],
    y: k > 1 ? p.points[i * k + 1] : 0,
    group: options.codebook?.codes[key]?.[0],
    label: key,
  }));
  const ev = p.explainedVarianceRatio.map((v) => `${(100 * v).toFixed(1)}%`);
  const svg = scatterPlot({
    xLabel: `PC1 (${ev[0]} of variance)`,
    yLabel: k > 1 ? `PC2 (${ev[1]} of variance)` : undefined,
    ...options,
    points,
  });
  return { svg, explainedVarianceRatio: p.explainedVarianceRatio, keys, points: p.points };
}
