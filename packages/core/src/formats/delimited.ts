import { DataFormatError } from '../errors.js';
import { DatasetBuilder, numberedLines, parseNumberField, parseTimeField, type RawRecord } from '../dataset-builder.js';
import type { Dataset } from '../types.js';
import { datasetNameFrom } from './p5.js';

/** Which column holds which field. A name given here that the header lacks is an error. */
export interface ColumnMapping {
  user?: string;
  item?: string;
  time?: string;
  rating?: string;
  text?: string;
}

export interface DelimitedOptions {
  source?: string;
  name?: string;
  /** Field separator. Default: tab for `.tsv`/`.inter` sources, comma otherwise. */
  delimiter?: string;
  columns?: ColumnMapping;
}

/** Header names tried, in order, for each field when `columns` does not name one. */
const DEFAULT_COLUMNS: Record<keyof ColumnMapping, string[]> = {
  user: ['user_id', 'user', 'userId', 'reviewerID', 'uid'],
  item: ['item_id', 'item', 'itemId', 'asin', 'iid'],
  time: ['timestamp', 'time', 'unixReviewTime', 'date'],
  rating: ['rating', 'overall', 'score'],
  text: ['review', 'text', 'reviewText', 'explanation'],
};

/**
 * Splits one delimited line. Double quotes enclose fields that contain the
 * delimiter; `""` inside quotes is a literal quote (RFC 4180). A field may not
 * span lines, so files stream line by line.
 */
export function splitDelimitedLine(line: string, delimiter: string, loc: { source: string; line: number }): string[] {
  if (!line.includes('"')) return line.split(delimiter);
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (line.startsWith(delimiter, i)) {
      out.push(field);
      field = '';
      i += delimiter.length;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new DataFormatError(loc, 'unterminated quoted field (fields may not span lines)', line);
  out.push(field);
  return out;
}

/**
 * Streaming reader of delimited files with a header row: CSV/TSV with named
 * columns, and RecBole atomic `.inter` files (header `name:type`, tab
 * separated). Columns that no field maps to are listed in `ignoredColumns`.
 */
export class DelimitedReader {
  private readonly builder: DatasetBuilder;
  private readonly source: string;
  private readonly delimiter: string;
  private header: string[] | undefined;
  private index: Partial<Record<keyof ColumnMapping, number>> = {};
  private ignored: string[] = [];

  constructor(
    private readonly options: DelimitedOptions & { recbole?: boolean } = {},
  ) {
    this.source = options.source ?? '<string>';
    this.delimiter = options.delimiter ?? (/\.(tsv|inter)$/i.test(this.source) || options.recbole ? '\t' : ',');
    this.builder = new DatasetBuilder(options.name ?? datasetNameFrom(this.source));
  }

  pushLine(line: string, lineNo: number): void {
    if (line.trim() === '') return;
    const loc = { source: this.source, line: lineNo };
    const fields = splitDelimitedLine(line, this.delimiter, loc);
    if (!this.header) {
      this.readHeader(fields, loc);
      return;
    }
    if (fields.length !== this.header.length) {
      throw new DataFormatError(loc, `expected ${this.header.length} fields, found ${fields.length}`, line);
    }
    const col = (k: keyof ColumnMapping) => this.index[k];
    const user = fields[col('user')!].trim();
    const item = fields[col('item')!].trim();
    if (user === '') throw new DataFormatError({ ...loc, column: this.header[col('user')!] }, 'empty user id', line);
    if (item === '') throw new DataFormatError({ ...loc, column: this.header[col('item')!] }, 'empty item id', line);
    const record: RawRecord = { user, item };
    const t = col('time');
    if (t !== undefined) record.time = parseTimeField(fields[t], { ...loc, column: this.header[t] });
    const r = col('rating');
    if (r !== undefined) record.rating = parseNumberField(fields[r], { ...loc, column: this.header[r] }, 'rating');
    const x = col('text');
    if (x !== undefined) record.text = fields[x];
    this.builder.add(record);
  }

  private readHeader(fields: string[], loc: { source: string; line: number }): void {
    const names = fields.map((f) => f.trim());
    if (this.options.recbole) {
      this.header = names.map((n, i) => {
        const m = /^([^:]+):(token|float|token_seq|float_seq)$/.exec(n);
        if (!m) {
          throw new DataFormatError(
            { ...loc, column: i + 1 },
            'RecBole header field must be name:type with type token, float, token_seq or float_seq',
            n,
          );
        }
        return m[1];
      });
    } else {
      this.header = names;
    }
    const header = this.header;
    const mapping = this.options.columns ?? {};
    for (const key of Object.keys(DEFAULT_COLUMNS) as (keyof ColumnMapping)[]) {
      const wanted = mapping[key];
      if (wanted !== undefined) {
        const i = header.indexOf(wanted);
        if (i < 0) {
          throw new DataFormatError(
            { ...loc, column: wanted },
            `unknown column for ${key} (header has: ${header.join(', ')})`,
            wanted,
          );
        }
        this.index[key] = i;
      } else {
        const i = header.findIndex((h) => DEFAULT_COLUMNS[key].includes(h));
        if (i >= 0) this.index[key] = i;
      }
    }
    for (const key of ['user', 'item'] as const) {
      if (this.index[key] === undefined) {
        throw new DataFormatError(
          loc,
          `no ${key} column (looked for ${DEFAULT_COLUMNS[key].join(', ')}; header has: ${header.join(', ')}); name it with columns.${key}`,
        );
      }
    }
    const used = new Set(Object.values(this.index));
    this.ignored = header.filter((_, i) => !used.has(i));
  }

  finish(): Dataset {
    if (!this.header) throw new DataFormatError({ source: this.source, line: 1 }, 'file is empty (no header row)');
    return this.builder.finish(this.ignored.length ? { ignoredColumns: this.ignored } : {});
  }
}

/** Parses CSV/TSV text with a header row. See {@link DelimitedReader}. */
export function parseDelimited(text: string, options: DelimitedOptions = {}): Dataset {
  const reader = new DelimitedReader(options);
  for (const [n, line] of numberedLines(text)) reader.pushLine(line, n);
  return reader.finish();
}

/** Parses a RecBole atomic `.inter` file (`user_id:token\titem_id:token\trating:float\ttimestamp:float ...`). */
export function parseRecBoleInter(text: string, options: DelimitedOptions = {}): Dataset {
  const reader = new DelimitedReader({ ...options, recbole: true });
  for (const [n, line] of numberedLines(text)) reader.pushLine(line, n);
  return reader.finish();
}

function quoteIfNeeded(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes('\n')
    ? `"${s.replace(/"/g, '""').replace(/\n/g, ' ')}"`
    : s;
}

/** Writes CSV (or TSV with `delimiter: '\t'`) with columns user_id, item_id[, timestamp, rating, review]. */
export function formatDelimited(dataset: Dataset, options: { delimiter?: string; recbole?: boolean } = {}): string {
  const d = options.delimiter ?? (options.recbole ? '\t' : ',');
  const xs = dataset.interactions;
  const hasTime = xs.some((x) => x.time !== undefined);
  const hasRating = xs.some((x) => x.rating !== undefined);
  const hasText = xs.some((x) => x.text !== undefined);
  const cols: [string, string][] = [
    ['user_id', 'token'],
    ['item_id', 'token'],
  ];
  if (hasRating) cols.push(['rating', 'float']);
  if (hasTime) cols.push(['timestamp', 'float']);
  if (hasText) cols.push(['review', 'token_seq']);
  const header = cols.map(([n, t]) => (options.recbole ? `${n}:${t}` : n)).join(d);
  const lines = [header];
  for (const x of xs) {
    const row = [quoteIfNeeded(dataset.users.id(x.user), d), quoteIfNeeded(dataset.items.id(x.item), d)];
    if (hasRating) row.push(x.rating === undefined ? '' : String(x.rating));
    if (hasTime) row.push(x.time === undefined ? '' : String(x.time));
    if (hasText) row.push(quoteIfNeeded((x.text ?? '').replace(/[\t\n]/g, ' '), d));
    lines.push(row.join(d));
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a RecBole atomic `.inter` file. */
export function formatRecBoleInter(dataset: Dataset): string {
  return formatDelimited(dataset, { recbole: true });
}
