import { ConfigError, Rng, type TokenCodebook } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { centroidInputs, growEmbeddings, randomProjection, stdOf, tokenVectors } from './embeddings.js';
import { extendTokenizer } from './extend.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { t5LikeTokenizer } from './test-support/fixtures.js';
import { syntheticCodebook } from './test-support/synthetic-codebook.js';
import { WordLevelTokenizer } from './word-level.js';

function randomBase(rows: number, dim: number, scale: number, seed = 3) {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * dim }, () => scale * rng.normal() + 0.25);
}

/** Bit-identical typed arrays (vitest's deep equality is slow on large arrays). */
function sameBits(a: Float32Array, b: Float32Array) {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function row(m: Float32Array, dim: number, r: number) {
  return Array.from(m.subarray(r * dim, (r + 1) * dim));
}

describe('growEmbeddings: mean and random', () => {
  it('mean: base rows untouched, new rows = column means (hand-computed)', () => {
    const base = new Float32Array([1, 2, 3, 5, 0, -4]); // 3 rows, dim 2
    const grown = growEmbeddings({ base, rows: 3, dim: 2, newTokens: ['<a>', '<b>'], init: 'mean' });
    expect(Array.from(grown)).toEqual([1, 2, 3, 5, 0, -4, 4 / 3, 1, 4 / 3, 1].map((x) => Math.fround(x)));
  });

  it('random: N(0, std of the base) and reproducible from the seed', () => {
    const dim = 32;
    const base = randomBase(500, dim, 3);
    const baseStd = stdOf(base);
    expect(baseStd).toBeGreaterThan(2.8);
    const n = 2000;
    const tokens = Array.from({ length: n }, (_, i) => `<${i}>`);
    const grown = growEmbeddings({ base, rows: 500, dim, newTokens: tokens, init: 'random', seed: 9 });
    expect(sameBits(grown.subarray(0, base.length), base)).toBe(true);
    const fresh = grown.subarray(base.length);
    let mean = 0;
    for (const x of fresh) mean += x;
    mean /= fresh.length;
    // 64,000 draws: the sample mean is within 4 standard errors of 0, the std within 2%.
    expect(Math.abs(mean)).toBeLessThan((4 * baseStd) / Math.sqrt(fresh.length));
    expect(stdOf(fresh) / baseStd).toBeGreaterThan(0.98);
    expect(stdOf(fresh) / baseStd).toBeLessThan(1.02);
    const again = growEmbeddings({ base, rows: 500, dim, newTokens: tokens, init: 'random', seed: 9 });
    expect(sameBits(again, grown)).toBe(true);
    const other = growEmbeddings({ base, rows: 500, dim, newTokens: tokens, init: 'random', seed: 10 });
    expect(sameBits(other, grown)).toBe(false);
    // An empty base needs an explicit std.
    expect(() => growEmbeddings({ base: new Float32Array(0), rows: 0, dim, newTokens: tokens, init: 'random' })).toThrow(/std/);
    expect(stdOf(growEmbeddings({ base: new Float32Array(0), rows: 0, dim, newTokens: tokens, init: 'random', std: 0.5 }))).toBeCloseTo(0.5, 1);
  });

  it('checks sizes and options', () => {
    const base = new Float32Array(6);
    expect(() => growEmbeddings({ base, rows: 2, dim: 2, newTokens: [], init: 'mean' })).toThrow(/rows \* dim = 4/);
    expect(() => growEmbeddings({ base, rows: 3, dim: 2, newTokens: ['a', 'a'], init: 'mean' })).toThrow(/duplicates/);
    expect(() => growEmbeddings({ base, rows: 3, dim: 2, newTokens: ['a'], init: 'centroid' })).toThrow(/codebook/);
    expect(() => growEmbeddings({ base, rows: 3, dim: 2, newTokens: ['a'], init: 'nope' as 'mean' })).toThrow(ConfigError);
  });
});

describe('growEmbeddings: centroid (representation augmentation start)', () => {
  const codebook = syntheticCodebook({ items: 300, users: 200, clusters: 10, dim: 8, seed: 5 });

  it('row k holds the centroid of the token with id k (codebook listed in shuffled order)', () => {
    const base = WordLevelTokenizer.fromTexts(['user_ has interacted with items , .']);
    const { tokenizer, newTokens } = extendTokenizer(base, codebook);
    // Deliberately hand the tokens over in a different order than the ids: the
    // tokenizer check must catch it.
    const rows = base.size;
    const dim = 8;
    const baseMatrix = randomBase(rows, dim, 1);
    expect(() =>
      growEmbeddings({ base: baseMatrix, rows, dim, newTokens: [...newTokens].reverse(), init: 'centroid', codebook, tokenizer, matchScale: false }),
    ).toThrow(/row \d+ would hold/);
    // The same codebook listed in yet another order: only the token names may link rows to centroids.
    const reordered = { ...codebook, tokens: new Rng(99).shuffle([...codebook.tokens]) };
    expect(reordered.tokens.map((t) => t.token)).not.toEqual(newTokens);
    const grown = growEmbeddings({ base: baseMatrix, rows, dim, newTokens, init: 'centroid', codebook: reordered, tokenizer, matchScale: false });
    expect(grown.length).toBe(tokenizer.size * dim);
    // Independent check: look every token up by id and compare with its centroid.
    const centroidOf = new Map(codebook.tokens.map((t) => [t.token, t.centroid!]));
    for (let id = rows; id < tokenizer.size; id++) {
      const token = tokenizer.vocabulary.tokens[id];
      expect(row(grown, dim, id)).toEqual(centroidOf.get(token)!.map((x) => Math.fround(x)));
    }
    expect(sameBits(grown.subarray(0, baseMatrix.length), baseMatrix)).toBe(true);
  });

  it('through a given projection: row = W c + b exactly', () => {
    const tok = extendTokenizer(HfTokenizer.fromTokenizerJson(t5LikeTokenizer()), codebook).tokenizer;
    const rows = 21;
    const dim = 5;
    const rng = new Rng(2);
    const projection = { weight: Float32Array.from({ length: dim * 8 }, () => rng.normal()), inDim: 8, outDim: dim, bias: Float32Array.from({ length: dim }, () => rng.normal()) };
    const newTokens = codebook.tokens.map((t) => t.token);
    const grown = growEmbeddings({ base: randomBase(rows, dim, 1), rows, dim, newTokens, init: 'centroid', codebook, projection, tokenizer: tok });
    for (const t of codebook.tokens) {
      const id = tok.tokenId(t.token)!;
      const c = Float32Array.from(t.centroid!);
      const want: number[] = [];
      for (let o = 0; o < dim; o++) {
        let s = projection.bias[o];
        for (let i = 0; i < 8; i++) s += projection.weight[o * 8 + i] * c[i];
        want.push(s);
      }
      row(grown, dim, id).forEach((x, o) => expect(x).toBeCloseTo(want[o], 5));
    }
  });

  it('default random projection, rescaled to the scale of the base rows', () => {
    const rows = 50;
    const dim = 16;
    const base = randomBase(rows, dim, 0.02);
    const newTokens = codebook.tokens.map((t) => t.token);
    const grown = growEmbeddings({ base, rows, dim, newTokens, init: 'centroid', codebook, seed: 4 });
    const fresh = grown.subarray(rows * dim);
    let ss = 0;
    for (const x of fresh) ss += x * x;
    expect(Math.sqrt(ss / fresh.length)).toBeCloseTo(stdOf(base), 6);
    // Rows are W c up to one common factor: same W from the same seed.
    const W = randomProjection(8, dim, new Rng(4));
    const unscaled = growEmbeddings({ base, rows, dim, newTokens, init: 'centroid', codebook, projection: W });
    const ratios = Array.from(fresh).map((x, i) => x / unscaled[rows * dim + i]);
    for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 3);
  });

  it('member mean when a token has no centroid; a clear error when nothing is known', () => {
    const cb: TokenCodebook = {
      scheme: 't',
      dim: 2,
      tokens: [
        { token: '<CT0>', level: 0, members: 2 },
        { token: '<1001>', level: 1, members: 1, centroid: [9, 9] },
        { token: '<1002>', level: 1, members: 1 },
      ],
      codes: { 'i:a': ['<CT0>', '<1001>'], 'i:b': ['<CT0>', '<1002>'] },
    };
    const entities = { ids: ['i:a', 'i:b'], dim: 2, vectors: new Float32Array([1, 2, 3, 6]) };
    const v = tokenVectors(cb, ['<CT0>', '<1001>', '<1002>'], { entities });
    expect(Array.from(v)).toEqual([2, 4, 9, 9, 3, 6]);
    expect(Array.from(tokenVectors(cb, ['<1001>'], { entities, source: 'member-mean' }))).toEqual([1, 2]);
    expect(() => tokenVectors(cb, ['<CT0>', '<1002>'])).toThrow(/<CT0>, <1002>/);
    expect(() => tokenVectors(cb, ['<CT0>'], { entities, source: 'centroid' })).toThrow(ConfigError);
    const grown = growEmbeddings({ base: new Float32Array([0, 0]), rows: 1, dim: 2, newTokens: ['<CT0>'], init: 'centroid', codebook: cb, entities, matchScale: false });
    expect(Array.from(grown)).toEqual([0, 0, 2, 4]);
  });
});

describe('centroidInputs', () => {
  it('pairs each centroid with the id of its own token, ids increasing', () => {
    const codebook = syntheticCodebook({ items: 100, users: 50, clusters: 6, dim: 3, seed: 8 });
    const { tokenizer } = extendTokenizer(WordLevelTokenizer.fromTexts(['a b']), codebook);
    const inputs = centroidInputs(tokenizer, { ...codebook, tokens: new Rng(5).shuffle([...codebook.tokens]) });
    expect(inputs.dim).toBe(3);
    expect(inputs.missingTokens).toEqual([]);
    expect(inputs.tokenIds.length).toBe(codebook.tokens.length);
    for (let i = 1; i < inputs.tokenIds.length; i++) expect(inputs.tokenIds[i]).toBeGreaterThan(inputs.tokenIds[i - 1]);
    const byToken = new Map(codebook.tokens.map((t) => [t.token, t.centroid!]));
    inputs.tokenIds.forEach((id, i) => {
      const token = tokenizer.vocabulary.tokens[id];
      expect(row(inputs.centroids, 3, i)).toEqual(byToken.get(token)!.map((x) => Math.fround(x)));
    });
  });

  it('gives empty inputs for a codebook of plain ids (no centroids, dim 0)', () => {
    const cb: TokenCodebook = { scheme: 'ids', dim: 0, tokens: [{ token: '<7>', level: 0, members: 1 }], codes: { 'i:x': ['<7>'] } };
    const { tokenizer } = extendTokenizer(WordLevelTokenizer.fromTexts(['a']), cb);
    const inputs = centroidInputs(tokenizer, cb);
    expect(inputs.tokenIds.length).toBe(0);
    expect(inputs.centroids.length).toBe(0);
    expect(inputs.missingTokens).toEqual(['<7>']);
  });

  it('lists tokens without a centroid, and refuses a tokenizer that lacks the tokens', () => {
    const cb: TokenCodebook = {
      scheme: 't',
      dim: 1,
      tokens: [
        { token: '<a>', level: 0, members: 1, centroid: [1] },
        { token: '<b>', level: 1, members: 1 },
      ],
      codes: { 'i:x': ['<a>', '<b>'] },
    };
    const base = WordLevelTokenizer.fromTexts(['a']);
    expect(() => centroidInputs(base, cb)).toThrow(/extendTokenizer/);
    const { tokenizer } = extendTokenizer(base, cb);
    const inputs = centroidInputs(tokenizer, cb);
    expect(Array.from(inputs.tokenIds)).toEqual([tokenizer.tokenId('<a>')]);
    expect(inputs.missingTokens).toEqual(['<b>']);
  });
});
