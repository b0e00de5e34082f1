import { describe, expect, it } from 'vitest';
import { parseDatamaps, parseUserSequence, formatUserSequence, formatDatamaps } from './openp5.js';
import { parseP5Sequential, formatP5Sequential } from './p5.js';

const datamaps = JSON.stringify({
  user2id: { A9: '2', A1: '1' },
  item2id: { B3: '3', B1: '1', B2: '2' },
  id2user: {},
  id2item: {},
});

describe('OpenP5 user_sequence.txt + datamaps.json', () => {
  it('indexes users and items by their P5 integer ids', () => {
    const maps = parseDatamaps(datamaps);
    const d = parseUserSequence('A1 B2 B3\nA9 B1 B2\n', { datamaps: maps });
    expect(d.users.ids).toEqual(['A1', 'A9']);
    expect(d.items.ids).toEqual(['B1', 'B2', 'B3']);
    // A1 -> user 0, B2 -> item 1 (P5 id 2), B3 -> item 2.
    expect(d.interactions.map((x) => [x.user, x.item])).toEqual([
      [0, 1], [0, 2], [1, 0], [1, 1],
    ]);
  });

  it('gives the same dataset as sequential_data.txt mapped through datamaps', () => {
    const maps = parseDatamaps(datamaps);
    const raw = parseUserSequence('A1 B2 B3\nA9 B1 B2\n', { datamaps: maps });
    const ints = parseP5Sequential('1 2 3\n2 1 2\n');
    expect(raw.interactions.map((x) => `${x.user + 1}:${x.item + 1}`)).toEqual(
      ints.interactions.map((x) => `${ints.users.id(x.user)}:${ints.items.id(x.item)}`),
    );
  });

  it('rejects an id outside the datamaps, naming line and column', () => {
    const maps = parseDatamaps(datamaps);
    expect(() => parseUserSequence('A1 B2\nA9 B7\n', { datamaps: maps, source: 'us.txt' })).toThrow(
      'us.txt:2 (column 2): item id not in the id map: "B7"',
    );
  });

  it('rejects datamaps with non-dense ids or bad JSON', () => {
    expect(() => parseDatamaps('{"user2id": {"a": "1", "b": "3"}, "item2id": {}}', 'dm.json')).toThrow(
      'dm.json (column user2id.b): ids are not dense 1..2 (expected 2): "3"',
    );
    expect(() => parseDatamaps('{nope', 'dm.json')).toThrow(/dm.json: not valid JSON/);
    expect(() => parseDatamaps('{}', 'dm.json')).toThrow('dm.json (column user2id): missing object field');
  });

  it('numbers by first appearance without datamaps; writers round-trip', () => {
    const d = parseUserSequence('U7 X Y\nU3 Y Z\n');
    expect(d.items.ids).toEqual(['X', 'Y', 'Z']);
    expect(formatUserSequence(d)).toBe('U7 X Y\nU3 Y Z\n');
    expect(formatP5Sequential(d)).toBe('1 1 2\n2 2 3\n');
    const maps = parseDatamaps(formatDatamaps(d));
    expect(maps.users.ids).toEqual(['U7', 'U3']);
  });
});
