import { describe, expect, it } from 'vitest';
import { parseP5Sequential, formatP5Sequential } from './p5.js';
import { DataFormatError } from '../errors.js';

describe('parseP5Sequential', () => {
  it('reads users, items in first-appearance order, and per-user order', () => {
    const d = parseP5Sequential('1 1 2 3\n2 3 4\n\n3 5 1 4\n', { source: 'seq.txt' });
    expect(d.users.ids).toEqual(['1', '2', '3']);
    expect(d.items.ids).toEqual(['1', '2', '3', '4', '5']);
    expect(d.interactions.map((x) => [x.user, x.item])).toEqual([
      [0, 0], [0, 1], [0, 2],
      [1, 2], [1, 3],
      [2, 4], [2, 0], [2, 3],
    ]);
    expect(d.name).toBe('seq');
  });

  it('accepts CRLF line endings', () => {
    const d = parseP5Sequential('1 7 8\r\n2 8 9\r\n');
    expect(d.interactions.length).toBe(4);
    expect(d.items.ids).toEqual(['7', '8', '9']);
  });

  it('names file, line and value for a non-numeric item id', () => {
    expect(() => parseP5Sequential('1 2 3\n2 4 x5\n', { source: 'data/seq.txt' })).toThrow(
      'data/seq.txt:2 (column 3): item id is not a non-negative integer: "x5"',
    );
  });

  it('names file, line and value for a non-numeric user id', () => {
    expect(() => parseP5Sequential('1 2 3\nabc 4\n', { source: 'f.txt' })).toThrow(
      'f.txt:2 (column 1): user id is not a non-negative integer: "abc"',
    );
  });

  it('rejects a user listed twice, naming both lines', () => {
    expect(() => parseP5Sequential('1 2 3\n2 3\n1 4\n', { source: 'f.txt' })).toThrow(
      'f.txt:3: user listed twice (first on line 1): "1"',
    );
  });

  it('rejects an empty history', () => {
    const err = (() => {
      try {
        parseP5Sequential('1 2 3\n2\n', { source: 'f.txt' });
      } catch (e) {
        return e as DataFormatError;
      }
    })();
    expect(err).toBeInstanceOf(DataFormatError);
    expect(err!.location).toEqual({ source: 'f.txt', line: 2 });
    expect(err!.message).toContain('empty history');
  });

  it('round-trips through the writer', () => {
    const text = '1 1 2 3\n2 3 4\n3 5 1 4\n';
    expect(formatP5Sequential(parseP5Sequential(text))).toBe(text);
  });
});
