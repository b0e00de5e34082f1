/** Helpers over an {@link EmbeddingTable}: checks and subsets. */
import { ConfigError, parseEntityKey, type EmbeddingTable, type EntityType } from '@meta-id/core';

/** Checks shape and keys; the ids must be entity keys (`u:…`, `i:…`), each once. */
export function checkTable(table: EmbeddingTable): void {
  if (!Number.isInteger(table.dim) || table.dim < 1) throw new ConfigError('table.dim', 'must be a positive integer', table.dim);
  if (table.vectors.length !== table.ids.length * table.dim) {
    throw new ConfigError('table.vectors', `has ${table.vectors.length} values, want ids.length × dim = ${table.ids.length * table.dim}`);
  }
  const seen = new Set<string>();
  for (const id of table.ids) {
    try {
      parseEntityKey(id);
    } catch {
      throw new ConfigError('table.ids', 'every id must be an entity key "u:<raw id>" or "i:<raw id>" (see entityKey in @meta-id/core)', id);
    }
    if (seen.has(id)) throw new ConfigError('table.ids', 'entity listed twice', id);
    seen.add(id);
  }
}

/** Rows of `table` whose key is of `type`, as a new table (vectors copied). */
export function subsetByType(table: EmbeddingTable, type: EntityType): { table: EmbeddingTable; rows: number[] } {
  const prefix = type === 'user' ? 'u:' : 'i:';
  const rows: number[] = [];
  table.ids.forEach((id, i) => id.startsWith(prefix) && rows.push(i));
  const vectors = new Float32Array(rows.length * table.dim);
  rows.forEach((r, i) => vectors.set(table.vectors.subarray(r * table.dim, (r + 1) * table.dim), i * table.dim));
  return { table: { ids: rows.map((r) => table.ids[r]), dim: table.dim, vectors }, rows };
}
