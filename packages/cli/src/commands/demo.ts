import { parseArgs } from 'node:util';
import { datasetStats, generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { formatCount, type CliIO } from '../io.js';

export const DEMO_HELP = `meta-id demo [options]

Runs the META ID pipeline on the embedded synthetic dataset (planted user
communities, item categories and sequential habits; no external data).

Options:
  --seed <n>   seed of the synthetic data and of every random step (default 42)`;

/** The stages the demo runs so far; later stages join as their packages land. */
export async function demo(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { seed: { type: 'string', default: '42' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  const seed = Number(values.seed);
  const dataset = generateSyntheticDataset({ seed });
  const s = datasetStats(dataset);
  io.out(`synthetic dataset (seed ${seed}): ${formatCount(s.users)} users, ${formatCount(s.items)} items, ${formatCount(s.interactions)} interactions`);
  const split = leaveOneOutSplit(dataset);
  io.out(
    `leave-one-out split: ${formatCount(split.train.length)} train, ${formatCount(split.validation.length)} validation, ${formatCount(split.test.length)} test`,
  );
  return 0;
}
