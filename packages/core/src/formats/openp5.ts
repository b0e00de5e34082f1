import { DataFormatError } from '../errors.js';
import { numberedLines } from '../dataset-builder.js';
import { IdMap, type Dataset } from '../types.js';
import { SequenceReader, formatSequences, type SequenceReaderOptions } from './p5.js';

/** The id maps of P5's `datamaps.json` (only the fields meta-id uses). */
export interface Datamaps {
  users: IdMap;
  items: IdMap;
}

/**
 * Parses P5's `datamaps.json`. Users and items are registered in the order of
 * their integer ids, so index i is P5 id i+1 and the figures and order match
 * `sequential_data.txt`.
 */
export function parseDatamaps(jsonText: string, source = '<datamaps>'): Datamaps {
  let data: unknown;
  try {
    data = JSON.parse(jsonText);
  } catch (e) {
    throw new DataFormatError({ source }, `not valid JSON (${(e as Error).message})`);
  }
  const obj = data as Record<string, unknown>;
  return {
    users: idMapFrom(obj, 'user2id', source),
    items: idMapFrom(obj, 'item2id', source),
  };
}

function idMapFrom(obj: Record<string, unknown>, field: string, source: string): IdMap {
  const m = obj?.[field];
  if (!m || typeof m !== 'object') throw new DataFormatError({ source, column: field }, 'missing object field', field);
  const entries: [string, number][] = [];
  for (const [raw, id] of Object.entries(m as Record<string, unknown>)) {
    const n = Number(id);
    if (!Number.isInteger(n) || n < 1) {
      throw new DataFormatError({ source, column: `${field}.${raw}` }, 'id is not a positive integer', id);
    }
    entries.push([raw, n]);
  }
  entries.sort((a, b) => a[1] - b[1]);
  for (let i = 0; i < entries.length; i++) {
    if (entries[i][1] !== i + 1) {
      throw new DataFormatError(
        { source, column: `${field}.${entries[i][0]}` },
        `ids are not dense 1..${entries.length} (expected ${i + 1})`,
        entries[i][1],
      );
    }
  }
  return new IdMap(entries.map((e) => e[0]));
}

/**
 * Parses OpenP5 / META ID `user_sequence.txt` (`reviewerID asin asin ...`). With
 * `datamaps`, indices follow P5's integer ids and an id outside the maps is an
 * error; without, users and items are numbered in order of first appearance.
 */
export function parseUserSequence(
  text: string,
  options: SequenceReaderOptions & { datamaps?: Datamaps } = {},
): Dataset {
  const reader = new SequenceReader({
    ...options,
    integerIds: false,
    users: options.datamaps?.users,
    items: options.datamaps?.items,
  });
  for (const [n, line] of numberedLines(text)) reader.pushLine(line, n);
  return reader.finish();
}

/** Writes `user_sequence.txt` with raw ids. */
export function formatUserSequence(dataset: Dataset): string {
  return formatSequences(dataset, (u) => dataset.users.id(u), (i) => dataset.items.id(i));
}

/** Writes a `datamaps.json` (user2id, item2id, id2user, id2item) for a dataset. */
export function formatDatamaps(dataset: Dataset): string {
  const user2id: Record<string, string> = {};
  const id2user: Record<string, string> = {};
  const item2id: Record<string, string> = {};
  const id2item: Record<string, string> = {};
  dataset.users.ids.forEach((raw, i) => {
    user2id[raw] = String(i + 1);
    id2user[String(i + 1)] = raw;
  });
  dataset.items.ids.forEach((raw, i) => {
    item2id[raw] = String(i + 1);
    id2item[String(i + 1)] = raw;
  });
  return JSON.stringify({ user2id, item2id, id2user, id2item });
}
