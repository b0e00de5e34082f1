import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError, type TokenCodebook } from '@meta-id/core';
import { parseCodebook, readCodebook, serializeCodebook, writeCodebook, checkCodebook, type ClustererCodebook } from './codebook.js';

function small(): ClustererCodebook {
  return {
    scheme: 'meta-id',
    dim: 2,
    tokens: [
      { token: '<CT0>', level: 0, members: 2, centroid: [1, 0] },
      { token: '<CT1>', level: 0, members: 1, centroid: [0, 1] },
      { token: '<1001>', level: 1, members: 2 },
      { token: '<1002>', level: 1, members: 1 },
    ],
    codes: { 'u:A': ['<CT0>', '<1001>'], 'i:B': ['<CT0>', '<1002>'], 'i:C': ['<CT1>', '<1001>'] },
    stats: { entities: 3 },
    params: { metric: 'cosine', fineStart: 1001, joint: true },
  };
}

const load = (cb: unknown, opts = {}) => parseCodebook(JSON.stringify(cb), { source: 'cb.json', ...opts });

describe('codebook artifact', () => {
  it('round-trips through a file unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-'));
    const path = join(dir, 'codebook.json');
    await writeCodebook(path, small());
    const back = await readCodebook(path, { entities: ['u:A', 'i:B', 'i:C'], requireAll: true });
    expect(back.codes).toEqual(small().codes);
    expect(back.tokens).toEqual(small().tokens);
    expect(back.params).toEqual(small().params);
    expect(back.stats).toEqual(small().stats);
    expect(serializeCodebook(back)).toBe(serializeCodebook(small()));
  });

  it('reads a plain core TokenCodebook (no params) too', () => {
    const { params: _p, ...plain } = small();
    const cb: TokenCodebook = plain;
    expect(load(cb).codes['u:A']).toEqual(['<CT0>', '<1001>']);
  });

  it('names the problem: malformed JSON', () => {
    expect(() => parseCodebook('{"scheme": "meta-id",', { source: 'cb.json' })).toThrow(/cb.json: not valid JSON/);
    expect(() => parseCodebook('[]', { source: 'cb.json' })).toThrow(DataFormatError);
  });
  it('names the problem: unknown entity', () => {
    expect(() => load(small(), { entities: ['u:A', 'i:B'] })).toThrow(/unknown entity i:C/);
    const bad = small();
    bad.codes['x:Z'] = ['<CT1>', '<1002>'];
    expect(() => load(bad)).toThrow(/entity key "x:Z"/);
  });
  it('names the problem: entity without code when all are required', () => {
    expect(() => load(small(), { entities: ['u:A', 'i:B', 'i:C', 'u:D'], requireAll: true })).toThrow(/entity u:D has no code/);
  });
  it('names the problem: duplicate code', () => {
    const bad = small();
    bad.codes['i:C'] = ['<CT0>', '<1001>'];
    bad.tokens[0].members = 3;
    bad.tokens[1].members = 0;
    bad.tokens[2].members = 3;
    bad.tokens[3].members = 0;
    expect(() => load(bad)).toThrow(/duplicate code <CT0><1001>: entities u:A and i:C/);
  });
  it('names the problem: wrong centroid dimension', () => {
    const bad = small();
    bad.tokens[1].centroid = [0, 1, 0];
    expect(() => load(bad)).toThrow(/token <CT1>: centroid has 3 values, the codebook's dim is 2/);
  });
  it('names the problem: unknown token, repeated token, wrong member count', () => {
    const a = small();
    a.codes['i:C'] = ['<CT9>', '<1001>'];
    expect(() => load(a)).toThrow(/entity i:C: unknown token "<CT9>"/);
    const b = small();
    b.tokens.push({ token: '<CT1>', level: 0, members: 1 });
    expect(() => load(b)).toThrow(/token <CT1> is listed twice/);
    const c = small();
    c.tokens[2].members = 5;
    expect(() => load(c)).toThrow(/token <1001> says 5 members, the codes use it 2 times/);
  });
  it('names the problem: missing fields', () => {
    const { codes: _c, ...noCodes } = small();
    expect(() => load(noCodes)).toThrow(/column codes/);
    expect(() => load({ ...small(), dim: 'two' })).toThrow(/column dim/);
    expect(() => load({ ...small(), format: 'other' })).toThrow(/not a meta-id-codebook file/);
  });
  it('a missing file is an error with its path', async () => {
    await expect(readCodebook('/nonexistent/cb.json')).rejects.toThrow(/codebook file not found: \/nonexistent\/cb.json/);
  });
  it('checkCodebook accepts the sound one', () => {
    expect(checkCodebook(small())).toBeTruthy();
  });
  it('writes a file that is valid JSON for other tools', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-'));
    writeFileSync(join(dir, 'x.json'), serializeCodebook(small()));
    expect(JSON.parse(serializeCodebook(small())).format).toBe('meta-id-codebook');
  });
});
