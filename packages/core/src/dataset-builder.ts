import { DataFormatError, type SourceLocation } from './errors.js';
import { IdMap, type Dataset, type Interaction } from './types.js';

/** One record as a reader sees it, before ids become indices. */
export interface RawRecord {
  user: string;
  item: string;
  time?: number;
  rating?: number;
  text?: string;
}

/**
 * Collects raw records from any reader, turns raw ids into dense indices and
 * returns interactions grouped by user (users in order of first appearance)
 * and sorted by time inside each user when times are known (stable, so equal
 * times keep file order).
 */
export class DatasetBuilder {
  readonly users: IdMap;
  readonly items: IdMap;
  private readonly perUser: Interaction[][] = [];
  private hasTime = false;

  constructor(
    readonly name: string,
    users: IdMap = new IdMap(),
    items: IdMap = new IdMap(),
  ) {
    this.users = users;
    this.items = items;
  }

  add(record: RawRecord): void {
    const user = this.users.add(record.user);
    const item = this.items.add(record.item);
    const interaction: Interaction = { user, item };
    if (record.time !== undefined) {
      interaction.time = record.time;
      this.hasTime = true;
    }
    if (record.rating !== undefined) interaction.rating = record.rating;
    if (record.text !== undefined) interaction.text = record.text;
    (this.perUser[user] ??= []).push(interaction);
  }

  finish(extra: Partial<Dataset> = {}): Dataset {
    const interactions: Interaction[] = [];
    for (let u = 0; u < this.users.size; u++) {
      const list = this.perUser[u] ?? [];
      if (this.hasTime) list.sort((a, b) => (a.time ?? 0) - (b.time ?? 0));
      for (const x of list) interactions.push(x);
    }
    return { name: this.name, users: this.users, items: this.items, interactions, ...extra };
  }
}

/** Iterates the lines of a text with their 1-based numbers, tolerating CRLF. */
export function* numberedLines(text: string): Generator<[number, string]> {
  let start = 0;
  let lineNo = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    yield [lineNo, line];
    lineNo++;
    start = end + 1;
  }
}

/** Parses a number field, or throws a {@link DataFormatError} naming where. */
export function parseNumberField(value: string, loc: SourceLocation, what: string): number {
  const v = value.trim();
  const n = v === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) throw new DataFormatError(loc, `${what} is not a number`, value);
  return n;
}

/** Parses a time field: a number, or an ISO-8601 date (as milliseconds since the epoch). */
export function parseTimeField(value: string, loc: SourceLocation): number {
  const v = value.trim();
  const n = Number(v);
  if (v !== '' && Number.isFinite(n)) return n;
  const d = Date.parse(v);
  if (Number.isFinite(d)) return d;
  throw new DataFormatError(loc, 'timestamp is neither a number nor an ISO date', value);
}
