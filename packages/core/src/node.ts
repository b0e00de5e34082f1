/**
 * File-system edge of @meta-id/core (Node only; the main entry stays
 * browser-safe). Files are streamed line by line, so large inputs are never
 * held as one string.
 */
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DataFormatError, MetaIdError } from './errors.js';
import type { Dataset } from './types.js';
import { SequenceReader, datasetNameFrom } from './formats/p5.js';
import { parseDatamaps, type Datamaps } from './formats/openp5.js';
import { DelimitedReader, type ColumnMapping } from './formats/delimited.js';

/** The dataset formats meta-id reads. */
export type DatasetFormat = 'p5' | 'openp5' | 'recbole' | 'csv' | 'tsv';

export interface ReadDatasetOptions {
  /** Default: from the file name (`.inter` → recbole, `.csv`, `.tsv`, `user_sequence*` → openp5, else p5 if ids are integers). */
  format?: DatasetFormat;
  /** For openp5: path of `datamaps.json`. Default: `datamaps.json` beside the file, when present. */
  datamaps?: string | false;
  /** For csv/tsv/recbole: which column holds which field. */
  columns?: ColumnMapping;
  delimiter?: string;
  name?: string;
}

async function forEachLine(path: string, fn: (line: string, lineNo: number) => void): Promise<void> {
  if (!existsSync(path)) throw new MetaIdError(`file not found: ${path}`);
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) fn(line, ++n);
}

function firstLine(path: string): string {
  const text = readFileSync(path, { encoding: 'utf8', flag: 'r' }).slice(0, 4096);
  return text.split('\n')[0] ?? '';
}

/** Guesses the format of a dataset file from its name and first line. */
export function detectFormat(path: string): DatasetFormat {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.inter')) return 'recbole';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.tsv')) return 'tsv';
  if (name.startsWith('user_sequence')) return 'openp5';
  if (!existsSync(path)) throw new MetaIdError(`file not found: ${path}`);
  const fields = firstLine(path).trim().split(/\s+/);
  return fields.every((f) => /^\d+$/.test(f)) ? 'p5' : 'openp5';
}

/**
 * Reads a dataset file in any supported format.
 *
 * @example
 * const beauty = await readDatasetFile('../shared/data/amazon-p5/beauty/sequential_data.txt');
 * console.log(beauty.users.size); // 22363
 */
export async function readDatasetFile(path: string, options: ReadDatasetOptions = {}): Promise<Dataset> {
  const format = options.format ?? detectFormat(path);
  const name = options.name ?? datasetNameFrom(path);
  switch (format) {
    case 'p5':
    case 'openp5': {
      let maps: Datamaps | undefined;
      if (format === 'openp5' && options.datamaps !== false) {
        const mapsPath = options.datamaps ?? join(dirname(path), 'datamaps.json');
        if (options.datamaps !== undefined || existsSync(mapsPath)) {
          if (!existsSync(mapsPath)) throw new MetaIdError(`datamaps file not found: ${mapsPath}`);
          maps = parseDatamaps(readFileSync(mapsPath, 'utf8'), mapsPath);
        }
      }
      const reader = new SequenceReader({
        source: path,
        name,
        integerIds: format === 'p5',
        users: maps?.users,
        items: maps?.items,
      });
      await forEachLine(path, (line, n) => reader.pushLine(line, n));
      return reader.finish();
    }
    case 'recbole':
    case 'csv':
    case 'tsv': {
      const reader = new DelimitedReader({
        source: path,
        name,
        columns: options.columns,
        delimiter: options.delimiter ?? (format === 'csv' ? ',' : '\t'),
        recbole: format === 'recbole',
      });
      await forEachLine(path, (line, n) => reader.pushLine(line, n));
      return reader.finish();
    }
    default:
      throw new DataFormatError({ source: path }, 'unknown format (want p5, openp5, recbole, csv or tsv)', format);
  }
}

/**
 * Writes a file atomically: to a temporary name beside it, then renamed, so a
 * crash never leaves a half-written file that a rerun would trust.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
