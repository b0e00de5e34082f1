/**
 * Optional cross-checks against Debian's system Python (/usr/bin/python3,
 * which has numpy / scipy / scikit-learn on the project machine). Tests that
 * use it skip cleanly, with the reason, when it or a module is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_PYTHON = '/usr/bin/python3';

const cache = new Map<string, string | undefined>();

/** undefined when `modules` import fine, else why not. */
export function pythonUnavailable(modules: string[]): string | undefined {
  const key = modules.join(',');
  if (cache.has(key)) return cache.get(key);
  let reason: string | undefined;
  // For a quick run: META_ID_SKIP_PYTHON=1 npx vitest run
  if (process.env.META_ID_SKIP_PYTHON) reason = 'META_ID_SKIP_PYTHON is set';
  else if (!existsSync(SYSTEM_PYTHON)) reason = `${SYSTEM_PYTHON} not found`;
  else {
    try {
      // find_spec looks modules up without importing them (importing sklearn or nltk takes seconds).
      const probe = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`;
      execFileSync(SYSTEM_PYTHON, ['-c', probe], { stdio: 'pipe', timeout: 30_000 });
    } catch {
      reason = `${SYSTEM_PYTHON} lacks one of: ${modules.join(', ')}`;
    }
  }
  cache.set(key, reason);
  return reason;
}

/** Runs `code` with the JSON of `input` on stdin (as `data`) and parses the JSON it prints. */
export function runPython<T>(code: string, input: unknown): T {
  const script = `import json, sys\ndata = json.load(sys.stdin)\n${code}`;
  const out = execFileSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as T;
}
