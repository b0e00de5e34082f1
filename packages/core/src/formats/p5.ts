import { DataFormatError } from '../errors.js';
import { DatasetBuilder, numberedLines } from '../dataset-builder.js';
import { IdMap, type Dataset } from '../types.js';

const INTEGER = /^\d+$/;

/** Options shared by the one-line-per-user sequence readers. */
export interface SequenceReaderOptions {
  /** Label used in error messages (a file path). Default `"<string>"`. */
  source?: string;
  /** Dataset name. Default: derived from `source`. */
  name?: string;
}

/**
 * Streaming reader of one-line-per-user sequence files: P5's
 * `sequential_data.txt` (`user item item ...`, integer ids) and OpenP5's
 * `user_sequence.txt` (the same with raw ids). Feed lines with
 * {@link pushLine}, then call {@link finish}. Blank lines are allowed and carry
 * nothing; a user listed twice, a user with no items, or (with `integerIds`) a
 * non-integer id is an error naming the line.
 */
export class SequenceReader {
  private readonly builder: DatasetBuilder;
  private readonly seenAt = new Map<string, number>();
  private readonly source: string;
  private readonly integerIds: boolean;
  /** With id maps given up front (datamaps.json), an id outside them is an error. */
  private readonly knownIdsOnly: boolean;

  constructor(options: SequenceReaderOptions & { integerIds: boolean; users?: IdMap; items?: IdMap }) {
    this.source = options.source ?? '<string>';
    this.integerIds = options.integerIds;
    this.knownIdsOnly = options.users !== undefined;
    this.builder = new DatasetBuilder(options.name ?? datasetNameFrom(this.source), options.users, options.items);
  }

  pushLine(line: string, lineNo: number): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const fields = trimmed.split(/\s+/);
    const loc = { source: this.source, line: lineNo };
    const user = fields[0];
    if (this.integerIds && !INTEGER.test(user)) {
      throw new DataFormatError({ ...loc, column: 1 }, 'user id is not a non-negative integer', user);
    }
    const first = this.seenAt.get(user);
    if (first !== undefined) {
      throw new DataFormatError(loc, `user listed twice (first on line ${first})`, user);
    }
    this.seenAt.set(user, lineNo);
    if (fields.length < 2) throw new DataFormatError(loc, 'user has an empty history', user);
    if (this.knownIdsOnly && !this.builder.users.has(user)) {
      throw new DataFormatError({ ...loc, column: 1 }, 'user id not in the id map', user);
    }
    for (let c = 1; c < fields.length; c++) {
      const item = fields[c];
      if (this.integerIds && !INTEGER.test(item)) {
        throw new DataFormatError({ ...loc, column: c + 1 }, 'item id is not a non-negative integer', item);
      }
      if (this.knownIdsOnly && !this.builder.items.has(item)) {
        throw new DataFormatError({ ...loc, column: c + 1 }, 'item id not in the id map', item);
      }
      // Position in the line is the time order (P5 sorted each user's reviews by time).
      this.builder.add({ user, item });
    }
  }

  finish(): Dataset {
    return this.builder.finish();
  }
}

/** Parses P5 `sequential_data.txt` text (integer ids, one user per line). */
export function parseP5Sequential(text: string, options: SequenceReaderOptions = {}): Dataset {
  const reader = new SequenceReader({ ...options, integerIds: true });
  for (const [n, line] of numberedLines(text)) reader.pushLine(line, n);
  return reader.finish();
}

/**
 * Writes a dataset as P5 `sequential_data.txt`. Raw ids are written when they
 * are all integers; otherwise users and items are numbered 1..N by index
 * (P5's convention), which `numberByIndex` forces.
 */
export function formatP5Sequential(dataset: Dataset, options: { numberByIndex?: boolean } = {}): string {
  const byIndex =
    options.numberByIndex ??
    !(dataset.users.ids.every((id) => INTEGER.test(id)) && dataset.items.ids.every((id) => INTEGER.test(id)));
  const userName = (u: number) => (byIndex ? String(u + 1) : dataset.users.id(u));
  const itemName = (i: number) => (byIndex ? String(i + 1) : dataset.items.id(i));
  return formatSequences(dataset, userName, itemName);
}

/** One line per user: the user's name, then the names of its items in order. */
export function formatSequences(
  dataset: Dataset,
  userName: (u: number) => string,
  itemName: (i: number) => string,
): string {
  const lines: string[] = [];
  let current = -1;
  let parts: string[] = [];
  for (const x of dataset.interactions) {
    if (x.user !== current) {
      if (parts.length) lines.push(parts.join(' '));
      current = x.user;
      parts = [userName(x.user)];
    }
    parts.push(itemName(x.item));
  }
  if (parts.length) lines.push(parts.join(' '));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** `.../beauty/sequential_data.txt` → `beauty`. */
export function datasetNameFrom(source: string): string {
  const parts = source.split(/[\\/]/).filter(Boolean);
  if (parts.length >= 2) return parts[parts.length - 2];
  return parts[0]?.replace(/\.[^.]*$/, '') ?? 'dataset';
}
