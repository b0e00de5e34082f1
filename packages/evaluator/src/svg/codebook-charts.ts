/** Charts of a codebook: how many entities share each token of a level (cluster sizes). */
import type { TokenCodebook } from '@meta-id/core';
import { histogram, type HistogramOptions } from './histogram.js';

/** Entities per token at `level` (0 = the coarse token), from the codes themselves. */
export function tokenSizes(codebook: Pick<TokenCodebook, 'codes'>, level = 0, keyPrefix?: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [key, code] of Object.entries(codebook.codes)) {
    if (keyPrefix && !key.startsWith(keyPrefix)) continue;
    const t = code[level];
    if (t !== undefined) sizes.set(t, (sizes.get(t) ?? 0) + 1);
  }
  return sizes;
}

/**
 * Histogram of cluster sizes: for each token of `level`, how many entities
 * carry it.
 *
 * @example
 * writeSvg('cluster-sizes.svg', clusterSizeHistogram(codebook, { keyPrefix: 'i:' }));
 */
export function clusterSizeHistogram(
  codebook: Pick<TokenCodebook, 'codes'>,
  options: Omit<HistogramOptions, 'values' | 'bins'> & { level?: number; keyPrefix?: string } = {},
): string {
  const sizes = [...tokenSizes(codebook, options.level ?? 0, options.keyPrefix).values()];
  return histogram({
    title: options.title ?? `Cluster sizes (level ${options.level ?? 0}, ${sizes.length} tokens)`,
    xLabel: options.xLabel ?? 'entities per token',
    yLabel: options.yLabel ?? 'tokens',
    ...options,
    values: sizes,
  });
}
