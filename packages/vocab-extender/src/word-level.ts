/**
 * A word-level tokenizer for models trained from scratch (the META ID paper
 * fine-tunes T5-small's SentencePiece vocabulary instead; here a model is
 * trained from scratch on the prompt templates and the data, so a closed
 * word vocabulary is smaller and every template word is one token).
 *
 * It is exactly the Hugging Face tokenizer described by {@link
 * WordLevelTokenizer.toTokenizerJson}: a `WordLevel` model behind a
 * Metaspace-style pre-tokenizer, so Rust `tokenizers`, transformers'
 * `PreTrainedTokenizerFast` and tokenizers.js give the same ids (tests check
 * this class against tokenizers.js on the exported file).
 *
 * Why Metaspace: decoding must give back the exact prompt text, including
 * whether an entity code touches the word before it (`item_<CT38><1049>`) or
 * follows a space (`items <CT3><1001>`). Spaces are kept as the `▁` mark at the
 * start of the following word, and a space right before a whole token becomes
 * the lone token `▁`, as in SentencePiece. A plain whitespace split would have
 * to guess where spaces were.
 *
 * Round trip: `decode(encode(t)) === t` for every text `t` whose words are in
 * the vocabulary, that does not start with a space and has no literal `▁`.
 * Other whitespace (tabs, newlines) stays inside words.
 */
import { ConfigError, DataFormatError, type TextTokenizer, type Vocabulary } from '@meta-id/core';
import { AddedTokenMatcher } from './added-tokens.js';
import { addedTokenEntry, METASPACE, parseTokenizerJson, type AddedTokenJson, type TokenizerJson } from './tokenizer-json.js';

/** Options of {@link WordLevelTokenizer.fromTexts}. */
export interface WordLevelOptions {
  /** Words seen fewer times than this are left out (they encode to `<unk>`). Default 1. */
  minFrequency?: number;
  /**
   * Special tokens in id order, starting at id 0. The first three play the
   * roles pad, end-of-sequence and unknown. Default `['<pad>', '</s>', '<unk>']`
   * (T5's ids 0, 1, 2).
   */
  specialTokens?: string[];
  /**
   * Whole tokens that may already appear in the texts (e.g. entity codes) and
   * must never be split; they get ids after the words. Default none.
   */
  addedTokens?: string[];
  /** Keep at most this many words (most frequent first), specials excluded. Default unlimited. */
  maxWords?: number;
}

/** Options of {@link WordLevelTokenizer.fromTokenizerJson}: override the special-token roles. */
export interface SpecialRoleOptions {
  /** Default: the special added token with the lowest id that is neither eos nor unk. */
  padToken?: string;
  /** Default: the special token the post-processor appends to a single sequence. */
  eosToken?: string;
  /** Default: the model's `unk_token`. */
  unkToken?: string;
}

const SPACE = 0x20;
const MARK = 0x2581;
const DEFAULT_SPECIALS = ['<pad>', '</s>', '<unk>'];

/** The pre-tokenizer written into tokenizer.json (see the class comment). */
export const WORD_LEVEL_PRE_TOKENIZER = {
  type: 'Sequence',
  pretokenizers: [
    { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'first', split: true },
    // Rust's Metaspace already splits before each ▁; tokenizers.js 0.2 does not,
    // so the same split is spelled out once more (a no-op for Rust).
    { type: 'Split', pattern: { Regex: `${METASPACE}[^${METASPACE}]*|[^${METASPACE}]+` }, behavior: 'Isolated', invert: false },
  ],
};

/** The decoder written into tokenizer.json. */
export const WORD_LEVEL_DECODER = { type: 'Metaspace', replacement: METASPACE, prepend_scheme: 'first', split: true };

interface State {
  tokens: string[];
  modelSize: number;
  special: Set<number>;
  added: number[];
  padId: number;
  eosId: number;
  unkId: number;
}

/**
 * Word-level tokenizer with whole added tokens (entity codes) and an exact
 * encode/decode round trip for prompt texts.
 *
 * @example
 * ```ts
 * import { WordLevelTokenizer } from '@meta-id/vocab-extender';
 * const tok = WordLevelTokenizer.fromTexts(['user_1 has interacted with items , . What is next ?']);
 * tok.addTokens(['<CT3>', '<1001>']);
 * const ids = tok.encode('items <CT3><1001> , .');
 * tok.decode(ids); // 'items <CT3><1001> , .'
 * ```
 */
export class WordLevelTokenizer implements TextTokenizer {
  private tokens: string[];
  private ids: Map<string, number>;
  /** Tokens [0, modelSize) are the WordLevel model's vocabulary; later ids exist only as added tokens. */
  private modelSize: number;
  private special: Set<number>;
  /** Ids of added tokens (specials and whole tokens), in the order they were added. */
  private added: number[];
  private addedSet: Set<number>;
  private matcher: AddedTokenMatcher;
  /** Model-vocabulary words `▁w`, keyed by `w` (so encoding slices once and never concatenates). */
  private marked: Map<string, number>;
  /** Model-vocabulary words without the mark, keyed by themselves. */
  private bare: Map<string, number>;
  /** Decoded text of each id as the first token of the output, and elsewhere (the Metaspace decoder, precomputed). */
  private decodeFirst: string[];
  private decodeRest: string[];
  private vocab: Vocabulary | undefined;
  readonly padId: number;
  readonly eosId: number;
  readonly unkId: number;

  private constructor(s: State) {
    this.tokens = s.tokens;
    this.modelSize = s.modelSize;
    this.special = s.special;
    this.added = s.added;
    this.addedSet = new Set(s.added);
    this.padId = s.padId;
    this.eosId = s.eosId;
    this.unkId = s.unkId;
    this.ids = new Map();
    s.tokens.forEach((t, i) => {
      if (!this.ids.has(t)) this.ids.set(t, i);
    });
    this.matcher = new AddedTokenMatcher();
    for (const i of s.added) this.matcher.add(s.tokens[i], i);
    this.marked = new Map();
    this.bare = new Map();
    for (let i = 0; i < s.modelSize; i++) this.indexWord(i);
    this.decodeFirst = [];
    this.decodeRest = [];
    for (let i = 0; i < s.tokens.length; i++) this.indexDecode(i);
  }

  /**
   * Builds the vocabulary from texts (prompt templates rendered on the data).
   * Ids: the special tokens, then `▁` (needed before a code that follows a
   * space), then words by decreasing frequency (ties in code-point order), then
   * `addedTokens`.
   * @throws ConfigError on bad options.
   */
  static fromTexts(texts: Iterable<string>, options: WordLevelOptions = {}): WordLevelTokenizer {
    const minFrequency = options.minFrequency ?? 1;
    if (!Number.isInteger(minFrequency) || minFrequency < 1) {
      throw new ConfigError('minFrequency', 'must be an integer >= 1', minFrequency);
    }
    const specials = options.specialTokens ?? DEFAULT_SPECIALS;
    if (specials.length < 3) throw new ConfigError('specialTokens', 'needs at least pad, eos and unk', specials);
    if (new Set(specials).size !== specials.length) throw new ConfigError('specialTokens', 'has duplicates', specials);
    specials.forEach((t) => checkTokenSpelling(t, 'specialTokens'));
    const addedTokens = options.addedTokens ?? [];
    addedTokens.forEach((t) => checkTokenSpelling(t, 'addedTokens'));
    const maxWords = options.maxWords ?? Infinity;
    if (!(maxWords >= 0)) throw new ConfigError('maxWords', 'must be >= 0', maxWords);

    const matcher = new AddedTokenMatcher([...specials, ...addedTokens]);
    const counts = new Map<string, number>();
    for (const text of texts) {
      if (typeof text !== 'string') throw new ConfigError('texts', 'every text must be a string', text);
      const pieces = matcher.split(text);
      for (let p = 0; p < pieces.length; p++) {
        if (pieces[p].added) continue;
        forEachWord(pieces[p].text, p === 0, (w) => counts.set(w, (counts.get(w) ?? 0) + 1));
      }
    }
    const tokens = [...specials];
    const seen = new Set(tokens);
    if (!seen.has(METASPACE)) {
      tokens.push(METASPACE);
      seen.add(METASPACE);
    }
    const words = [...counts]
      .filter(([w, c]) => c >= minFrequency && !seen.has(w))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [w] of words.slice(0, maxWords === Infinity ? undefined : maxWords)) tokens.push(w);
    const tok = new WordLevelTokenizer({
      tokens,
      modelSize: tokens.length,
      special: new Set(specials.map((_, i) => i)),
      added: specials.map((_, i) => i),
      padId: 0,
      eosId: 1,
      unkId: 2,
    });
    if (addedTokens.length > 0) tok.addTokens(addedTokens);
    return tok;
  }

  /**
   * Loads a tokenizer.json written by {@link toTokenizerJson} (a `WordLevel`
   * model with this class's pre-tokenizer and decoder). Any other
   * tokenizer.json loads through `HfTokenizer`.
   * @throws DataFormatError naming the part of the file that does not fit.
   */
  static fromTokenizerJson(json: string | object, options: SpecialRoleOptions = {}, source = 'tokenizer.json'): WordLevelTokenizer {
    const t = parseTokenizerJson(json, source);
    const model = t.model;
    if (model.type !== 'WordLevel') {
      throw new DataFormatError({ source, column: 'model.type' }, 'not a WordLevel model (load it with HfTokenizer)', model.type);
    }
    if (t.normalizer !== null) {
      throw new DataFormatError({ source, column: 'normalizer' }, 'WordLevelTokenizer has no normalizer (load this file with HfTokenizer)', t.normalizer);
    }
    if (!sameJson(t.pre_tokenizer, WORD_LEVEL_PRE_TOKENIZER)) {
      throw new DataFormatError({ source, column: 'pre_tokenizer' }, 'not the WordLevelTokenizer pre-tokenizer (load this file with HfTokenizer)', t.pre_tokenizer);
    }
    if (!sameJson(t.decoder, WORD_LEVEL_DECODER)) {
      throw new DataFormatError({ source, column: 'decoder' }, 'not the WordLevelTokenizer decoder (load this file with HfTokenizer)', t.decoder);
    }
    const vocab = model.vocab;
    if (vocab === null || typeof vocab !== 'object' || Array.isArray(vocab)) {
      throw new DataFormatError({ source, column: 'model.vocab' }, 'must be an object token -> id');
    }
    const entries = Object.entries(vocab as Record<string, unknown>);
    const tokens: string[] = new Array(entries.length);
    for (const [tok, id] of entries) {
      if (!Number.isInteger(id) || (id as number) < 0 || (id as number) >= entries.length || tokens[id as number] !== undefined) {
        throw new DataFormatError({ source, column: 'model.vocab' }, `ids must be 0..${entries.length - 1}, each once; bad id for token ${JSON.stringify(tok)}`, id);
      }
      tokens[id as number] = tok;
    }
    const modelSize = tokens.length;
    const special = new Set<number>();
    const added: number[] = [];
    const sorted = [...t.added_tokens].sort((a, b) => a.id - b.id);
    for (const a of sorted) {
      if (a.id < modelSize) {
        if (tokens[a.id] !== a.content) {
          throw new DataFormatError({ source, column: 'added_tokens' }, `added token id ${a.id} is ${JSON.stringify(tokens[a.id])} in model.vocab`, a.content);
        }
      } else if (a.id === tokens.length) {
        tokens.push(a.content);
      } else {
        throw new DataFormatError({ source, column: 'added_tokens' }, `added token ids past the model vocabulary must be contiguous from ${modelSize}; expected ${tokens.length}`, a);
      }
      if (a.content.includes(METASPACE)) {
        throw new DataFormatError({ source, column: 'added_tokens' }, `an added token must not contain ${METASPACE}`, a.content);
      }
      added.push(a.id);
      if (a.special) special.add(a.id);
    }
    const idOf = (role: string, tok: string | null | undefined): number => {
      const i = tok == null ? -1 : tokens.indexOf(tok);
      if (i < 0) throw new DataFormatError({ source }, `cannot find the ${role} token (pass ${role}Token)`, tok);
      return i;
    };
    const unkId = idOf('unk', options.unkToken ?? model.unk_token);
    const eosId = idOf('eos', options.eosToken ?? appendedSpecial(t.post_processor));
    const padDefault = [...special].sort((a, b) => a - b).find((i) => i !== eosId && i !== unkId);
    const padId = idOf('pad', options.padToken ?? (padDefault === undefined ? undefined : tokens[padDefault]));
    return new WordLevelTokenizer({ tokens, modelSize, special, added, padId, eosId, unkId });
  }

  /** Ids, the token list and the special-token roles. Recomputed after {@link addTokens}. */
  get vocabulary(): Vocabulary {
    this.vocab ??= { tokens: this.tokens.slice(), padId: this.padId, eosId: this.eosId, unkId: this.unkId };
    return this.vocab;
  }

  /** Number of tokens (ids are 0..size-1). */
  get size(): number {
    return this.tokens.length;
  }

  tokenId(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Token of an id; throws RangeError when out of range. */
  idToken(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new RangeError(`token id ${id} out of range 0..${this.tokens.length - 1}`);
    return t;
  }

  /** True when `token` is kept whole (a special or added token). */
  isAdded(token: string): boolean {
    const id = this.ids.get(token);
    return id !== undefined && this.addedSet.has(id);
  }

  /** Token ids of `text`, without special tokens (no end-of-sequence is appended). */
  encode(text: string): number[] {
    const out: number[] = [];
    this.encodeInto(text, out);
    return out;
  }

  /** Appends the ids of `text` to `out` (no allocation of an intermediate array). */
  encodeInto(text: string, out: number[]): void {
    // One pass: whole tokens are found leftmost-longest; the plain text between
    // them is cut into words. A section is the text's first piece iff it starts at 0.
    const matcher = this.matcher;
    const n = text.length;
    let sectionStart = 0;
    let i = 0;
    while (i < n) {
      const len = matcher.longestAt(text, i);
      if (len === 0) {
        i++;
        continue;
      }
      if (i > sectionStart) this.encodeSection(text, sectionStart, i, out);
      out.push(matcher.lastValue);
      i += len;
      sectionStart = i;
    }
    if (sectionStart < n) this.encodeSection(text, sectionStart, n, out);
  }

  /** The words of `text[start, end)` (see {@link forEachWord}), looked up. */
  private encodeSection(text: string, start: number, end: number, out: number[]): void {
    const unk = this.unkId;
    let i = start;
    let c = text.charCodeAt(i);
    if (c !== SPACE && c !== MARK) {
      let k = i + 1;
      while (k < end && (c = text.charCodeAt(k)) !== SPACE && c !== MARK) k++;
      const w = text.slice(i, k);
      out.push((start === 0 ? this.marked.get(w) : this.bare.get(w)) ?? unk);
      i = k;
    }
    while (i < end) {
      let k = i + 1;
      while (k < end && (c = text.charCodeAt(k)) !== SPACE && c !== MARK) k++;
      out.push(this.marked.get(text.slice(i + 1, k)) ?? unk);
      i = k;
    }
  }

  /** Token strings of `text` (for inspection). */
  tokenize(text: string): string[] {
    return this.encode(text).map((i) => this.tokens[i]);
  }

  /**
   * Text of `ids`, special tokens skipped: the Metaspace decoder (each `▁`
   * becomes a space, the first token loses its leading one).
   * @throws RangeError on an id outside the vocabulary.
   */
  decode(ids: readonly number[]): string {
    let s = '';
    let first = true;
    const special = this.special;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      const piece = first ? this.decodeFirst[id] : this.decodeRest[id];
      if (piece === undefined) throw new RangeError(`decode: token id ${id} (position ${k}) out of range 0..${this.tokens.length - 1}`);
      if (special.has(id)) continue;
      s += piece;
      first = false;
    }
    return s;
  }

  /**
   * Adds whole tokens that are never split, whatever their spelling (entity
   * codes such as `<CT38>`, `<1049>`). A token already present keeps its id
   * (and becomes whole if it was an ordinary word). Returns the ids, in order.
   * @throws ConfigError on an empty token, whitespace at its ends, or a `▁`.
   */
  addTokens(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (const t of tokens) {
      checkTokenSpelling(t, 'addTokens');
      let id = this.ids.get(t);
      if (id === undefined) {
        id = this.tokens.length;
        this.tokens.push(t);
        this.ids.set(t, id);
        this.indexDecode(id);
      }
      if (!this.addedSet.has(id)) {
        this.added.push(id);
        this.addedSet.add(id);
        this.matcher.add(t, id);
      }
      out.push(id);
    }
    this.vocab = undefined;
    return out;
  }

  /** An independent copy (extending it leaves this one unchanged). */
  clone(): WordLevelTokenizer {
    return new WordLevelTokenizer({
      tokens: this.tokens.slice(),
      modelSize: this.modelSize,
      special: new Set(this.special),
      added: this.added.slice(),
      padId: this.padId,
      eosId: this.eosId,
      unkId: this.unkId,
    });
  }

  /**
   * The Hugging Face tokenizer.json of this tokenizer: a `WordLevel` model
   * (vocabulary = ids below the first added-only token), the Metaspace-style
   * pre-tokenizer and decoder, a `TemplateProcessing` post-processor that
   * appends `</s>` like T5's, and `added_tokens` (specials with
   * `special: true`; codes with `special: false` so decoding keeps them; all
   * with `normalized: false`).
   */
  toTokenizerJson(): string {
    return JSON.stringify(this.toTokenizerObject(), null, 2);
  }

  /** {@link toTokenizerJson} as an object. */
  toTokenizerObject(): TokenizerJson {
    const vocab: Record<string, number> = {};
    for (let i = 0; i < this.modelSize; i++) vocab[this.tokens[i]] = i;
    const addedTokens: AddedTokenJson[] = [...this.added]
      .sort((a, b) => a - b)
      .map((id) => addedTokenEntry(id, this.tokens[id], this.special.has(id)));
    const eos = this.tokens[this.eosId];
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      normalizer: null,
      pre_tokenizer: structuredClone(WORD_LEVEL_PRE_TOKENIZER),
      post_processor: {
        type: 'TemplateProcessing',
        single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
        pair: [
          { Sequence: { id: 'A', type_id: 0 } },
          { SpecialToken: { id: eos, type_id: 0 } },
          { Sequence: { id: 'B', type_id: 0 } },
          { SpecialToken: { id: eos, type_id: 0 } },
        ],
        special_tokens: { [eos]: { id: eos, ids: [this.eosId], tokens: [eos] } },
      },
      decoder: structuredClone(WORD_LEVEL_DECODER),
      model: { type: 'WordLevel', vocab, unk_token: this.tokens[this.unkId] },
    };
  }

  /** The `tokenizer_config.json` transformers reads next to tokenizer.json (special-token roles). */
  tokenizerConfig(): Record<string, unknown> {
    return {
      tokenizer_class: 'PreTrainedTokenizerFast',
      pad_token: this.tokens[this.padId],
      eos_token: this.tokens[this.eosId],
      unk_token: this.tokens[this.unkId],
      clean_up_tokenization_spaces: false,
      model_max_length: 1_000_000_000,
    };
  }

  private indexWord(id: number): void {
    const t = this.tokens[id];
    if (t.charCodeAt(0) === MARK) {
      if (!this.marked.has(t.slice(1))) this.marked.set(t.slice(1), id);
    } else if (!this.bare.has(t)) {
      this.bare.set(t, id);
    }
  }

  private indexDecode(id: number): void {
    // The Metaspace decoder of tokenizers.js: every ▁ becomes a space, and the
    // output's first token loses one leading space.
    const rest = this.tokens[id].replaceAll(METASPACE, ' ');
    this.decodeRest[id] = rest;
    this.decodeFirst[id] = rest.startsWith(' ') ? rest.slice(1) : rest;
  }
}

/**
 * The words of one plain section, as the pre-tokenizer cuts them: spaces
 * become `▁`, a `▁` is prepended when this is the first section of the text,
 * and the section is cut before every `▁`.
 */
export function forEachWord(section: string, first: boolean, emit: (word: string) => void): void {
  const n = section.length;
  if (n === 0) return;
  let i = 0;
  let c = section.charCodeAt(0);
  if (c !== SPACE && c !== MARK) {
    let k = 1;
    while (k < n && (c = section.charCodeAt(k)) !== SPACE && c !== MARK) k++;
    emit(first ? METASPACE + section.slice(0, k) : section.slice(0, k));
    i = k;
  }
  while (i < n) {
    let k = i + 1;
    while (k < n && (c = section.charCodeAt(k)) !== SPACE && c !== MARK) k++;
    emit(METASPACE + section.slice(i + 1, k));
    i = k;
  }
}

function checkTokenSpelling(t: string, option: string): void {
  if (typeof t !== 'string' || t.length === 0) throw new ConfigError(option, 'a token must be a non-empty string', t);
  if (t.trim() !== t) throw new ConfigError(option, 'a token must not start or end with whitespace', t);
  if (t.includes(METASPACE)) throw new ConfigError(option, `a token must not contain ${METASPACE} (the word-boundary mark)`, t);
}

/** The special token a TemplateProcessing post-processor appends last to a single sequence. */
function appendedSpecial(post: unknown): string | undefined {
  const single = (post as { single?: unknown } | null)?.single;
  if (!Array.isArray(single)) return undefined;
  for (let i = single.length - 1; i >= 0; i--) {
    const id = (single[i] as { SpecialToken?: { id?: unknown } }).SpecialToken?.id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
