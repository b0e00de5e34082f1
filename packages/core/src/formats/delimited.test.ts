import { describe, expect, it } from 'vitest';
import { parseDelimited, parseRecBoleInter, formatRecBoleInter, formatDelimited, splitDelimitedLine } from './delimited.js';

describe('RecBole .inter', () => {
  const inter = [
    'user_id:token\titem_id:token\trating:float\ttimestamp:float\treview:token_seq\tcategory:token',
    'u1\ti1\t5\t300\tgreat stuff\tx',
    'u2\ti1\t3\t100\tok\ty',
    'u1\ti2\t4\t200\tnice\tx',
  ].join('\n');

  it('reads fields, sorts each user by timestamp, and lists ignored columns', () => {
    const d = parseRecBoleInter(inter, { source: 'b.inter' });
    expect(d.users.ids).toEqual(['u1', 'u2']);
    expect(d.interactions).toEqual([
      { user: 0, item: 1, time: 200, rating: 4, text: 'nice' },
      { user: 0, item: 0, time: 300, rating: 5, text: 'great stuff' },
      { user: 1, item: 0, time: 100, rating: 3, text: 'ok' },
    ]);
    expect(d.ignoredColumns).toEqual(['category']);
  });

  it('round-trips through the writer', () => {
    const d = parseRecBoleInter(inter);
    const again = parseRecBoleInter(formatRecBoleInter(d));
    const named = (x: typeof d) =>
      x.interactions.map((i) => ({ ...i, user: x.users.id(i.user), item: x.items.id(i.item) }));
    expect(named(again)).toEqual(named(d));
  });

  it('names file, line and column for a bad rating', () => {
    const bad = 'user_id:token\titem_id:token\trating:float\nu1\ti1\tfive\n';
    expect(() => parseRecBoleInter(bad, { source: 'b.inter' })).toThrow(
      'b.inter:2 (column rating): rating is not a number: "five"',
    );
  });

  it('rejects a header field without a RecBole type', () => {
    expect(() => parseRecBoleInter('user_id\titem_id:token\n', { source: 'b.inter' })).toThrow(
      'b.inter:1 (column 1): RecBole header field must be name:type',
    );
  });

  it('rejects a row with the wrong number of fields', () => {
    expect(() => parseRecBoleInter('user_id:token\titem_id:token\nu1\n', { source: 'b.inter' })).toThrow(
      'b.inter:2: expected 2 fields, found 1',
    );
  });
});

describe('CSV / TSV', () => {
  it('finds default column names and handles quotes', () => {
    const csv = 'user,item,rating,text\nA,X,4,"good, really"\nA,Y,2,"said ""meh"""\n';
    const d = parseDelimited(csv, { source: 'r.csv' });
    expect(d.interactions.map((x) => x.text)).toEqual(['good, really', 'said "meh"']);
    expect(d.interactions.map((x) => x.rating)).toEqual([4, 2]);
  });

  it('uses named columns and parses ISO dates', () => {
    const tsv = 'who\twhat\twhen\nA\tX\t2020-01-02\nA\tY\t2020-01-01\n';
    const d = parseDelimited(tsv, { source: 'r.tsv', columns: { user: 'who', item: 'what', time: 'when' } });
    expect(d.interactions.map((x) => d.items.id(x.item))).toEqual(['Y', 'X']);
  });

  it('names an unknown column and lists the header', () => {
    expect(() => parseDelimited('a,b\n1,2\n', { source: 'r.csv', columns: { user: 'uid', item: 'b' } })).toThrow(
      'r.csv:1 (column uid): unknown column for user (header has: a, b): "uid"',
    );
    expect(() => parseDelimited('a,b\n1,2\n', { source: 'r.csv' })).toThrow(/r\.csv:1: no user column/);
  });

  it('rejects an unterminated quote and an empty file', () => {
    expect(() => splitDelimitedLine('a,"b', ',', { source: 'r.csv', line: 3 })).toThrow('r.csv:3: unterminated quoted field');
    expect(() => parseDelimited('', { source: 'r.csv' })).toThrow('r.csv:1: file is empty');
  });

  it('round-trips through the CSV writer', () => {
    const csv = 'user_id,item_id,rating,review\nA,X,4,"good, really"\nB,X,1,bad\n';
    const d = parseDelimited(csv);
    expect(formatDelimited(d)).toBe(csv);
  });
});
