import { ConfigError, DataFormatError } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { HfTokenizer } from './hf-tokenizer.js';
import { bertLikeTokenizer, gpt2LikeTokenizer, t5LikeTokenizer } from './test-support/fixtures.js';
import { WordLevelTokenizer } from './word-level.js';

const M = '\u2581';
const G = '\u0120'; // GPT-2's byte-level symbol for a space
const CODES = ['<CT3>', '<CT7>', '<1001>', '<1004>', '<CT38>', '<1049>'];

describe('HfTokenizer: SentencePiece/Unigram (t5-small layout)', () => {
  it('tokenises as worked out by hand from the piece scores', () => {
    const tok = HfTokenizer.fromTokenizerJson(JSON.stringify(t5LikeTokenizer()));
    // ▁items (-6) beats ▁item + s (-7.5); ▁user + _ + 12 (-11) beats ▁user + _ + 1 + 2 (-14).
    expect(tok.tokenize('user_12 has items')).toEqual([`${M}user`, '_', '12', `${M}has`, `${M}items`]);
    expect(tok.encode('user_12 has items')).toEqual([4, 5, 8, 9, 12]);
    expect(tok.decode([4, 5, 8, 9, 12, 1, 0])).toBe('user_12 has items');
    expect(tok.vocabulary).toMatchObject({ padId: 0, eosId: 1, unkId: 2 });
    expect(tok.size).toBe(21); // 20 pieces + <extra_id_0>
  });

  it('takes codes as whole tokens after the largest id, like tokenizer.add_tokens', () => {
    const tok = HfTokenizer.fromTokenizerJson(t5LikeTokenizer());
    const ids = tok.addTokens(CODES);
    expect(ids).toEqual([21, 22, 23, 24, 25, 26]);
    expect(tok.tokenize('user_12 has items <CT3><1001> , <CT7><1004> .')).toEqual([
      `${M}user`, '_', '12', `${M}has`, `${M}items`, '<CT3>', '<1001>', `${M},`, '<CT7>', '<1004>', M, '.',
    ]);
    expect(tok.encode('<CT38><1049>')).toEqual([25, 26]);
    expect(tok.decode([25, 26])).toBe('<CT38><1049>');
    expect(tok.decode(tok.encode('item_<CT38><1049>'))).toBe('item_<CT38><1049>');
    // T5's WhitespaceSplit drops the space before an added token (as in Rust tokenizers).
    expect(tok.decode(tok.encode('user_12 has items <CT3><1001> , <CT7><1004> .'))).toBe('user_12 has items<CT3><1001> ,<CT7><1004> .');
    const j = JSON.parse(tok.toTokenizerJson());
    expect(j.added_tokens.slice(-6)).toEqual(
      CODES.map((content, i) => ({ id: 21 + i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: false })),
    );
    // The extended file loads the same way.
    expect(HfTokenizer.fromTokenizerJson(j).encode('items <CT3><1001>')).toEqual(tok.encode('items <CT3><1001>'));
  });
});

describe('HfTokenizer: byte-level BPE (GPT-2 layout)', () => {
  it('tokenises as worked out by hand from the merges', () => {
    const tok = HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer(), { padToken: '<|endoftext|>' });
    // ' there' -> Ġ t h e r e -> (Ġ t) -> (Ġt h) -> (e r) -> (Ġth er) -> Ġther e
    expect(tok.tokenize('hi there')).toEqual(['hi', `${G}ther`, 'e']);
    expect(tok.encode('hi there')).toEqual([256, 260, 'e'.charCodeAt(0)]);
    expect(tok.decode(tok.encode('hi there'))).toBe('hi there');
    expect(tok.vocabulary).toMatchObject({ padId: 261, eosId: 261, unkId: -1 });
  });

  it('keeps codes whole and round-trips spaces around them', () => {
    const tok = HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer(), { padToken: '<|endoftext|>' });
    expect(tok.addTokens(CODES)).toEqual([262, 263, 264, 265, 266, 267]);
    expect(tok.tokenize('hi <CT3><1001> there')).toEqual(['hi', G, '<CT3>', '<1001>', `${G}ther`, 'e']);
    for (const text of ['hi <CT3><1001> there', 'item_<CT38><1049>', '<CT7><1004>', 'hi  <CT3>, <CT7>.']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('says which option to set when it cannot find a pad token', () => {
    expect(() => HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer())).toThrow(ConfigError);
    expect(() => HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer())).toThrow(/padToken/);
    // tokenizer_config.json can name it too.
    expect(HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer(), { config: { pad_token: { content: '<|endoftext|>' } } }).vocabulary.padId).toBe(261);
  });
});

describe('HfTokenizer: WordPiece (bert-base-uncased layout)', () => {
  it('tokenises as worked out by hand', () => {
    const tok = HfTokenizer.fromTokenizerJson(bertLikeTokenizer());
    // lowercased; '_' and ',' are punctuation and stand alone; items = item + ##s
    expect(tok.tokenize('User_12 has items ,')).toEqual(['user', '_', '12', 'has', 'item', '##s', ',']);
    expect(tok.tokenize('playing zzz')).toEqual(['play', '##ing', '[UNK]']);
    expect(tok.vocabulary).toMatchObject({ padId: 0, eosId: 3, unkId: 1 });
    expect(tok.decode(tok.encode('user has items .'))).toBe('user has items.');
  });

  it('keeps codes whole and unlowercased', () => {
    const tok = HfTokenizer.fromTokenizerJson(bertLikeTokenizer());
    tok.addTokens(CODES);
    expect(tok.tokenize('items <CT3><1001> , <CT38><1049>')).toEqual(['item', '##s', '<CT3>', '<1001>', ',', '<CT38>', '<1049>']);
    // BERT's WordPiece decoder joins tokens with spaces, so the code text comes back spaced.
    expect(tok.decode(tok.encode('<CT38><1049>'))).toBe('<CT38> <1049>');
  });
});

describe('HfTokenizer: WordLevel (this package\'s tokenizer.json)', () => {
  it('reads the word-level file and agrees with WordLevelTokenizer', () => {
    const wl = WordLevelTokenizer.fromTexts(['user_12 has items , .']);
    wl.addTokens(CODES);
    const hf = HfTokenizer.fromTokenizerJson(wl.toTokenizerJson());
    const text = 'user_12 has items <CT3><1001> , <CT7><1004> .';
    expect(hf.encode(text)).toEqual(wl.encode(text));
    expect(hf.decode(hf.encode(text))).toBe(text);
    expect(hf.vocabulary).toEqual(wl.vocabulary);
    expect(hf.tokenizerConfig()).toMatchObject({ pad_token: '<pad>', eos_token: '</s>', unk_token: '<unk>', clean_up_tokenization_spaces: false });
  });
});

describe('HfTokenizer errors and copies', () => {
  it('reports malformed files with the source', () => {
    expect(() => HfTokenizer.fromTokenizerJson('{')).toThrow(DataFormatError);
    expect(() => HfTokenizer.fromTokenizerJson({ added_tokens: [] }, { source: 'x/tokenizer.json' })).toThrow(/x\/tokenizer.json.*model/);
    const bad = t5LikeTokenizer() as unknown as { model: Record<string, unknown> };
    bad.model = { type: 'Nonsense' };
    expect(() => HfTokenizer.fromTokenizerJson(bad)).toThrow(/cannot load/);
  });

  it('clone() is independent; decode checks ids', () => {
    const tok = HfTokenizer.fromTokenizerJson(t5LikeTokenizer());
    const copy = tok.clone();
    copy.addTokens(['<CT0>']);
    expect(tok.tokenId('<CT0>')).toBeUndefined();
    expect(copy.tokenId('<CT0>')).toBe(21);
    expect(() => tok.decode([99])).toThrow(RangeError);
    expect(tok.decode([])).toBe('');
    expect(tok.encode('')).toEqual([]);
  });
});
