/**
 * Optional cross-checks against Python peers under Debian's /usr/bin/python3
 * (numpy always there on the benchmark machine; `safetensors` / `tokenizers`
 * only if someone installed them). Tests skip cleanly when a module is absent.
 * `META_ID_PYTHONPATH` is added to PYTHONPATH when set, to point at a private
 * install of those modules.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

function env(): NodeJS.ProcessEnv {
  const extra = process.env.META_ID_PYTHONPATH;
  return extra ? { ...process.env, PYTHONPATH: [extra, process.env.PYTHONPATH].filter(Boolean).join(':') } : process.env;
}

/** True when /usr/bin/python3 can import every module named. */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { env: env(), encoding: 'utf8', timeout: 60_000 });
  return r.status === 0;
}

/** Runs a Python script with arguments; returns stdout, throws with stderr on failure. */
export function runPython(script: string, args: string[] = []): string {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { env: env(), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
