/**
 * The codebook artifact: core's {@link TokenCodebook} (entity key → tokens;
 * token → level, member count, centroid) plus the parameters a later cold
 * start needs, as one JSON file. Loading checks it and names the entity or
 * token at fault.
 */
import { DataFormatError, MetaIdError, parseEntityKey, type TokenCodebook, type TokenInfo } from '@meta-id/core';
import type { Metric } from './kmeans.js';

/** What a scheme was fitted with, kept so new entities can be coded the same way. */
export interface SchemeParams {
  metric: Metric;
  /** meta-id: number of the first fine token (`<1001>` in the authors' release). */
  fineStart?: number;
  /** meta-id: users and items clustered together (true) or apart. */
  joint?: boolean;
  /** hierarchical: clusters per level, coarsest first. */
  levels?: number[];
  /** hierarchical: levels after the first cluster the residuals (RQ-style). */
  residual?: boolean;
  seed?: number;
  [key: string]: unknown;
}

/** A {@link TokenCodebook} as written by this package: with its fitting parameters. */
export interface ClustererCodebook extends TokenCodebook {
  params: SchemeParams;
}

export const CODEBOOK_FORMAT = 'meta-id-codebook';
export const CODEBOOK_VERSION = 1;

/** JSON text of a codebook (stable key order, one token or code per line for readable diffs). */
export function serializeCodebook(codebook: TokenCodebook): string {
  const cb = codebook as Partial<ClustererCodebook>;
  const lines: string[] = [];
  lines.push('{');
  lines.push(`  "format": ${JSON.stringify(CODEBOOK_FORMAT)},`);
  lines.push(`  "version": ${CODEBOOK_VERSION},`);
  lines.push(`  "scheme": ${JSON.stringify(codebook.scheme)},`);
  lines.push(`  "dim": ${codebook.dim},`);
  if (cb.params) lines.push(`  "params": ${JSON.stringify(cb.params)},`);
  lines.push(`  "stats": ${JSON.stringify(codebook.stats ?? {})},`);
  lines.push('  "tokens": [');
  lines.push(codebook.tokens.map((t) => `    ${JSON.stringify(t)}`).join(',\n'));
  lines.push('  ],');
  lines.push('  "codes": {');
  lines.push(
    Object.entries(codebook.codes)
      .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(',\n'),
  );
  lines.push('  }');
  lines.push('}');
  return lines.join('\n') + '\n';
}

export interface CodebookCheckOptions {
  /** File name or label used in error messages. Default `<codebook>`. */
  source?: string;
  /** When given, every coded entity must be one of these keys (`u:…` / `i:…`). */
  entities?: Iterable<string>;
  /** With `entities`: every one of them must have a code. Default false. */
  requireAll?: boolean;
}

/** Parses and checks codebook JSON; errors name the entity or token at fault. */
export function parseCodebook(text: string, options: CodebookCheckOptions = {}): ClustererCodebook {
  const source = options.source ?? '<codebook>';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new DataFormatError({ source }, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new DataFormatError({ source }, 'a codebook must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (o.format !== undefined && o.format !== CODEBOOK_FORMAT) throw new DataFormatError({ source, column: 'format' }, `not a ${CODEBOOK_FORMAT} file`, o.format);
  if (typeof o.version === 'number' && o.version > CODEBOOK_VERSION) {
    throw new DataFormatError({ source, column: 'version' }, `written by a newer version (this reader knows ${CODEBOOK_VERSION})`, o.version);
  }
  if (typeof o.scheme !== 'string') throw new DataFormatError({ source, column: 'scheme' }, 'missing or not a string', o.scheme);
  if (typeof o.dim !== 'number' || !Number.isInteger(o.dim) || o.dim < 0) throw new DataFormatError({ source, column: 'dim' }, 'must be a non-negative integer', o.dim);
  if (!Array.isArray(o.tokens)) throw new DataFormatError({ source, column: 'tokens' }, 'must be an array of token records');
  if (typeof o.codes !== 'object' || o.codes === null || Array.isArray(o.codes)) throw new DataFormatError({ source, column: 'codes' }, 'must be an object: entity key → token list');
  const codebook: ClustererCodebook = {
    scheme: o.scheme,
    dim: o.dim,
    tokens: o.tokens as TokenInfo[],
    codes: o.codes as Record<string, string[]>,
    stats: (o.stats as Record<string, unknown>) ?? {},
    params: (o.params as SchemeParams) ?? ({ metric: 'cosine' } as SchemeParams),
  };
  checkCodebook(codebook, { ...options, source });
  return codebook;
}

/** Throws a {@link DataFormatError} naming the first problem found; returns the codebook when sound. */
export function checkCodebook<T extends TokenCodebook>(codebook: T, options: CodebookCheckOptions = {}): T {
  const source = options.source ?? '<codebook>';
  const known = new Map<string, TokenInfo>();
  codebook.tokens.forEach((t, i) => {
    const where = { source, column: `tokens[${i}]` };
    if (typeof t !== 'object' || t === null) throw new DataFormatError(where, 'token record must be an object', t);
    if (typeof t.token !== 'string' || t.token.length === 0 || t.token.trim() !== t.token) throw new DataFormatError(where, 'token text must be a non-empty string without surrounding spaces', t.token);
    if (known.has(t.token)) throw new DataFormatError(where, `token ${t.token} is listed twice`, t.token);
    if (!Number.isInteger(t.level) || t.level < 0) throw new DataFormatError(where, `token ${t.token}: level must be an integer ≥ 0`, t.level);
    if (!Number.isInteger(t.members) || t.members < 0) throw new DataFormatError(where, `token ${t.token}: members must be an integer ≥ 0`, t.members);
    if (t.centroid !== undefined) {
      if (!Array.isArray(t.centroid)) throw new DataFormatError(where, `token ${t.token}: centroid must be an array of numbers`);
      if (t.centroid.length !== codebook.dim) {
        throw new DataFormatError(where, `token ${t.token}: centroid has ${t.centroid.length} values, the codebook's dim is ${codebook.dim}`);
      }
      const bad = t.centroid.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
      if (bad >= 0) throw new DataFormatError(where, `token ${t.token}: centroid[${bad}] is not a finite number`, t.centroid[bad]);
    }
    known.set(t.token, t);
  });
  const allowed = options.entities ? new Set(options.entities) : undefined;
  const seen = new Map<string, string>();
  const uses = new Map<string, number>();
  for (const [entity, code] of Object.entries(codebook.codes)) {
    const where = { source, column: `codes[${JSON.stringify(entity)}]` };
    try {
      parseEntityKey(entity);
    } catch {
      throw new DataFormatError(where, `entity key ${JSON.stringify(entity)} is not "u:<id>" or "i:<id>"`);
    }
    if (allowed && !allowed.has(entity)) throw new DataFormatError(where, `unknown entity ${entity}: not in the dataset / embedding table`);
    if (!Array.isArray(code) || code.length === 0) throw new DataFormatError(where, `entity ${entity}: code must be a non-empty array of tokens`, code);
    for (const t of code) {
      if (!known.has(t)) throw new DataFormatError(where, `entity ${entity}: unknown token ${JSON.stringify(t)} (not in the token list)`);
      uses.set(t, (uses.get(t) ?? 0) + 1);
    }
    const key = code.join('\u0000');
    const other = seen.get(key);
    if (other !== undefined) throw new DataFormatError(where, `duplicate code ${code.join('')}: entities ${other} and ${entity} share it`);
    seen.set(key, entity);
  }
  if (allowed && options.requireAll) {
    for (const e of allowed) if (!(e in codebook.codes)) throw new DataFormatError({ source, column: 'codes' }, `entity ${e} has no code`);
  }
  for (const [token, info] of known) {
    const used = uses.get(token) ?? 0;
    if (info.members !== used) throw new DataFormatError({ source, column: 'tokens' }, `token ${token} says ${info.members} members, the codes use it ${used} times`);
  }
  return codebook;
}

/** Throws unless every entity has its own code (the invariant every scheme keeps). */
export function assertUniqueCodes(codes: Record<string, string[]>): void {
  const seen = new Map<string, string>();
  for (const [entity, code] of Object.entries(codes)) {
    const key = code.join('\u0000');
    const other = seen.get(key);
    if (other !== undefined) throw new MetaIdError(`internal error: entities ${other} and ${entity} got the same code ${code.join('')}`);
    seen.set(key, entity);
  }
}

/** Writes a codebook JSON file atomically. */
export async function writeCodebook(path: string, codebook: TokenCodebook): Promise<void> {
  const { writeFileAtomic } = await import('@meta-id/core/node');
  writeFileAtomic(path, serializeCodebook(codebook));
}

/** Reads and checks a codebook JSON file. */
export async function readCodebook(path: string, options: Omit<CodebookCheckOptions, 'source'> = {}): Promise<ClustererCodebook> {
  const { readFileSync, existsSync } = await import('node:fs');
  if (!existsSync(path)) throw new MetaIdError(`codebook file not found: ${path}`);
  return parseCodebook(readFileSync(path, 'utf8'), { ...options, source: path });
}
