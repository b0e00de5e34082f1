/**
 * Codes for users and items that arrive after clustering, without
 * re-clustering: the nearest centroid at each level, then the next free fine
 * token. Existing codes never change, so a model trained on them stays valid.
 * New entities without a vector get one from their interactions: the mean
 * of their neighbours' vectors (for a new user, the items they interacted
 * with, whose vectors live in the same joint space).
 *
 * One caveat for `hierarchical` codebooks: when a new entity's level tokens
 * equal those of an existing entity that has no disambiguation token, the
 * new one gets `<1002>`, … after them and the old code stays as it is, so the
 * old code becomes a prefix of the new one. Codes stay unique; a decoder that
 * needs prefix-free codes should refit.
 */
import { ConfigError, MetaIdError, parseEntityKey, type EmbeddingTable, type TokenInfo } from '@meta-id/core';
import type { ClustererCodebook } from './codebook.js';
import { fineToken } from './schemes/meta-id.js';

interface Level {
  tokens: TokenInfo[];
  centroids: Float32Array;
}

/**
 * Adds codes for new entities to a fitted codebook (in place): builds its
 * indexes once, then {@link ColdStartCoder.code} per entity.
 *
 * @example
 * const coder = new ColdStartCoder(codebook);
 * const code = coder.code('i:NEWITEM', vector); // e.g. ['<CT12>', '<1402>']
 */
export class ColdStartCoder {
  private readonly dim: number;
  private readonly levels: Level[] = [];
  /** meta-id, users and items apart: which coarse tokens each type may use. */
  private readonly typeTokens?: Record<'u' | 'i', Set<string>>;
  /** Next free fine number per coarse token (meta-id) or per level-code (hierarchical). */
  private readonly nextFine = new Map<string, number>();
  private readonly tokenIndex = new Map<string, TokenInfo>();
  private readonly fineStart: number;
  private readonly levelCodeHolders = new Map<string, number>();

  constructor(readonly codebook: ClustererCodebook) {
    const p = codebook.params;
    if (!p || (codebook.scheme !== 'meta-id' && codebook.scheme !== 'hierarchical')) {
      throw new MetaIdError(`cold start needs a codebook fitted by this package (scheme meta-id or hierarchical, with params); got scheme ${JSON.stringify(codebook.scheme)}`);
    }
    this.dim = codebook.dim;
    this.fineStart = p.fineStart ?? 1001;
    for (const t of codebook.tokens) this.tokenIndex.set(t.token, t);
    const nLevels = codebook.scheme === 'meta-id' ? 1 : (p.levels ?? []).length;
    for (let l = 0; l < nLevels; l++) {
      const tokens = codebook.tokens.filter((t) => t.level === l && t.centroid);
      if (tokens.length === 0) throw new MetaIdError(`cold start: no level-${l} token of the codebook has a centroid`);
      const centroids = new Float32Array(tokens.length * this.dim);
      tokens.forEach((t, j) => centroids.set(t.centroid!, j * this.dim));
      this.levels.push({ tokens, centroids });
    }
    if (codebook.scheme === 'meta-id') {
      if (p.joint === false) this.typeTokens = { u: new Set(), i: new Set() };
      for (const [key, code] of Object.entries(codebook.codes)) {
        const fine = parseFine(code[1]);
        if (fine !== undefined) this.nextFine.set(code[0], Math.max(this.nextFine.get(code[0]) ?? this.fineStart, fine + 1));
        this.typeTokens?.[key.startsWith('u:') ? 'u' : 'i'].add(code[0]);
      }
    } else {
      for (const code of Object.values(codebook.codes)) {
        const levelCode = code.slice(0, nLevels).join('');
        this.levelCodeHolders.set(levelCode, (this.levelCodeHolders.get(levelCode) ?? 0) + 1);
        const fine = code.length > nLevels ? parseFine(code[nLevels]) : this.fineStart; // a bare code holds the first rank
        this.nextFine.set(levelCode, Math.max(this.nextFine.get(levelCode) ?? this.fineStart, (fine ?? this.fineStart) + 1));
      }
    }
  }

  /** The code of new entity `key` from its vector; adds it to the codebook and returns it. */
  code(key: string, vector: ArrayLike<number>): string[] {
    const { type } = parseEntityKey(key);
    if (key in this.codebook.codes) throw new ConfigError('key', `entity ${key} already has a code (${this.codebook.codes[key].join('')}); cold start is for new entities`);
    if (vector.length !== this.dim) throw new ConfigError('vector', `entity ${key}: has ${vector.length} values, the codebook's dim is ${this.dim}`);
    let x = Float32Array.from(vector);
    if (this.codebook.params.metric === 'cosine') {
      let s = 0;
      for (let d = 0; d < this.dim; d++) s += x[d] * x[d];
      if (!(s > 0) || !Number.isFinite(s)) throw new ConfigError('vector', `entity ${key}: zero or non-finite vector has no direction under cosine`);
      x = x.map((v) => v / Math.sqrt(s));
    }
    const code: string[] = [];
    if (this.codebook.scheme === 'meta-id') {
      const allowed = this.typeTokens?.[type === 'user' ? 'u' : 'i'];
      const coarse = this.nearest(0, x, allowed && allowed.size > 0 ? allowed : undefined);
      const b = this.nextFine.get(coarse.token) ?? this.fineStart;
      this.nextFine.set(coarse.token, b + 1);
      code.push(coarse.token, fineToken(b));
    } else {
      for (let l = 0; l < this.levels.length; l++) {
        const t = this.nearest(l, x);
        code.push(t.token);
        const c = t.centroid!;
        for (let d = 0; d < this.dim; d++) x[d] -= c[d];
      }
      const levelCode = code.join('');
      if (this.levelCodeHolders.has(levelCode)) {
        // Collides with existing codes: next free disambiguation token in that group (existing codes stay).
        const b = this.nextFine.get(levelCode) ?? this.fineStart + 1;
        this.nextFine.set(levelCode, b + 1);
        code.push(fineToken(b));
      } else {
        this.nextFine.set(levelCode, this.fineStart + 1);
      }
      this.levelCodeHolders.set(levelCode, (this.levelCodeHolders.get(levelCode) ?? 0) + 1);
    }
    code.forEach((tok, l) => {
      let info = this.tokenIndex.get(tok);
      if (!info) {
        info = { token: tok, level: l, members: 0 };
        this.codebook.tokens.push(info);
        this.tokenIndex.set(tok, info);
      }
      info.members++;
    });
    this.codebook.codes[key] = code;
    return code;
  }

  private nearest(level: number, x: Float32Array, allowed?: Set<string>): TokenInfo {
    const { tokens, centroids } = this.levels[level];
    let best = Infinity;
    let arg = -1;
    for (let j = 0; j < tokens.length; j++) {
      if (allowed && !allowed.has(tokens[j].token)) continue;
      let s = 0;
      for (let d = 0; d < this.dim; d++) {
        const v = x[d] - centroids[j * this.dim + d];
        s += v * v;
      }
      if (s < best) {
        best = s;
        arg = j;
      }
    }
    if (arg < 0) throw new MetaIdError(`cold start: no level-${level} centroid to compare with`);
    return tokens[arg];
  }
}

function parseFine(token: string | undefined): number | undefined {
  const m = token ? /^<(\d+)>$/.exec(token) : null;
  return m ? Number(m[1]) : undefined;
}

/** Codes every row of `newEntities` (a table of vectors for entities not yet coded); returns key → code. */
export function codeNewEntities(codebook: ClustererCodebook, newEntities: EmbeddingTable): Record<string, string[]> {
  const coder = new ColdStartCoder(codebook);
  const out: Record<string, string[]> = {};
  newEntities.ids.forEach((id, i) => {
    out[id] = coder.code(id, newEntities.vectors.subarray(i * newEntities.dim, (i + 1) * newEntities.dim));
  });
  return out;
}

export interface ColdStartVector {
  vector: Float32Array;
  /** Neighbours whose vectors were averaged. */
  used: string[];
  /** Neighbours not in the table (reported, not silently dropped). */
  missing: string[];
}

/**
 * A vector for a new entity from the entities it interacted with: the mean of
 * their vectors (each L2-normalised first under cosine, so a long vector
 * does not dominate), optionally weighted (e.g. by interaction count).
 */
export function coldStartVector(
  table: EmbeddingTable,
  neighbours: readonly string[],
  options: { metric?: 'cosine' | 'euclidean'; weights?: readonly number[] } = {},
): ColdStartVector {
  const index = new Map(table.ids.map((id, i) => [id, i]));
  const dim = table.dim;
  const out = new Float64Array(dim);
  const used: string[] = [];
  const missing: string[] = [];
  let total = 0;
  neighbours.forEach((key, n) => {
    const i = index.get(key);
    if (i === undefined) {
      missing.push(key);
      return;
    }
    const w = options.weights?.[n] ?? 1;
    const row = table.vectors.subarray(i * dim, (i + 1) * dim);
    let scale = w;
    if ((options.metric ?? 'cosine') === 'cosine') {
      let s = 0;
      for (let d = 0; d < dim; d++) s += row[d] * row[d];
      if (s === 0) return void missing.push(key);
      scale = w / Math.sqrt(s);
    }
    for (let d = 0; d < dim; d++) out[d] += row[d] * scale;
    total += w;
    used.push(key);
  });
  if (used.length === 0 || total === 0) {
    throw new MetaIdError(`cold start: none of the ${neighbours.length} neighbours has a vector (${neighbours.slice(0, 5).join(', ')}${neighbours.length > 5 ? ', …' : ''})`);
  }
  return { vector: Float32Array.from(out, (v) => v / total), used, missing };
}
