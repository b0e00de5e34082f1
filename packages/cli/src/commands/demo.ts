import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MetaIdError } from '@meta-id/core';
import { loadConfig, resolveConfig } from '../pipeline/config.js';
import { runPipeline } from '../pipeline/run.js';
import type { CliIO } from '../io.js';

export const DEMO_HELP = `meta-id demo [options]

Runs the whole META ID pipeline on the embedded synthetic dataset (planted
user communities, item categories and sequential habits; no external data):
walks, skip-gram, OOV codes, vocabulary, fine-tuning, constrained beam search
and evaluation, for META ID against in-vocabulary sequential ids and a
popularity baseline, with the same training budget for each: a number of
optimiser steps, so that the same seed gives the same table on a busy
machine and on an idle one. Prints the comparison table; artifacts and
reports go to runs/demo/.

Options:
  --seed <n>       seed of the data and of every random step (default 42)
  --steps <n>      training budget per scheme in optimiser steps (default: configs/demo.yaml, 320)
  --minutes <m>    wall-time cap per scheme in minutes, a safety stop (default: configs/demo.yaml, 10)
  --out <dir>      where run folders go (default runs)`;

/** The demo's configuration: `configs/demo.yaml` of this package, small enough for a few minutes on 2 cores. */
export function demoConfig(seed = 42, minutes?: number, runsDir = 'runs', steps?: number) {
  // dist/bin.js and src/commands/demo.ts both sit two levels below the package folder.
  const here = dirname(fileURLToPath(import.meta.url));
  const file = [join(here, '../configs/demo.yaml'), join(here, '../../configs/demo.yaml')].find((p) => existsSync(p));
  if (!file) throw new MetaIdError(`configs/demo.yaml not found beside ${here}`);
  const base = loadConfig(file);
  return resolveConfig({ ...base, seed, runsDir, train: { ...base.train, ...(minutes !== undefined ? { maxMinutes: minutes } : {}), ...(steps !== undefined ? { maxSteps: steps } : {}) } } as never);
}

export async function demo(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string', default: '42' },
      minutes: { type: 'string' },
      steps: { type: 'string' },
      out: { type: 'string', default: 'runs' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  const t0 = performance.now();
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const config = demoConfig(Number(values.seed), number(values.minutes), values.out, number(values.steps));
  const result = await runPipeline(config, { log: io.err });
  io.out(result.table);
  io.out(`run folder: ${result.runDir}; demo wall time ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return 0;
}
