import { ConfigError, DataFormatError, Rng } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from './hf-tokenizer.js';
import { gpt2LikeTokenizer } from './test-support/fixtures.js';
import { AddedTokenMatcher } from './added-tokens.js';
import { forEachWord, WordLevelTokenizer } from './word-level.js';

const M = '\u2581';
const PROMPT = 'user_12 has interacted with items <CT3><1001> , <CT7><1004> . What is next ?';
const CODES = ['<CT3>', '<CT7>', '<1001>', '<1004>', '<CT38>', '<1049>'];

function promptTokenizer() {
  const tok = WordLevelTokenizer.fromTexts(['user_12 has interacted with items , . What is next ?', 'item_ x']);
  tok.addTokens(CODES);
  return tok;
}

describe('WordLevelTokenizer.fromTexts', () => {
  it('numbers specials, then ▁, then words by frequency (hand-computed)', () => {
    const tok = WordLevelTokenizer.fromTexts(['a b a', 'b a c']);
    // counts: ▁a 3, ▁b 2, ▁c 1
    expect(tok.vocabulary.tokens).toEqual(['<pad>', '</s>', '<unk>', M, `${M}a`, `${M}b`, `${M}c`]);
    expect(tok.vocabulary).toMatchObject({ padId: 0, eosId: 1, unkId: 2 });
    expect(WordLevelTokenizer.fromTexts(['a b a', 'b a c'], { minFrequency: 2 }).vocabulary.tokens).toEqual(['<pad>', '</s>', '<unk>', M, `${M}a`, `${M}b`]);
    // Equal counts: code-point order, whatever the input order.
    expect(WordLevelTokenizer.fromTexts(['z y x']).vocabulary.tokens.slice(4)).toEqual([`${M}x`, `${M}y`, `${M}z`]);
    expect(WordLevelTokenizer.fromTexts(['a b c d'], { maxWords: 2 }).vocabulary.tokens.slice(4)).toEqual([`${M}a`, `${M}b`]);
  });

  it('keeps given added tokens whole while counting words', () => {
    const tok = WordLevelTokenizer.fromTexts(['items <CT3><1001> , <CT3><1002>'], { addedTokens: ['<CT3>', '<1001>', '<1002>'] });
    // '▁items' and '▁,' both occur once: code-point order puts ',' (U+002C) first.
    expect(tok.vocabulary.tokens).toEqual(['<pad>', '</s>', '<unk>', M, `${M},`, `${M}items`, '<CT3>', '<1001>', '<1002>']);
    expect(tok.isAdded('<CT3>')).toBe(true);
    expect(tok.isAdded(`${M}items`)).toBe(false);
  });

  it('takes other special tokens and rejects bad options', () => {
    const tok = WordLevelTokenizer.fromTexts(['a'], { specialTokens: ['[PAD]', '[EOS]', '[UNK]', '[MASK]'] });
    expect(tok.vocabulary.tokens.slice(0, 5)).toEqual(['[PAD]', '[EOS]', '[UNK]', '[MASK]', M]);
    expect(tok.decode(tok.encode('a [MASK] a'))).toBe('a  a');
    expect(() => WordLevelTokenizer.fromTexts(['a'], { minFrequency: 0 })).toThrow(ConfigError);
    expect(() => WordLevelTokenizer.fromTexts(['a'], { specialTokens: ['<pad>', '</s>'] })).toThrow(/pad, eos and unk/);
    expect(() => WordLevelTokenizer.fromTexts(['a'], { addedTokens: [` <x>`] })).toThrow(/whitespace/);
    expect(() => WordLevelTokenizer.fromTexts(['a'], { addedTokens: [`<${M}>`] })).toThrow(ConfigError);
  });
});

describe('WordLevelTokenizer encode/decode', () => {
  it('encodes a prompt to the hand-derived tokens and decodes it back exactly', () => {
    const tok = promptTokenizer();
    expect(tok.tokenize(PROMPT)).toEqual([
      `${M}user_12`, `${M}has`, `${M}interacted`, `${M}with`, `${M}items`, M, '<CT3>', '<1001>',
      `${M},`, M, '<CT7>', '<1004>', `${M}.`, `${M}What`, `${M}is`, `${M}next`, `${M}?`,
    ]);
    expect(tok.decode(tok.encode(PROMPT))).toBe(PROMPT);
  });

  it('keeps a code glued to the word before it', () => {
    const tok = promptTokenizer();
    const ids = tok.encode('item_<CT38><1049>');
    expect(ids).toEqual([tok.tokenId(`${M}item_`), tok.tokenId('<CT38>'), tok.tokenId('<1049>')]);
    expect(tok.decode(ids)).toBe('item_<CT38><1049>');
    expect(tok.encode('<CT38><1049>')).toEqual([tok.tokenId('<CT38>'), tok.tokenId('<1049>')]);
    expect(tok.decode(tok.encode('<CT38><1049> x'))).toBe('<CT38><1049> x');
  });

  it('round-trips repeated spaces; documents the two texts it cannot round-trip', () => {
    const tok = promptTokenizer();
    expect(tok.decode(tok.encode('items  <CT3><1001>   ,'))).toBe('items  <CT3><1001>   ,');
    // A leading space is absorbed by the first word's ▁, as in SentencePiece.
    expect(tok.decode(tok.encode(' items'))).toBe('items');
    // Unknown words become <unk>, and <unk> is skipped when decoding.
    expect(tok.encode('items zebra')).toEqual([tok.tokenId(`${M}items`), tok.unkId]);
  });

  it('maps literal special-token text to the special id and skips specials when decoding', () => {
    const tok = promptTokenizer();
    expect(tok.encode('items </s>')).toEqual([tok.tokenId(`${M}items`), tok.tokenId(M), 1]);
    expect(tok.decode([0, tok.tokenId(`${M}items`)!, 1, 0])).toBe('items');
    expect(() => tok.decode([tok.size])).toThrow(RangeError);
    expect(tok.encode('')).toEqual([]);
    expect(tok.decode([])).toBe('');
  });

  it('agrees with tokenizers.js on its exported tokenizer.json (random texts)', () => {
    const tok = promptTokenizer();
    const hf = HfTokenizer.fromTokenizerJson(tok.toTokenizerJson());
    const rng = new Rng(11);
    const parts = ['user_12', 'has', 'items', ',', '.', '?', 'What', 'zebra', 'item_', ...CODES, '</s>', '<pad>'];
    const seps = [' ', ' ', ' ', '', '  '];
    for (let trial = 0; trial < 500; trial++) {
      let text = '';
      const n = rng.int(12);
      for (let i = 0; i < n; i++) text += (i > 0 ? rng.pick(seps) : '') + rng.pick(parts);
      expect(tok.encode(text), text).toEqual(hf.encode(text));
      const ids = tok.encode(text);
      expect(tok.decode(ids), text).toBe(hf.decode(ids));
    }
  });
});

describe('WordLevelTokenizer fast encode vs the plain reference', () => {
  it('agrees with split-then-lookup on random texts, tabs and literal ▁ included', () => {
    const tok = promptTokenizer();
    const vocab = tok.vocabulary.tokens;
    const matcher = new AddedTokenMatcher(vocab.filter((t) => tok.isAdded(t)));
    const reference = (text: string) => {
      const out: number[] = [];
      matcher.split(text).forEach((piece, p) => {
        if (piece.added) out.push(vocab.indexOf(piece.text));
        else forEachWord(piece.text, p === 0, (w) => out.push(vocab.indexOf(w) >= 0 && !tok.isAdded(w) ? vocab.indexOf(w) : tok.unkId));
      });
      return out;
    };
    const rng = new Rng(5);
    const parts = ['items', ',', 'has', 'q', M, '\t', ' ', '  ', ...CODES, '</s>', 'item_'];
    for (let trial = 0; trial < 1000; trial++) {
      let text = '';
      for (let i = rng.int(10); i > 0; i--) text += rng.pick(parts) + (rng.next() < 0.5 ? ' ' : '');
      expect(tok.encode(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });
});

describe('WordLevelTokenizer.addTokens', () => {
  it('appends new ids, keeps existing ones, and makes an existing word whole', () => {
    const tok = WordLevelTokenizer.fromTexts(['a <x>']);
    const before = tok.size;
    // '<x>' was counted as the word '▁<x>'; the bare '<x>' is new.
    expect(tok.addTokens(['<x>', '<y>', '<x>'])).toEqual([before, before + 1, before]);
    expect(() => tok.addTokens([''])).toThrow(ConfigError);
    expect(() => tok.addTokens([`${M}a`])).toThrow(ConfigError);
  });

  it('makes a word already in the vocabulary whole, keeping its id', () => {
    // 'z' right after an added token is counted without the ▁ mark.
    const tok = WordLevelTokenizer.fromTexts(['x <y>z'], { addedTokens: ['<y>'] });
    const z = tok.tokenId('z')!;
    expect(z).toBeLessThan(tok.tokenId('<y>')!);
    expect(tok.isAdded('z')).toBe(false);
    expect(tok.addTokens(['z'])).toEqual([z]);
    expect(tok.isAdded('z')).toBe(true);
    expect(tok.tokenize('xz')).toEqual([`${M}x`, 'z']);
    // Still in the model vocabulary of the exported file, and listed as an added token.
    const j = JSON.parse(tok.toTokenizerJson());
    expect(j.model.vocab.z).toBe(z);
    expect(j.added_tokens.some((a: { content: string; id: number }) => a.content === 'z' && a.id === z)).toBe(true);
    const hf = HfTokenizer.fromTokenizerJson(j);
    expect(hf.encode('xz')).toEqual(tok.encode('xz'));
  });

  it('clone() is independent', () => {
    const tok = WordLevelTokenizer.fromTexts(['a']);
    const copy = tok.clone();
    copy.addTokens(['<z>']);
    expect(tok.tokenId('<z>')).toBeUndefined();
    expect(copy.tokenId('<z>')).toBe(tok.size);
  });
});

describe('WordLevelTokenizer tokenizer.json', () => {
  it('follows the tokenizer.json schema', () => {
    const tok = promptTokenizer();
    const j = JSON.parse(tok.toTokenizerJson());
    expect(Object.keys(j).sort()).toEqual(['added_tokens', 'decoder', 'model', 'normalizer', 'padding', 'post_processor', 'pre_tokenizer', 'truncation', 'version']);
    expect(j.model.type).toBe('WordLevel');
    expect(j.model.unk_token).toBe('<unk>');
    const vocabIds = Object.values(j.model.vocab as Record<string, number>).sort((a, b) => a - b);
    expect(vocabIds).toEqual(vocabIds.map((_, i) => i));
    // Specials are in the model vocabulary and flagged special; codes follow the vocabulary contiguously.
    const added = j.added_tokens as Array<{ id: number; content: string; special: boolean; normalized: boolean; lstrip: boolean; rstrip: boolean; single_word: boolean }>;
    expect(added.slice(0, 3).map((a) => [a.id, a.content, a.special])).toEqual([[0, '<pad>', true], [1, '</s>', true], [2, '<unk>', true]]);
    expect(added.slice(3).map((a) => a.content)).toEqual(CODES);
    expect(added.slice(3).map((a) => a.id)).toEqual(CODES.map((_, i) => vocabIds.length + i));
    for (const a of added) expect([a.normalized, a.lstrip, a.rstrip, a.single_word]).toEqual([false, false, false, false]);
    expect(added.slice(3).every((a) => !a.special)).toBe(true);
    expect(j.post_processor.special_tokens['</s>'].ids).toEqual([1]);
  });

  it('loads back with identical behaviour', () => {
    const tok = promptTokenizer();
    const back = WordLevelTokenizer.fromTokenizerJson(tok.toTokenizerJson());
    expect(back.vocabulary).toEqual(tok.vocabulary);
    expect(back.encode(PROMPT)).toEqual(tok.encode(PROMPT));
    expect(back.toTokenizerJson()).toBe(tok.toTokenizerJson());
    expect(back.isAdded('<CT3>')).toBe(true);
  });

  it('refuses a file that is not its own layout, pointing to HfTokenizer', () => {
    expect(() => WordLevelTokenizer.fromTokenizerJson(gpt2LikeTokenizer())).toThrow(/HfTokenizer/);
    const j = JSON.parse(promptTokenizer().toTokenizerJson());
    j.pre_tokenizer = { type: 'Whitespace' };
    expect(() => WordLevelTokenizer.fromTokenizerJson(j)).toThrow(DataFormatError);
    const k = JSON.parse(promptTokenizer().toTokenizerJson());
    k.added_tokens[k.added_tokens.length - 1].id += 5;
    expect(() => WordLevelTokenizer.fromTokenizerJson(k)).toThrow(/contiguous/);
    expect(() => WordLevelTokenizer.fromTokenizerJson('{not json')).toThrow(/not valid JSON/);
  });
});
