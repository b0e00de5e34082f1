import { describe, expect, it } from 'vitest';
import { generateSyntheticDataset, leaveOneOutSplit, Rng, userSequences, type Split } from '@meta-id/core';
import { evaluationSources, PromptEncoder, promptTexts, TEMPLATES, trainingSources } from './prompts.js';
import { epochExamples } from './train.js';
import { categoryCodes, TestWordTokenizer } from './test-support/word-tokenizer.js';

const data = generateSyntheticDataset({ seed: 3, users: 80, items: 60, categories: 4, communities: 4, maxLength: 12 });
const split = leaveOneOutSplit(data);
const codes = categoryCodes(data.truth!.itemCategory);
const tokenizer = new TestWordTokenizer([...promptTexts(), ...data.users.ids.map((u) => `user_${u}`), 'this is awful poor okay good excellent serum'], codes.flat());

/** The split with its test part unreadable: any access throws. */
function withoutTest(s: Split): Split {
  return new Proxy(s, {
    get(target, key, receiver) {
      if (key === 'test') throw new Error('the test split was read');
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('templates', () => {
  it('has 10 training templates and one held-out template for sequential and direct', () => {
    for (const task of ['sequential', 'direct'] as const) {
      expect(TEMPLATES[task].train).toHaveLength(10);
      expect(new Set(TEMPLATES[task].train).size).toBe(10);
      expect(TEMPLATES[task].train).not.toContain(TEMPLATES[task].test);
    }
  });
});

describe('trainingSources', () => {
  it('never reads the test split, and no training or validation prompt mentions a test item', () => {
    const guarded = withoutTest(split);
    const sources = trainingSources(guarded, { tasks: ['sequential', 'direct', 'rating', 'explanation', 'review'] });
    const validation = evaluationSources(guarded, 'validation');
    const testItem = new Map(split.test.map((x) => [x.user, x.item]));
    for (const s of [...sources, ...validation]) {
      expect(s.item).not.toBe(testItem.get(s.user));
      for (const h of s.history ?? []) expect(h).not.toBe(testItem.get(s.user));
    }
    expect(() => evaluationSources(guarded, 'test')).toThrow(/test split was read/);
  });

  it('builds every prefix of each user training sequence, last N items kept', () => {
    const seqs = userSequences(split.train, split.numUsers);
    const sources = trainingSources(split, { tasks: ['sequential'], maxHistory: 3 });
    expect(sources).toHaveLength(seqs.reduce((n, s) => n + Math.max(0, s.length - 1), 0));
    const u = seqs.findIndex((s) => s.length >= 6);
    const mine = sources.filter((s) => s.user === u);
    expect(mine[0]).toMatchObject({ history: [seqs[u][0]], item: seqs[u][1] });
    expect(mine[4]).toMatchObject({ history: seqs[u].slice(2, 5), item: seqs[u][5] });
  });

  it('validation asks for the second-last item from training items; test for the last from train + validation', () => {
    const u = 5;
    const seq = userSequences(data.interactions, data.users.size)[u];
    const v = evaluationSources(split, 'validation', { maxHistory: 100 })[u];
    const t = evaluationSources(split, 'test', { maxHistory: 100 })[u];
    expect(v).toMatchObject({ user: u, item: seq[seq.length - 2], history: seq.slice(0, -2) });
    expect(t).toMatchObject({ user: u, item: seq[seq.length - 1], history: seq.slice(0, -1) });
  });
});

describe('PromptEncoder', () => {
  const encoder = new PromptEncoder({ tokenizer, itemCodes: codes, userIds: data.users.ids });

  it('writes history codes as whole tokens and ends the target with eos', () => {
    const ex = encoder.render({ task: 'sequential', user: 0, history: [1, 2], item: 3 }, 6);
    expect(ex.input).toBe(`user_${data.users.ids[0]} bought ${codes[1].join(' ')} , ${codes[2].join(' ')} . Recommend the next item .`);
    expect(ex.target).toBe(codes[3].join(' '));
    const enc = encoder.encode({ task: 'sequential', user: 0, history: [1, 2], item: 3 }, 6);
    expect(enc.target[enc.target.length - 1]).toBe(tokenizer.vocabulary.eosId);
  });

  it('writes users by their code when a user codebook is given', () => {
    const userCodes = data.users.ids.map((_, i) => [`<U${i}>`]);
    const tk = new TestWordTokenizer(promptTexts(), [...codes.flat(), ...userCodes.flat()]);
    const enc = new PromptEncoder({ tokenizer: tk, itemCodes: codes, userCodes });
    expect(enc.render({ task: 'direct', user: 7, item: 3 }, 0).input).toBe('What is the top recommended item for <U7> ?');
  });

  it('training epochs draw only training templates', () => {
    const sources = trainingSources(split, { tasks: ['sequential', 'direct'] });
    const examples = epochExamples(sources, encoder, new Rng(1));
    const used = new Set(examples.map((e) => e.template));
    expect([...used].some((t) => t.endsWith('-test'))).toBe(false);
    expect(used.size).toBe(20);
  });
});
