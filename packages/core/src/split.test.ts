import { describe, expect, it } from 'vitest';
import { parseP5Sequential } from './formats/p5.js';
import { leaveOneOutSplit, ratioSplit } from './split.js';
import { generateSyntheticDataset } from './synthetic.js';

describe('leaveOneOutSplit', () => {
  it('matches a hand-computed split', () => {
    // user 1: items 10 11 12 13 → train 10 11, validation 12, test 13
    // user 2: items 20 21 22     → train 20, validation 21, test 22
    const d = parseP5Sequential('1 10 11 12 13\n2 20 21 22\n');
    const s = leaveOneOutSplit(d);
    const name = (xs: { user: number; item: number }[]) => xs.map((x) => `${d.users.id(x.user)}:${d.items.id(x.item)}`);
    expect(name(s.train)).toEqual(['1:10', '1:11', '2:20']);
    expect(name(s.validation)).toEqual(['1:12', '2:21']);
    expect(name(s.test)).toEqual(['1:13', '2:22']);
    expect(s.droppedUsers).toBe(0);
  });

  it('refuses users with fewer than 3 interactions unless asked to drop them, and counts them', () => {
    const d = parseP5Sequential('1 10 11\n2 20 21 22\n');
    expect(() => leaveOneOutSplit(d)).toThrow('user "1" has 2');
    const s = leaveOneOutSplit(d, { dropShortUsers: true });
    expect(s.droppedUsers).toBe(1);
    expect(s.test.length).toBe(1);
  });
});

describe('ratioSplit', () => {
  it('keeps every user and item in training and is deterministic', () => {
    const d = generateSyntheticDataset({ users: 200, items: 80, seed: 3 });
    const a = ratioSplit(d, { seed: 9 });
    const b = ratioSplit(d, { seed: 9 });
    expect(a).toEqual(b);
    const n = d.interactions.length;
    expect(a.train.length + a.validation.length + a.test.length).toBe(n);
    expect(Math.abs(a.validation.length - 0.1 * n)).toBeLessThanOrEqual(1);
    const trainUsers = new Set(a.train.map((x) => x.user));
    const trainItems = new Set(a.train.map((x) => x.item));
    for (const x of [...a.validation, ...a.test]) {
      expect(trainUsers.has(x.user)).toBe(true);
      expect(trainItems.has(x.item)).toBe(true);
    }
  });

  it('rejects ratios that do not sum to 1', () => {
    const d = generateSyntheticDataset({ users: 10, items: 40 });
    expect(() => ratioSplit(d, { ratios: [0.5, 0.1, 0.1] })).toThrow('option ratios');
  });
});
