import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StageRunner, stableStringify, type StageDefinition } from './runner.js';

function counterStage(name: string, after: string[], inputs: unknown, calls: string[], fail = false): StageDefinition {
  return {
    name,
    after,
    inputs,
    outputs: ['out.txt'],
    async run(ctx) {
      calls.push(name);
      const upstream = after.map((a) => readFileSync(join(ctx.artifact(a), 'out.txt'), 'utf8')).join('+');
      if (fail) throw new Error('boom');
      writeFileSync(join(ctx.dir, 'out.txt'), `${name}(${upstream})`);
    },
  };
}

describe('StageRunner', () => {
  it('skips stages whose inputs are unchanged and reruns those downstream of a change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-run-'));
    const calls: string[] = [];
    const pipeline = async (cfg: { a: number; b: number }, from?: string) => {
      const r = new StageRunner(dir, { from, log: () => {} });
      await r.run(counterStage('a', [], { a: cfg.a }, calls));
      await r.run(counterStage('b', ['a'], { b: cfg.b }, calls));
      await r.run(counterStage('c', ['b'], {}, calls));
    };
    await pipeline({ a: 1, b: 1 });
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(readFileSync(join(dir, 'c/out.txt'), 'utf8')).toBe('c(b(a()))');
    calls.length = 0;
    await pipeline({ a: 1, b: 1 });
    expect(calls).toEqual([]);
    await pipeline({ a: 1, b: 2 }); // b's config changed: b and c rerun, a does not
    expect(calls).toEqual(['b', 'c']);
    calls.length = 0;
    await pipeline({ a: 1, b: 2 }, 'b'); // --from b
    expect(calls).toEqual(['b', 'c']);
  });

  it('leaves no half-written artifact when a stage fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-run-'));
    const calls: string[] = [];
    const r = new StageRunner(dir, { log: () => {} });
    await r.run(counterStage('a', [], {}, calls));
    await expect(r.run(counterStage('b', ['a'], {}, calls, true))).rejects.toThrow('boom');
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('b'))).toEqual([]);
    // The failed attempt's temporary folder is not mistaken for a finished stage on rerun.
    const again = new StageRunner(dir, { log: () => {} });
    await again.run(counterStage('a', [], {}, calls));
    await again.run(counterStage('b', ['a'], {}, calls));
    expect(readFileSync(join(dir, 'b/out.txt'), 'utf8')).toBe('b(a())');
    expect(readdirSync(dir).filter((f) => f.startsWith('b'))).toContain('b');
  });

  it('fingerprints do not depend on key order', () => {
    expect(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(stableStringify({ a: [1, { c: 3, d: 2 }], b: 1 }));
  });
});
