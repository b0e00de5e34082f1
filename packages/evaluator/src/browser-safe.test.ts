import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every source file the main entry can reach, i.e. all but node.ts, tests and test support. */
function mainSources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'test-support' ? [] : mainSources(p);
    return f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'node.ts' ? [p] : [];
  });
}

describe('browser safety', () => {
  it('the main entry imports no Node built-in and not @meta-id/core/node', () => {
    const files = mainSources(join(__dirname));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/from ['"](node:|fs|path|os|child_process)['"/]/);
      expect(text, f).not.toMatch(/@meta-id\/core\/node/);
      expect(text, f).not.toMatch(/\bprocess\./);
    }
  });
});
