/**
 * Reader for the code files the META ID authors release
 * (`item_metapath_indexing_*.txt`, `user_metapath_indexing_*.txt` in
 * Tingji2419/META-ID): one line per entity, `raw_id <CTa><b>`. Used to test
 * and benchmark with their Beauty codes, and to bring their codes into a
 * pipeline in place of our clusterer's.
 */
import { DataFormatError, entityKey, type EntityType, type TokenCodebook, type TokenInfo } from '@meta-id/core';
import { splitBracketedCode } from './naming.js';

/** One parsed line: the entity key (`i:`/`u:` + raw id) and its tokens. */
export interface IndexedCode {
  key: string;
  tokens: string[];
}

/**
 * Parses one indexing file. Blank lines are skipped; anything else must be
 * `raw_id code` with a code made of bracketed tokens.
 * @throws DataFormatError with the file and line of a malformed or duplicate entry.
 */
export function parseMetaIdIndexing(text: string, type: EntityType, source = '<string>'): IndexedCode[] {
  const out: IndexedCode[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2) throw new DataFormatError({ source, line: i + 1 }, 'expected "raw_id code"', line);
    const tokens = splitBracketedCode(parts[1]);
    if (!tokens) throw new DataFormatError({ source, line: i + 1, column: 2 }, 'code is not a sequence of <...> tokens', parts[1]);
    const key = entityKey(type, parts[0]);
    if (seen.has(key)) throw new DataFormatError({ source, line: i + 1, column: 1 }, 'entity listed twice', parts[0]);
    seen.add(key);
    out.push({ key, tokens });
  }
  return out;
}

/**
 * A TokenCodebook from parsed indexing files (no centroids: the authors ship
 * them only as a Python pickle). Tokens are listed by level (position in the
 * code), then in natural order of their spelling (`<CT2>` before `<CT10>`).
 * @throws DataFormatError when two entities share a code (codes must be unique).
 */
export function codebookFromIndexing(entries: readonly IndexedCode[], scheme = 'meta-id-reference'): TokenCodebook {
  const codes: Record<string, string[]> = {};
  const level = new Map<string, number>();
  const members = new Map<string, number>();
  const byText = new Map<string, string>();
  for (const e of entries) {
    const text = e.tokens.join('');
    const other = byText.get(text);
    if (other !== undefined) throw new DataFormatError({ source: scheme, column: e.key }, `code ${text} is also the code of ${other}`);
    byText.set(text, e.key);
    codes[e.key] = e.tokens;
    e.tokens.forEach((t, l) => {
      if (!level.has(t)) level.set(t, l);
      else level.set(t, Math.min(level.get(t)!, l));
    });
    for (const t of new Set(e.tokens)) members.set(t, (members.get(t) ?? 0) + 1);
  }
  const collator = new Intl.Collator('en', { numeric: true });
  const tokens: TokenInfo[] = [...level.keys()]
    .sort((a, b) => level.get(a)! - level.get(b)! || collator.compare(a, b))
    .map((t) => ({ token: t, level: level.get(t)!, members: members.get(t)! }));
  return { scheme, dim: 0, tokens, codes, stats: { entities: entries.length, tokens: tokens.length } };
}
