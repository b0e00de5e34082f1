/**
 * Any Hugging Face `tokenizer.json` (WordLevel, SentencePiece/Unigram as in
 * t5-small, BPE as in GPT-2, WordPiece as in BERT) behind the core
 * `TextTokenizer` interface, through @huggingface/tokenizers (pure JS,
 * offline). OOV tokens are added the way `tokenizer.add_tokens(...)` does it in
 * Python: new `added_tokens` entries with ids after the largest id in the file,
 * `normalized: false` and `special: false`, so they are matched in the raw text
 * before normalisation and pre-tokenisation and are never split.
 *
 * Decoding is whatever the file's decoder does; whether spaces around a code
 * survive a round trip depends on its pre-tokenizer. Byte-level BPE and the
 * word-level tokenizer of this package keep them; T5's (WhitespaceSplit then
 * Metaspace) and BERT's drop the space before an added token, in Rust
 * `tokenizers` as here. Code texts themselves (`<CT38><1049>`) always round-trip.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { ConfigError, DataFormatError, type TextTokenizer, type Vocabulary } from '@meta-id/core';
import { addedTokenEntry, parseTokenizerJson, type TokenizerJson } from './tokenizer-json.js';
import type { SpecialRoleOptions } from './word-level.js';

/** Options of {@link HfTokenizer.fromTokenizerJson}. */
export interface HfTokenizerOptions extends SpecialRoleOptions {
  /**
   * The `tokenizer_config.json` that ships next to tokenizer.json, when there
   * is one: special-token roles (`pad_token`, `eos_token`, `unk_token`) and
   * `clean_up_tokenization_spaces` are read from it. Default `{}`.
   */
  config?: Record<string, unknown>;
  /** Label for error messages. Default `'tokenizer.json'`. */
  source?: string;
}

type HfConfig = Record<string, unknown>;

/**
 * A Hugging Face tokenizer.json as a `TextTokenizer` that can take OOV tokens.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { HfTokenizer } from '@meta-id/vocab-extender';
 * const tok = HfTokenizer.fromTokenizerJson(readFileSync('t5-small/tokenizer.json', 'utf8'));
 * tok.addTokens(['<CT38>', '<1049>']);
 * tok.decode(tok.encode('<CT38><1049>')); // '<CT38><1049>'
 * ```
 */
export class HfTokenizer implements TextTokenizer {
  private json: TokenizerJson;
  private readonly config: HfConfig;
  private readonly roles: SpecialRoleOptions;
  private readonly source: string;
  private tok!: Tokenizer;
  private vocab: Vocabulary | undefined;
  private cleanUp = false;

  private constructor(json: TokenizerJson, options: HfTokenizerOptions) {
    this.json = json;
    this.config = { ...(options.config ?? {}) };
    this.roles = { padToken: options.padToken, eosToken: options.eosToken, unkToken: options.unkToken };
    this.source = options.source ?? 'tokenizer.json';
    this.rebuild();
  }

  /**
   * Loads a tokenizer.json (text or parsed object; the object is copied).
   * @throws DataFormatError when the file is malformed or tokenizers.js rejects it;
   *   ConfigError when the pad or eos token cannot be found (name them in the options).
   */
  static fromTokenizerJson(json: string | object, options: HfTokenizerOptions = {}): HfTokenizer {
    return new HfTokenizer(parseTokenizerJson(json, options.source ?? 'tokenizer.json'), options);
  }

  get vocabulary(): Vocabulary {
    if (!this.vocab) {
      const map = this.tok.get_vocab(true);
      let max = -1;
      for (const id of map.values()) if (id > max) max = id;
      const tokens: string[] = new Array(max + 1).fill('');
      for (const [t, id] of map) tokens[id] = t;
      this.vocab = { tokens, padId: this.roleId('pad'), eosId: this.roleId('eos'), unkId: this.roleIdOptional('unk') ?? -1 };
    }
    return this.vocab;
  }

  /** Number of ids (largest id + 1). */
  get size(): number {
    return this.vocabulary.tokens.length;
  }

  encode(text: string): number[] {
    if (text.length === 0) return [];
    return this.tok.encode(text, { add_special_tokens: false }).ids;
  }

  /** Token strings of `text` (for inspection). */
  tokenize(text: string): string[] {
    return this.tok.tokenize(text, { add_special_tokens: false });
  }

  decode(ids: readonly number[]): string {
    if (ids.length === 0) return '';
    const size = this.size;
    ids.forEach((id, k) => {
      if (!Number.isInteger(id) || id < 0 || id >= size) throw new RangeError(`decode: token id ${id} (position ${k}) out of range 0..${size - 1}`);
    });
    return this.tok.decode(ids as number[], { skip_special_tokens: true, clean_up_tokenization_spaces: this.cleanUp });
  }

  tokenId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  /**
   * Adds whole tokens, never split (Python's `tokenizer.add_tokens`). A token
   * already in the vocabulary keeps its id and is made whole. New ids follow
   * the largest id in use, in the order given. Returns the ids.
   * @throws ConfigError on an empty token or whitespace at its ends.
   */
  addTokens(tokens: readonly string[]): number[] {
    const added = new Map(this.json.added_tokens.map((a) => [a.content, a]));
    let next = this.size;
    const ids: number[] = [];
    let changed = false;
    for (const t of tokens) {
      if (typeof t !== 'string' || t.length === 0) throw new ConfigError('addTokens', 'a token must be a non-empty string', t);
      if (t.trim() !== t) throw new ConfigError('addTokens', 'a token must not start or end with whitespace', t);
      const a = added.get(t);
      if (a) {
        ids.push(a.id);
        continue;
      }
      const existing = this.tok.token_to_id(t);
      const id = existing ?? next++;
      const entry = addedTokenEntry(id, t);
      this.json.added_tokens.push(entry);
      added.set(t, entry);
      ids.push(id);
      changed = true;
    }
    if (changed) {
      this.json.added_tokens.sort((x, y) => x.id - y.id);
      this.rebuild();
    }
    return ids;
  }

  /** True when `token` is one of the file's added tokens (kept whole). */
  isAdded(token: string): boolean {
    return this.json.added_tokens.some((a) => a.content === token);
  }

  clone(): HfTokenizer {
    return new HfTokenizer(structuredClone(this.json), { ...this.roles, config: this.config, source: this.source });
  }

  /** The tokenizer.json, with the added tokens, as text. */
  toTokenizerJson(): string {
    return JSON.stringify(this.json, null, 2);
  }

  /** A copy of the parsed tokenizer.json. */
  toTokenizerObject(): TokenizerJson {
    return structuredClone(this.json);
  }

  /** The tokenizer_config.json to write next to it: the config given, with the special-token roles resolved. */
  tokenizerConfig(): Record<string, unknown> {
    const v = this.vocabulary;
    const out: Record<string, unknown> = { tokenizer_class: 'PreTrainedTokenizerFast', ...this.config };
    out.pad_token = v.tokens[v.padId];
    out.eos_token = v.tokens[v.eosId];
    if (v.unkId >= 0) out.unk_token = v.tokens[v.unkId];
    out.clean_up_tokenization_spaces = this.cleanUp;
    return out;
  }

  private rebuild(): void {
    const model = this.json.model;
    const cfg: HfConfig = { ...this.config };
    for (const k of ['pad_token', 'eos_token', 'unk_token', 'bos_token']) {
      const v = cfg[k];
      if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') cfg[k] = (v as { content: string }).content;
    }
    // tokenizers.js reads a WordLevel model's unknown token from the config, not from the model.
    if (cfg.unk_token === undefined && typeof model.unk_token === 'string') cfg.unk_token = model.unk_token;
    this.cleanUp = (cfg.clean_up_tokenization_spaces as boolean | undefined) ?? false;
    try {
      this.tok = new Tokenizer(this.json, cfg);
    } catch (e) {
      throw new DataFormatError({ source: this.source }, `@huggingface/tokenizers cannot load it (${(e as Error).message})`);
    }
    this.vocab = undefined;
    // Fail early, with the option to set, when a role cannot be resolved.
    this.roleId('pad');
    this.roleId('eos');
  }

  private roleToken(role: 'pad' | 'eos' | 'unk'): string | undefined {
    const opt = role === 'pad' ? this.roles.padToken : role === 'eos' ? this.roles.eosToken : this.roles.unkToken;
    if (opt !== undefined) return opt;
    const fromConfig = this.config[`${role}_token`];
    if (typeof fromConfig === 'string') return fromConfig;
    if (fromConfig && typeof (fromConfig as { content?: unknown }).content === 'string') return (fromConfig as { content: string }).content;
    const model = this.json.model;
    if (role === 'unk') {
      if (typeof model.unk_token === 'string') return model.unk_token;
      const unkId = model.unk_id;
      if (Number.isInteger(unkId) && Array.isArray(model.vocab)) return (model.vocab[unkId as number] as [string, number])[0];
      return firstPresent(this.tok, ['<unk>', '[UNK]']);
    }
    if (role === 'eos') return appendedSpecialOf(this.json.post_processor) ?? firstPresent(this.tok, ['</s>', '<|endoftext|>', '<eos>', '[SEP]']);
    const padding = this.json.padding as { pad_token?: unknown } | null | undefined;
    if (padding && typeof padding.pad_token === 'string') return padding.pad_token;
    return firstPresent(this.tok, ['<pad>', '[PAD]', '<|pad|>']);
  }

  private roleIdOptional(role: 'pad' | 'eos' | 'unk'): number | undefined {
    const t = this.roleToken(role);
    return t === undefined ? undefined : this.tok.token_to_id(t);
  }

  private roleId(role: 'pad' | 'eos'): number {
    const t = this.roleToken(role);
    const id = t === undefined ? undefined : this.tok.token_to_id(t);
    if (id === undefined) {
      throw new ConfigError(`${role}Token`, `cannot find the ${role} token of ${this.source}; name it in the options (or in tokenizer_config.json)`, t);
    }
    return id;
  }
}

function firstPresent(tok: Tokenizer, candidates: string[]): string | undefined {
  return candidates.find((c) => tok.token_to_id(c) !== undefined);
}

function appendedSpecialOf(post: unknown): string | undefined {
  const p = post as { type?: string; single?: unknown; sep?: unknown; processors?: unknown[] } | null;
  if (!p) return undefined;
  if (p.type === 'Sequence' && Array.isArray(p.processors)) {
    for (const q of p.processors) {
      const s = appendedSpecialOf(q);
      if (s) return s;
    }
    return undefined;
  }
  if (Array.isArray(p.single)) {
    for (let i = p.single.length - 1; i >= 0; i--) {
      const id = (p.single[i] as { SpecialToken?: { id?: unknown } }).SpecialToken?.id;
      if (typeof id === 'string') return id;
    }
  }
  if (Array.isArray(p.sep) && typeof p.sep[0] === 'string') return p.sep[0];
  return undefined;
}

