import { parseArgs } from 'node:util';
import { datasetStats, MetaIdError } from '@meta-id/core';
import { readDatasetFile, detectFormat, type DatasetFormat } from '@meta-id/core/node';
import { formatCount, type CliIO } from '../io.js';

export const DATA_STATS_HELP = `meta-id data stats <path> [options]

Counts users, items and interactions of a dataset file and summarises
sequence lengths.

Formats (detected from the file name and first line unless --format is given):
  p5       P5 sequential_data.txt: "user item item ..." with integer ids
  openp5   OpenP5 / META ID user_sequence.txt: raw ids; datamaps.json beside it is used when present
  recbole  RecBole atomic .inter file (header name:type, tab separated)
  csv/tsv  delimited file with a header row (user_id, item_id[, timestamp, rating, review])

Options:
  --format <f>      p5 | openp5 | recbole | csv | tsv
  --datamaps <path> datamaps.json for openp5 (default: beside the file)
  --json            print the statistics as JSON`;

export async function dataStats(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      datamaps: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(DATA_STATS_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new MetaIdError(`data stats takes one file path (got ${positionals.length})\n\n${DATA_STATS_HELP}`);
  const path = positionals[0];
  const format = (values.format as DatasetFormat | undefined) ?? detectFormat(path);
  const t0 = performance.now();
  const dataset = await readDatasetFile(path, { format, datamaps: values.datamaps });
  const s = datasetStats(dataset);
  const seconds = (performance.now() - t0) / 1000;
  if (values.json) {
    io.out(JSON.stringify({ name: dataset.name, format, path, ...s, ignoredColumns: dataset.ignoredColumns ?? [] }, null, 2));
    return 0;
  }
  const L = s.sequenceLength;
  io.out(`dataset          ${dataset.name} (${format}: ${path}, read in ${seconds.toFixed(2)} s)`);
  io.out(`users            ${formatCount(s.users)}`);
  io.out(`items            ${formatCount(s.items)}`);
  io.out(`interactions     ${formatCount(s.interactions)}`);
  io.out(`sequence length  min ${L.min} / median ${L.median} / mean ${L.mean.toFixed(2)} / max ${L.max}`);
  io.out(`density          ${(s.density * 100).toFixed(4)}%`);
  const extras = [s.hasTimestamps && 'timestamps', s.hasRatings && 'ratings', s.hasText && 'text'].filter(Boolean);
  io.out(`fields           user, item${extras.length ? `, ${extras.join(', ')}` : ''}`);
  if (dataset.ignoredColumns?.length) io.out(`ignored columns  ${dataset.ignoredColumns.join(', ')}`);
  return 0;
}
