/** The front door: one call from an embedding table to a checked codebook. */
import { ConfigError, type EmbeddingTable } from '@meta-id/core';
import type { ClustererCodebook } from './codebook.js';
import type { CodeScheme } from './scheme.js';
import { metaIdScheme, type MetaIdSchemeOptions } from './schemes/meta-id.js';
import { hierarchicalScheme, type HierarchicalSchemeOptions } from './schemes/hierarchical.js';

/** Schemes by name. */
export const SCHEMES: Record<string, CodeScheme<never>> = {
  'meta-id': metaIdScheme as CodeScheme<never>,
  hierarchical: hierarchicalScheme as CodeScheme<never>,
};

export type BuildCodebookOptions =
  | ({ scheme?: 'meta-id' } & MetaIdSchemeOptions)
  | ({ scheme: 'hierarchical' } & HierarchicalSchemeOptions)
  | ({ scheme: CodeScheme<never> } & Record<string, unknown>);

/**
 * Clusters the entity vectors of `table` (ids are entity keys `u:…` / `i:…`)
 * into unique OOV token codes with the chosen scheme (default `meta-id`),
 * and returns the codebook with its statistics in `stats`.
 *
 * @example
 * import { generateSyntheticDataset, entityKey } from '@meta-id/core';
 * import { buildCodebook, writeCodebook } from '@meta-id/token-clusterer';
 * // any vectors work; here 200 random 16-d ones
 * const ids = Array.from({ length: 200 }, (_, i) => entityKey(i % 2 ? 'user' : 'item', String(i)));
 * const vectors = Float32Array.from({ length: 200 * 16 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
 * const codebook = await buildCodebook({ ids, dim: 16, vectors }, { scheme: 'meta-id', k: 10, metric: 'cosine', seed: 7 });
 * console.log(codebook.codes['i:0']); // e.g. ['<CT3>', '<1004>']
 * await writeCodebook('codebook.json', codebook);
 */
export async function buildCodebook(table: EmbeddingTable, options: BuildCodebookOptions = {}): Promise<ClustererCodebook> {
  const { scheme = 'meta-id', ...rest } = options as { scheme?: string | CodeScheme<never> };
  const impl = typeof scheme === 'string' ? SCHEMES[scheme] : scheme;
  if (!impl) throw new ConfigError('scheme', `unknown scheme (want ${Object.keys(SCHEMES).join(' or ')}, or a CodeScheme object)`, scheme);
  return impl.fit(table, rest as never);
}
