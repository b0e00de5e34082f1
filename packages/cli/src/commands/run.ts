import { parseArgs } from 'node:util';
import { dirname } from 'node:path';
import { MetaIdError } from '@meta-id/core';
import { loadConfig, resolveConfig } from '../pipeline/config.js';
import { runPipeline } from '../pipeline/run.js';
import type { CliIO } from '../io.js';

export const RUN_HELP = `meta-id run --config <file> [options]

Runs split → walks → skip-gram → codes → vocabulary → training → constrained
generation → evaluation for every item-id scheme in the config, writing each
stage's artifacts to <runsDir>/<name>/<stage>/. A stage whose artifacts exist
and whose inputs are unchanged is skipped; --from redoes a stage and all after.

Options:
  --config <file>   JSON or YAML run configuration (see docs/pipeline.md)
  --from <stage>    data | embed | codes | train | recommend | evaluate (or e.g. train/meta-id)
  --name <name>     override the run name (the folder under runsDir)
  --schemes <list>  override the config's schemes, comma-separated (e.g. meta-id,popularity)`;

export async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      from: { type: 'string' },
      name: { type: 'string' },
      schemes: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(RUN_HELP);
    return 0;
  }
  if (!values.config) throw new MetaIdError(`run needs --config <file>\n\n${RUN_HELP}`);
  let config = loadConfig(values.config);
  if (values.name) config = resolveConfig({ ...config, name: values.name } as never);
  if (values.schemes) config = resolveConfig({ ...config, schemes: values.schemes.split(',').map((s) => s.trim()) } as never);
  const t0 = performance.now();
  // A relative data.source is relative to the config file; runsDir to the working directory.
  const result = await runPipeline(config, { from: values.from, baseDir: dirname(values.config), log: io.err });
  io.out(result.table);
  io.out(`run folder: ${result.runDir} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  return 0;
}
