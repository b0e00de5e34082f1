import { describe, expect, it } from 'vitest';
import { Rng } from './random.js';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const c = new Rng(2);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('matches the xoshiro128** recurrence computed independently with BigInt', () => {
    const r = new Rng(123);
    let [s0, s1, s2, s3] = r.getState().map(BigInt);
    const M = 0xffffffffn;
    const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
    for (let i = 0; i < 20; i++) {
      const expected = (rotl((s1 * 5n) & M, 7n) * 9n) & M;
      const t = (s1 << 9n) & M;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11n);
      expect(r.nextUint32()).toBe(Number(expected));
    }
  });

  it('has the right mean and variance for uniform and normal draws', () => {
    const r = new Rng(7);
    const n = 200_000;
    let su = 0, sn = 0, sn2 = 0;
    for (let i = 0; i < n; i++) {
      su += r.next();
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });

  it('weighted() follows the weights; getState/setState resume exactly', () => {
    const r = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[r.weighted([1, 2, 3])]++;
    expect(counts[0] / 60_000).toBeCloseTo(1 / 6, 1);
    expect(counts[2] / 60_000).toBeCloseTo(3 / 6, 1);
    const state = r.getState();
    const ahead = [r.next(), r.next()];
    r.setState(state);
    expect([r.next(), r.next()]).toEqual(ahead);
  });

  it('shuffle is a permutation', () => {
    const xs = new Rng(9).shuffle(Array.from({ length: 100 }, (_, i) => i));
    expect([...xs].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(xs).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
