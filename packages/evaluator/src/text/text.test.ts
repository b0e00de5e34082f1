import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@meta-id/core';
import { tokenize } from './normalize.js';
import { bleu } from './bleu.js';
import { lcsLength, rouge, rougeL, rougeN } from './rouge.js';
import { textMetrics } from './text-metrics.js';
import { pythonUnavailable, runPython } from '../test-support/python.js';

describe('tokenize', () => {
  it('default: NFKC, lower-case, punctuation as tokens', () => {
    expect(tokenize('Great price,  works well!')).toEqual(['great', 'price', ',', 'works', 'well', '!']);
    expect(tokenize('ﬁne')).toEqual(['fine']); // NFKC folds the ligature
    expect(tokenize('  ')).toEqual([]);
    expect(tokenize('Keep It, as is', 'whitespace')).toEqual(['Keep', 'It,', 'as', 'is']);
  });
});

// Papineni et al. 2002 example 1 (also in NLTK's documentation), case kept.
const hyp = 'It is a guide to action which ensures that the military always obeys the commands of the party';
const refs = [
  'It is a guide to action that ensures that the military will forever heed Party commands',
  'It is the guiding principle which guarantees the military forces always being under the command of the Party',
  'It is the practical guide for the army always to heed the directions of the party',
];

describe('BLEU: hand-computed', () => {
  it('Papineni example: p1..p4 = 17/18, 10/17, 7/16, 4/15; BP = 1', () => {
    // |hyp| = 18; reference lengths 16, 18, 16 → closest is 18 → BP = 1.
    // p1: every unigram matches except "obeys"; "the" ×3 is clipped by ref 2 (4 × "the") → 17/18.
    // p2: It is, is a, a guide, guide to, to action, ensures that, that the, the military, of the, the party → 10/17
    // p3: It is a, is a guide, a guide to, guide to action, ensures that the, that the military, of the party → 7/16
    // p4: It is a guide, is a guide to, a guide to action, ensures that the military → 4/15
    // BLEU-4 = (17/18 · 10/17 · 7/16 · 4/15)^(1/4) = 0.0648148^(1/4) = 0.5045667
    const r = bleu([hyp], [refs], { normalization: 'whitespace' });
    expect(r.matches).toEqual([17, 10, 7, 4]);
    expect(r.totals).toEqual([18, 17, 16, 15]);
    expect(r.brevityPenalty).toBe(1);
    expect(r.scores['BLEU-1']).toBeCloseTo(17 / 18, 12);
    expect(r.scores['BLEU-2']).toBeCloseTo(Math.sqrt(10 / 18), 12);
    expect(r.scores['BLEU-4']).toBeCloseTo(0.5045666840058485, 12);
  });

  it('modified precision clips repeated words (Papineni: "the" ×7 → 2/7)', () => {
    const r = bleu(['the the the the the the the'], [['The cat is on the mat', 'There is a cat on the mat']]);
    expect(r.precisions[0]).toBeCloseTo(2 / 7, 12);
  });

  it('brevity penalty for a short candidate', () => {
    // c = 2, r = 6: BP = exp(1 − 6/2) = e^−2 = 0.1353353; p1 = p2 = 1 → BLEU-1 = BLEU-2 = e^−2.
    // No trigram in a 2-token candidate → p3 = 0 → BLEU-3 = 0 without smoothing.
    const r = bleu(['the cat'], ['the cat sat on the mat']);
    expect(r.brevityPenalty).toBeCloseTo(Math.exp(-2), 12);
    expect(r.scores['BLEU-2']).toBeCloseTo(Math.exp(-2), 12);
    expect(r.scores['BLEU-3']).toBe(0);
  });

  it('pools counts over the corpus (not a mean of sentence scores) and smooths as documented', () => {
    // cand "a b c d" / ref "a b c d" and cand "e f" / ref "e g":
    // p1 = (4 + 1)/(4 + 2) = 5/6, p2 = (3 + 0)/(3 + 1) = 3/4, c = r = 6 → BLEU-2 = sqrt(5/8) = 0.7905694
    const r = bleu(['a b c d', 'e f'], ['a b c d', 'e g'], { maxN: 2 });
    expect(r.scores['BLEU-2']).toBeCloseTo(Math.sqrt(5 / 8), 12);
    // "e f" alone: p1 = 1/2, p2 = 0/1.
    expect(bleu(['e f'], ['e g'], { maxN: 2 }).scores['BLEU-2']).toBe(0);
    // add-one (n ≥ 2): p2 = (0 + 1)/(1 + 1) = 1/2 → BLEU-2 = sqrt(1/2 · 1/2) = 0.5
    expect(bleu(['e f'], ['e g'], { maxN: 2, smoothing: 'add-one' }).scores['BLEU-2']).toBeCloseTo(0.5, 12);
    // epsilon: p2 = 0.1/1 → BLEU-2 = sqrt(0.5 · 0.1) = 0.2236068
    expect(bleu(['e f'], ['e g'], { maxN: 2, smoothing: 'epsilon' }).scores['BLEU-2']).toBeCloseTo(Math.sqrt(0.05), 12);
  });

  it('rejects mismatched input', () => {
    expect(() => bleu(['a'], [])).toThrow(ConfigError);
    expect(() => bleu(['a'], [[]])).toThrow(/no reference/);
    expect(() => bleu(['a'], ['a'], { smoothing: 'laplace' as never })).toThrow(ConfigError);
  });

  const why = pythonUnavailable(['nltk']);
  it.skipIf(why !== undefined)(`agrees with nltk corpus_bleu on random corpora${why ? ` (skipped: ${why})` : ''}`, () => {
    const rng = new Rng(21);
    const vocab = 'a b c d e f g h i j'.split(' ');
    // ≥ 4 tokens: NLTK counts a denominator of 1 for a sentence with no n-grams of an order (max(1, ·) per sentence),
    // which the standard corpus definition does not; keep every order present so both definitions coincide.
    const sentence = () => Array.from({ length: 4 + rng.int(12) }, () => rng.pick(vocab)).join(' ');
    const cands = Array.from({ length: 40 }, sentence);
    const references = cands.map(() => Array.from({ length: 1 + rng.int(3) }, sentence));
    const py = runPython<Record<string, number[]>>(
      `from nltk.translate.bleu_score import corpus_bleu, SmoothingFunction
import warnings
warnings.filterwarnings('ignore')
sf = SmoothingFunction()
hyps = [c.split() for c in data['cands']]
refs = [[r.split() for r in rs] for rs in data['refs']]
out = {}
for name, fn in [('none', sf.method0), ('add-one', sf.method2), ('epsilon', sf.method1)]:
    out[name] = [float(corpus_bleu(refs, hyps, weights=tuple([1.0 / n] * n), smoothing_function=fn)) for n in range(1, 5)]
print(json.dumps(out))`,
      { cands, refs: references },
    );
    for (const smoothing of ['none', 'add-one', 'epsilon'] as const) {
      const ours = bleu(cands, references, { smoothing, normalization: 'whitespace' });
      for (let n = 1; n <= 4; n++) expect(ours.scores[`BLEU-${n}`]).toBeCloseTo(py[smoothing][n - 1], 12);
    }
  });
});

describe('ROUGE: hand-computed', () => {
  it('ROUGE-1/2/L on a textbook pair', () => {
    // cand "the cat was found under the bed" (7), ref "the cat was under the bed" (6)
    // ROUGE-1: overlap the×2, cat, was, under, bed = 6 → P 6/7, R 6/6, F1 = 12/13
    // ROUGE-2: cand bigrams 6, ref bigrams 5, shared: the cat, cat was, under the, the bed = 4
    //          P 4/6, R 4/5, F1 = 2·(2/3)(4/5)/(2/3 + 4/5) = 8/11
    // ROUGE-L: LCS = "the cat was under the bed" = 6 → P 6/7, R 1, F1 12/13
    const r = rouge(['The cat was found under the bed.'], ['the cat was under the bed']);
    // default normalisation lower-cases and splits off "." → candidate has 8 tokens incl. "."
    const c = tokenize('The cat was found under the bed.');
    expect(c).toHaveLength(8);
    const plain = rouge(['the cat was found under the bed'], ['the cat was under the bed']).scores;
    expect(plain['ROUGE-1']).toBeCloseTo(12 / 13, 12);
    expect(plain['ROUGE-1-P']).toBeCloseTo(6 / 7, 12);
    expect(plain['ROUGE-1-R']).toBe(1);
    expect(plain['ROUGE-2']).toBeCloseTo(8 / 11, 12);
    expect(plain['ROUGE-2-P']).toBeCloseTo(4 / 6, 12);
    expect(plain['ROUGE-2-R']).toBeCloseTo(4 / 5, 12);
    expect(plain['ROUGE-L']).toBeCloseTo(12 / 13, 12);
    // With the ".": ROUGE-1 P = 6/8, R = 1 → F1 = 2·(3/4)/(7/4) = 6/7
    expect(r.scores['ROUGE-1']).toBeCloseTo(6 / 7, 12);
  });

  it('ROUGE-L on Lin (2004) §3.1: "police killed the gunman"', () => {
    const ref = 'police killed the gunman'.split(' ');
    // S2 "police kill the gunman": LCS "police the gunman" = 3 → P = R = F = 3/4
    expect(rougeL('police kill the gunman'.split(' '), ref).f1).toBeCloseTo(0.75, 12);
    // S3 "the gunman kill police": LCS "the gunman" = 2 → 2/4
    expect(rougeL('the gunman kill police'.split(' '), ref).f1).toBeCloseTo(0.5, 12);
  });

  it('ROUGE-N clips counts and several references take the best F1', () => {
    // "a a a" vs "a b": overlap min(3,1) = 1 → P 1/3, R 1/2, F1 = 2·(1/6)/(5/6) = 0.4
    expect(rougeN(['a', 'a', 'a'], ['a', 'b'], 1).f1).toBeCloseTo(0.4, 12);
    const r = rouge(['x y'], [['p q', 'x y']]);
    expect(r.scores['ROUGE-1']).toBe(1);
    expect(r.scores['ROUGE-L']).toBe(1);
  });

  it('LCS agrees with a plain recursive definition on random sequences', () => {
    const rng = new Rng(4);
    const rec = (a: string[], b: string[]): number => {
      const memo = new Map<string, number>();
      const go = (i: number, j: number): number => {
        if (i === a.length || j === b.length) return 0;
        const key = `${i},${j}`;
        if (memo.has(key)) return memo.get(key)!;
        const v = a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1));
        memo.set(key, v);
        return v;
      };
      return go(0, 0);
    };
    for (let t = 0; t < 200; t++) {
      const a = Array.from({ length: rng.int(12) }, () => rng.pick(['a', 'b', 'c', 'd']));
      const b = Array.from({ length: rng.int(12) }, () => rng.pick(['a', 'b', 'c', 'd']));
      expect(lcsLength(a, b)).toBe(rec(a, b));
    }
  });
});

describe('textMetrics', () => {
  it('combines BLEU and ROUGE into one report and states the normalisation', () => {
    const r = textMetrics(['the cat sat on the mat'], ['the cat sat on the mat']);
    expect(r.metrics['BLEU-4']).toBeCloseTo(1, 12);
    expect(r.metrics['ROUGE-L']).toBe(1);
    expect(r.meta?.normalization).toBe('default');
    expect(r.meta?.bleuSmoothing).toBe('none');
    expect(r.count).toBe(1);
  });
});
