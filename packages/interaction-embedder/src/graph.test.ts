import { describe, expect, it } from 'vitest';
import { ConfigError, IdMap, MetaIdError, type Interaction, type Split } from '@meta-id/core';
import { ITEM, USER, buildInteractionGraph, degreeOf } from './graph.js';

// Hand-built: 3 users, 4 items. User 2 has no training interaction; item 3 only appears in validation.
const train: Interaction[] = [
  { user: 0, item: 0, rating: 5, time: 1 },
  { user: 0, item: 1, rating: 1, time: 2 },
  { user: 1, item: 1, rating: 4, time: 5 },
  { user: 1, item: 2, rating: 2, time: 3 },
  { user: 1, item: 0, rating: 3, time: 9 },
];
const split: Split = {
  kind: 'leave-one-out',
  numUsers: 3,
  numItems: 4,
  train,
  validation: [{ user: 0, item: 3 }],
  test: [{ user: 2, item: 3 }],
};

function neighboursOf(g: ReturnType<typeof buildInteractionGraph>, v: number): number[] {
  return Array.from(g.neighbours.subarray(g.offsets[v], g.offsets[v + 1]));
}

describe('buildInteractionGraph', () => {
  it('builds CSR arrays of the training interactions only', () => {
    const g = buildInteractionGraph(split);
    expect(g.numNodes).toBe(7);
    expect(g.numEdges).toBe(5);
    // Users 0..2, items 3..6; by hand: u0 → i0,i1; u1 → i1,i2,i0; u2 → none; i0 → u0,u1; i1 → u0,u1; i2 → u1; i3 → none.
    expect(Array.from(g.offsets)).toEqual([0, 2, 5, 5, 7, 9, 10, 10]);
    expect(neighboursOf(g, 0)).toEqual([3, 4]);
    expect(neighboursOf(g, 1)).toEqual([4, 5, 3]);
    expect(neighboursOf(g, 2)).toEqual([]);
    expect(neighboursOf(g, 3)).toEqual([0, 1]);
    expect(neighboursOf(g, 4)).toEqual([0, 1]);
    expect(neighboursOf(g, 5)).toEqual([1]);
    expect(neighboursOf(g, 6)).toEqual([]); // item 3 is only in validation/test: no edge leaks
    expect(Array.from(g.nodeType)).toEqual([USER, USER, USER, ITEM, ITEM, ITEM, ITEM]);
    expect(g.isolatedNodes).toBe(2);
    expect(degreeOf(g, 1)).toBe(3);
    expect(g.cumulativeWeights).toBeUndefined();
    expect(g.names).toEqual(['u:0', 'u:1', 'u:2', 'i:0', 'i:1', 'i:2', 'i:3']);
  });

  it('names nodes with entity keys from id maps', () => {
    const users = new IdMap(['alice', 'bob', 'carol']);
    const items = new IdMap(['B01', 'B02', 'B03', 'B04']);
    const g = buildInteractionGraph(split, { names: { users, items } });
    expect(g.names).toEqual(['u:alice', 'u:bob', 'u:carol', 'i:B01', 'i:B02', 'i:B03', 'i:B04']);
    expect(() => buildInteractionGraph(split, { names: { users: ['a'], items } })).toThrow(/names.users/);
  });

  it('keeps running sums of rating weights per node', () => {
    const g = buildInteractionGraph(split, { weighting: 'rating' });
    // u1's edges in order: i1 (4), i2 (2), i0 (3) → 4, 6, 9.
    expect(Array.from(g.cumulativeWeights!.subarray(g.offsets[1], g.offsets[2]))).toEqual([4, 6, 9]);
    // i0's edges: u0 (5), u1 (3) → 5, 8.
    expect(Array.from(g.cumulativeWeights!.subarray(g.offsets[3], g.offsets[4]))).toEqual([5, 8]);
  });

  it('weights recency by time within each user', () => {
    const g = buildInteractionGraph(split, { weighting: 'recency', recencyHalfLife: 1 });
    // u1 by time: i2 (t3), i1 (t5), i0 (t9) → weights 0.25, 0.5, 1; stored order i1, i2, i0 → 0.5, 0.75, 1.75.
    expect(Array.from(g.cumulativeWeights!.subarray(g.offsets[1], g.offsets[2]))).toEqual([0.5, 0.75, 1.75]);
  });

  it('rejects what cannot work, naming the problem', () => {
    const noRating: Split = { ...split, train: [{ user: 0, item: 0 }] };
    expect(() => buildInteractionGraph(noRating, { weighting: 'rating' })).toThrow(/rating undefined/);
    expect(() => buildInteractionGraph(split, { weighting: 'bogus' as never })).toThrow(ConfigError);
    expect(() => buildInteractionGraph(split, { weighting: 'recency', recencyHalfLife: 0 })).toThrow(/recencyHalfLife/);
    const bad: Split = { ...split, train: [{ user: 0, item: 9 }] };
    expect(() => buildInteractionGraph(bad)).toThrow(MetaIdError);
  });
});
