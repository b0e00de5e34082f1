import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, type CliIO } from './index.js';

function capture(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const beauty = resolve(__dirname, '../../../../shared/data/amazon-p5/beauty');

describe('meta-id CLI', () => {
  it('prints help', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toContain('meta-id data stats <path>');
  });

  it('reports an unknown command in one line with exit code 2', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr[0]).toContain('unknown command "frobnicate"');
  });

  it('data stats names file and line of a malformed record, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-cli-'));
    const p = join(dir, 'seq.txt');
    writeFileSync(p, '1 2 3\n2 3 x\n');
    const io = capture();
    expect(await main(['data', 'stats', p], io)).toBe(2);
    expect(io.stderr).toEqual([`meta-id: ${p}:2 (column 3): item id is not a non-negative integer: "x"`]);
  });

  it('data stats counts a small file (hand-counted: 2 users, 3 items, 5 interactions)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-cli-'));
    const p = join(dir, 'seq.txt');
    writeFileSync(p, '1 1 2 3\n2 2 3\n');
    const io = capture();
    expect(await main(['data', 'stats', p, '--json'], io)).toBe(0);
    const s = JSON.parse(io.stdout.join('\n'));
    expect([s.users, s.items, s.interactions]).toEqual([2, 3, 5]);
    expect(s.sequenceLength).toEqual({ min: 2, median: 2.5, mean: 2.5, max: 3 });
  });

  it('run --schemes overrides the config and rejects an unknown scheme by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-cli-'));
    const p = join(dir, 'run.yaml');
    writeFileSync(p, 'name: x\nschemes: [meta-id, popularity]\n');
    const io = capture();
    expect(await main(['run', '--config', p, '--schemes', 'meta-id,bogus'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('option schemes: unknown scheme');
    expect(io.stderr.join('\n')).toContain('"bogus"');
  });

  it('run rejects train.maxSteps that is not a positive integer, naming the option and value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-cli-'));
    const p = join(dir, 'run.yaml');
    writeFileSync(p, 'name: x\ntrain:\n  maxSteps: 0\n');
    const io = capture();
    expect(await main(['run', '--config', p], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('train.maxSteps');
    expect(io.stderr.join('\n')).toContain('(got "0")');
  });

  it.skipIf(!existsSync(beauty))('data stats on Beauty prints 22,363 / 12,101 / 198,502', async () => {
    for (const f of ['sequential_data.txt', 'user_sequence.txt']) {
      const io = capture();
      expect(await main(['data', 'stats', join(beauty, f)], io)).toBe(0);
      const text = io.stdout.join('\n');
      expect(text).toMatch(/users\s+22,363/);
      expect(text).toMatch(/items\s+12,101/);
      expect(text).toMatch(/interactions\s+198,502/);
      expect(text).toContain('min 5 / median 6 / mean 8.88 / max 204');
    }
  });
});
