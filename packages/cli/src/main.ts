import { MetaIdError } from '@meta-id/core';
import { dataStats } from './commands/data-stats.js';
import { demo } from './commands/demo.js';
import { run } from './commands/run.js';
import { processIO, type CliIO } from './io.js';

export const HELP = `meta-id: learned out-of-vocabulary tokens for LLM-based recommendation
(META ID, Huang et al., ICML 2025)

Usage:
  meta-id demo                      run the whole pipeline on the embedded synthetic dataset
  meta-id run --config <file>       run the pipeline from a JSON/YAML config (resumable)
  meta-id data stats <path>         users, items, interactions, sequence lengths of a dataset
  meta-id <command> --help          help for one command

Environment:
  META_ID_TFJS_BACKEND=auto|tensorflow|wasm|cpu   tfjs backend (default auto: tfjs-node, else wasm)`;

/** Runs the CLI; returns the process exit code. Errors a user can act on print one line, no stack. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP);
      return 0;
    }
    if (command === 'data') {
      const [sub, ...args] = rest;
      if (sub === 'stats') return await dataStats(args, io);
      throw new MetaIdError(`unknown command "data ${sub ?? ''}" (try: meta-id data stats <path>)`);
    }
    if (command === 'demo') return await demo(rest, io);
    if (command === 'run') return await run(rest, io);
    throw new MetaIdError(`unknown command "${command}"\n\n${HELP}`);
  } catch (e) {
    if (e instanceof MetaIdError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`meta-id: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}
