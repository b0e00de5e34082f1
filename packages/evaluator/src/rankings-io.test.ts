import { describe, expect, it } from 'vitest';
import { DataFormatError } from '@meta-id/core';
import { formatRankingsJsonl, parseRankingsJsonl } from './rankings-io.js';

describe('rankings.jsonl', () => {
  it('round-trips and skips blank lines', () => {
    const rankings = [{ user: 0, items: [3, 1] }, { user: 4, items: [2], scores: [-0.5] }];
    const text = formatRankingsJsonl(rankings);
    expect(text).toBe('{"user":0,"items":[3,1]}\n{"user":4,"items":[2],"scores":[-0.5]}\n');
    expect(parseRankingsJsonl(`\n${text}\n`)).toEqual(rankings);
  });

  it('names the line and field of a bad entry', () => {
    expect(() => parseRankingsJsonl('{"user":0,"items":[1]}\n{"user":"A1","items":[1]}', 'r.jsonl')).toThrow(/r\.jsonl:2 \(column user\)/);
    expect(() => parseRankingsJsonl('{"user":0,"items":[1.5]}')).toThrow(DataFormatError);
    expect(() => parseRankingsJsonl('{"user":0,"items":[1],"scores":[]}')).toThrow(/scores/);
    expect(() => parseRankingsJsonl('not json')).toThrow(/line|:1/);
  });
});
