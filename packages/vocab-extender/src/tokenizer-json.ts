/**
 * The parts of the Hugging Face `tokenizer.json` schema (tokenizers ≥ 0.14,
 * the file `PreTrainedTokenizerFast` reads) that this package writes and
 * checks. Only the fields we rely on are typed; everything else is kept as
 * parsed so that extending a tokenizer never drops what we do not understand.
 */
import { DataFormatError } from '@meta-id/core';

/** One entry of `added_tokens`. */
export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A parsed tokenizer.json; unknown fields are preserved. */
export interface TokenizerJson {
  version?: string;
  truncation?: unknown;
  padding?: unknown;
  added_tokens: AddedTokenJson[];
  normalizer: unknown;
  pre_tokenizer: unknown;
  post_processor: unknown;
  decoder: unknown;
  model: { type?: string; vocab?: unknown; unk_token?: string | null; [k: string]: unknown };
  [k: string]: unknown;
}

/** `▁` (U+2581), the word-boundary mark used by Metaspace/SentencePiece tokenizers. */
export const METASPACE = '\u2581';

/**
 * Parses and checks the top-level shape of a tokenizer.json text or object.
 * @throws DataFormatError naming `source` when a required part is missing or malformed.
 */
export function parseTokenizerJson(json: string | object, source = 'tokenizer.json'): TokenizerJson {
  let obj: unknown;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new DataFormatError({ source }, `not valid JSON (${(e as Error).message})`);
    }
  } else {
    // Deep copy so extending never mutates the caller's object.
    obj = structuredClone(json);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new DataFormatError({ source }, 'a tokenizer.json must be a JSON object');
  }
  const t = obj as Record<string, unknown>;
  const model = t.model;
  if (model === null || typeof model !== 'object' || Array.isArray(model)) {
    throw new DataFormatError({ source, column: 'model' }, 'missing or malformed "model" object');
  }
  for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'] as const) {
    if (!(key in t)) t[key] = null;
  }
  if (t.added_tokens === undefined) t.added_tokens = [];
  if (!Array.isArray(t.added_tokens)) {
    throw new DataFormatError({ source, column: 'added_tokens' }, '"added_tokens" must be an array');
  }
  (t.added_tokens as unknown[]).forEach((a, i) => {
    const at = a as Partial<AddedTokenJson> | null;
    if (!at || typeof at.content !== 'string' || !Number.isInteger(at.id) || (at.id as number) < 0) {
      throw new DataFormatError(
        { source, column: `added_tokens[${i}]` },
        'an added token needs a string "content" and a non-negative integer "id"',
        a,
      );
    }
  });
  return t as TokenizerJson;
}

/** A default, non-special, never-split added token entry. */
export function addedTokenEntry(id: number, content: string, special = false): AddedTokenJson {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special };
}
