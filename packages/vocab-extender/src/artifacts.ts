/**
 * The files `meta-id extend` leaves for the fine-tuner and for other engines:
 *
 * | file | content |
 * | --- | --- |
 * | `tokenizer.json` | the extended Hugging Face tokenizer |
 * | `tokenizer_config.json` | special-token roles, for transformers' `AutoTokenizer` |
 * | `vocab-extension.safetensors` | `embeddings.weight` F32 `[rows, dim]` (row k = token k); optionally `oov.token_ids` I32 `[n]` with `oov.centroids` F32 `[n, c]`, and `oov.projection.weight` F32 `[dim, c]` (+ `oov.projection.bias` F32 `[dim]`) |
 * | `vocab-extension.json` | the manifest: names, dtypes and shapes of the tensors, the new tokens and their ids, the init, SHA-256 of the other files |
 *
 * Reading checks the manifest against the files and the tokenizer, with an
 * error that names the file, tensor and what differs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFormatError, MetaIdError } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import type { CentroidInputs, Projection } from './embeddings.js';
import type { ExtendableTokenizer } from './extend.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsDtype, type Tensor } from './safetensors.js';
import { parseTokenizerJson } from './tokenizer-json.js';
import { WordLevelTokenizer } from './word-level.js';

/** File names inside an artifact directory. */
export const VOCAB_FILES = {
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  tensors: 'vocab-extension.safetensors',
  manifest: 'vocab-extension.json',
} as const;

/** Tensor names inside `vocab-extension.safetensors`. */
export const VOCAB_TENSORS = {
  embeddings: 'embeddings.weight',
  tokenIds: 'oov.token_ids',
  centroids: 'oov.centroids',
  projection: 'oov.projection.weight',
  projectionBias: 'oov.projection.bias',
} as const;

export const MANIFEST_FORMAT = 'meta-id.vocab-extension';
export const MANIFEST_VERSION = 1;

/** The manifest JSON (`vocab-extension.json`). */
export interface VocabManifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  files: { tokenizer: string; tokenizerConfig: string; tensors: string };
  /** SHA-256 (hex) of each file, checked on reading. */
  sha256: { tokenizer: string; tokenizerConfig: string; tensors: string };
  tokenizer: { kind: 'word-level' | 'hugging-face'; size: number; padId: number; eosId: number; unkId: number };
  embeddings: { tensor: string; rows: number; dim: number; baseRows: number; init: string };
  /** Tokens that got new rows, with their ids (= rows). */
  newTokens: Array<{ token: string; id: number }>;
  centroids?: { tokenIds: string; centroids: string; dim: number; missingTokens: string[] };
  projection?: { weight: string; bias?: string; inDim: number; outDim: number };
  tensors: Record<string, { dtype: SafetensorsDtype; shape: number[] }>;
  /** Free-form strings (scheme, seed, command line, ...), also written as safetensors `__metadata__`. */
  metadata: Record<string, string>;
}

/** What {@link writeVocabExtension} writes. */
export interface VocabExtensionInput {
  tokenizer: ExtendableTokenizer;
  /** The grown matrix, row-major `[rows, dim]`. */
  embeddings: Float32Array;
  rows: number;
  dim: number;
  /** Rows of the matrix before growing. */
  baseRows: number;
  /** How the new rows were initialised (`random`, `mean`, `centroid`, ...). */
  init: string;
  /** Tokens of the new rows, in id order (`extendTokenizer(...).newTokens`). */
  newTokens: readonly string[];
  centroids?: CentroidInputs;
  projection?: Projection;
  metadata?: Record<string, string>;
}

/** What {@link readVocabExtension} returns. */
export interface VocabExtension {
  manifest: VocabManifest;
  tokenizer: WordLevelTokenizer | HfTokenizer;
  tokenizerJson: string;
  tokenizerConfig: Record<string, unknown>;
  embeddings: Float32Array;
  rows: number;
  dim: number;
  centroids?: CentroidInputs;
  projection?: Projection;
  tensors: Record<string, Tensor>;
}

/**
 * Writes the four files into `dir` (created if missing; each file atomically).
 * @throws MetaIdError when the inputs disagree (sizes, token ids).
 */
export function writeVocabExtension(dir: string, input: VocabExtensionInput): VocabManifest {
  const { tokenizer, embeddings, rows, dim } = input;
  if (embeddings.length !== rows * dim) throw new MetaIdError(`writeVocabExtension: embeddings has ${embeddings.length} values, expected rows * dim = ${rows * dim}`);
  const vocab = tokenizer.vocabulary;
  if (rows < vocab.tokens.length) throw new MetaIdError(`writeVocabExtension: ${rows} embedding rows for ${vocab.tokens.length} token ids; every id needs a row`);
  const newTokens = input.newTokens.map((token, j) => {
    const id = tokenizer.tokenId(token);
    if (id !== input.baseRows + j) throw new MetaIdError(`writeVocabExtension: new token ${JSON.stringify(token)} has id ${id}, expected row ${input.baseRows + j}`);
    return { token, id };
  });
  const tensors: Record<string, Tensor> = { [VOCAB_TENSORS.embeddings]: { dtype: 'F32', shape: [rows, dim], data: embeddings } };
  let centroids: VocabManifest['centroids'];
  if (input.centroids) {
    const c = input.centroids;
    const n = c.tokenIds.length;
    if (c.centroids.length !== n * c.dim) throw new MetaIdError(`writeVocabExtension: centroids has ${c.centroids.length} values, expected ${n} x ${c.dim}`);
    tensors[VOCAB_TENSORS.tokenIds] = { dtype: 'I32', shape: [n], data: c.tokenIds };
    tensors[VOCAB_TENSORS.centroids] = { dtype: 'F32', shape: [n, c.dim], data: c.centroids };
    centroids = { tokenIds: VOCAB_TENSORS.tokenIds, centroids: VOCAB_TENSORS.centroids, dim: c.dim, missingTokens: c.missingTokens };
  }
  let projection: VocabManifest['projection'];
  if (input.projection) {
    const p = input.projection;
    if (p.weight.length !== p.inDim * p.outDim) throw new MetaIdError(`writeVocabExtension: projection weight has ${p.weight.length} values, expected ${p.outDim} x ${p.inDim}`);
    tensors[VOCAB_TENSORS.projection] = { dtype: 'F32', shape: [p.outDim, p.inDim], data: p.weight };
    projection = { weight: VOCAB_TENSORS.projection, inDim: p.inDim, outDim: p.outDim };
    if (p.bias) {
      tensors[VOCAB_TENSORS.projectionBias] = { dtype: 'F32', shape: [p.outDim], data: p.bias };
      projection.bias = VOCAB_TENSORS.projectionBias;
    }
  }
  const metadata = { ...(input.metadata ?? {}), format: MANIFEST_FORMAT, init: input.init };
  const tensorBytes = encodeSafetensors(tensors, metadata);
  const tokenizerJson = tokenizer.toTokenizerJson();
  const configJson = JSON.stringify(tokenizer.tokenizerConfig(), null, 2);
  const manifest: VocabManifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    files: { tokenizer: VOCAB_FILES.tokenizer, tokenizerConfig: VOCAB_FILES.tokenizerConfig, tensors: VOCAB_FILES.tensors },
    sha256: { tokenizer: sha256(tokenizerJson), tokenizerConfig: sha256(configJson), tensors: sha256(tensorBytes) },
    tokenizer: {
      kind: tokenizer instanceof WordLevelTokenizer ? 'word-level' : 'hugging-face',
      size: vocab.tokens.length,
      padId: vocab.padId,
      eosId: vocab.eosId,
      unkId: vocab.unkId,
    },
    embeddings: { tensor: VOCAB_TENSORS.embeddings, rows, dim, baseRows: input.baseRows, init: input.init },
    newTokens,
    ...(centroids ? { centroids } : {}),
    ...(projection ? { projection } : {}),
    tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { dtype: t.dtype, shape: t.shape }])),
    metadata,
  };
  writeFileAtomic(join(dir, VOCAB_FILES.tokenizer), tokenizerJson);
  writeFileAtomic(join(dir, VOCAB_FILES.tokenizerConfig), configJson);
  writeFileAtomic(join(dir, VOCAB_FILES.tensors), tensorBytes);
  writeFileAtomic(join(dir, VOCAB_FILES.manifest), JSON.stringify(manifest, null, 2));
  return manifest;
}

/**
 * Reads and checks an artifact directory: the manifest's format, the files'
 * SHA-256, every tensor's name, dtype and shape against the manifest, the
 * embedding rows against the tokenizer, and the new tokens' ids.
 * @throws DataFormatError naming the file and what differs.
 */
export function readVocabExtension(dir: string): VocabExtension {
  const manifestPath = join(dir, VOCAB_FILES.manifest);
  if (!existsSync(manifestPath)) throw new MetaIdError(`no vocab-extension manifest: ${manifestPath} not found`);
  let manifest: VocabManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new DataFormatError({ source: manifestPath }, `not valid JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== MANIFEST_FORMAT) throw new DataFormatError({ source: manifestPath, column: 'format' }, `expected "${MANIFEST_FORMAT}"`, manifest?.format);
  if (manifest.version !== MANIFEST_VERSION) throw new DataFormatError({ source: manifestPath, column: 'version' }, `unsupported version (this reader knows ${MANIFEST_VERSION})`, manifest.version);
  const read = (key: 'tokenizer' | 'tokenizerConfig' | 'tensors'): Buffer => {
    const path = join(dir, manifest.files?.[key] ?? '');
    if (!manifest.files?.[key] || !existsSync(path)) throw new MetaIdError(`${manifestPath}: file "${manifest.files?.[key]}" (${key}) not found in ${dir}`);
    const bytes = readFileSync(path);
    const want = manifest.sha256?.[key];
    if (want !== undefined && sha256(bytes) !== want) {
      throw new DataFormatError({ source: path }, `SHA-256 differs from the manifest (file changed after it was written)`);
    }
    return bytes;
  };
  const tokenizerJson = read('tokenizer').toString('utf8');
  const tokenizerConfig = JSON.parse(read('tokenizerConfig').toString('utf8')) as Record<string, unknown>;
  const tensorPath = join(dir, manifest.files.tensors);
  const file = decodeSafetensors(new Uint8Array(read('tensors')), tensorPath);

  const listed = manifest.tensors ?? {};
  for (const [name, spec] of Object.entries(listed)) {
    const t = file.tensors[name];
    if (!t) throw new DataFormatError({ source: tensorPath, column: name }, 'tensor listed in the manifest is missing from the file');
    if (t.dtype !== spec.dtype) throw new DataFormatError({ source: tensorPath, column: name }, `dtype ${t.dtype}, manifest says ${spec.dtype}`);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      throw new DataFormatError({ source: tensorPath, column: name }, `shape [${t.shape}], manifest says [${spec.shape}]`);
    }
  }
  for (const name of Object.keys(file.tensors)) {
    if (!(name in listed)) throw new DataFormatError({ source: tensorPath, column: name }, 'tensor in the file is not listed in the manifest');
  }
  const tensor = (name: string, dtype: SafetensorsDtype, shape: number[]): Tensor => {
    const t = file.tensors[name];
    if (!t) throw new DataFormatError({ source: tensorPath, column: name }, 'required tensor is missing');
    if (t.dtype !== dtype) throw new DataFormatError({ source: tensorPath, column: name }, `dtype ${t.dtype}, expected ${dtype}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new DataFormatError({ source: tensorPath, column: name }, `shape [${t.shape}], expected [${shape}]`);
    }
    return t;
  };
  const { rows, dim } = manifest.embeddings;
  const emb = tensor(manifest.embeddings.tensor, 'F32', [rows, dim]);

  const tokenizerPath = join(dir, manifest.files.tokenizer);
  const parsed = parseTokenizerJson(tokenizerJson, tokenizerPath);
  const roles = {
    padToken: stringRole(tokenizerConfig.pad_token),
    eosToken: stringRole(tokenizerConfig.eos_token),
    unkToken: stringRole(tokenizerConfig.unk_token),
  };
  // A word-level file that no longer has this package's layout fails here with the part that differs.
  const tokenizer =
    manifest.tokenizer.kind === 'word-level'
      ? WordLevelTokenizer.fromTokenizerJson(parsed, roles, tokenizerPath)
      : HfTokenizer.fromTokenizerJson(parsed, { ...roles, config: tokenizerConfig, source: tokenizerPath });
  const vocab = tokenizer.vocabulary;
  const m = manifest.tokenizer;
  if (vocab.tokens.length !== m.size) throw new DataFormatError({ source: tokenizerPath }, `has ${vocab.tokens.length} ids, manifest says ${m.size}`);
  if (vocab.padId !== m.padId || vocab.eosId !== m.eosId || vocab.unkId !== m.unkId) {
    throw new DataFormatError({ source: tokenizerPath }, `special ids pad/eos/unk ${vocab.padId}/${vocab.eosId}/${vocab.unkId}, manifest says ${m.padId}/${m.eosId}/${m.unkId}`);
  }
  if (rows < vocab.tokens.length) throw new DataFormatError({ source: tensorPath, column: manifest.embeddings.tensor }, `${rows} rows for ${vocab.tokens.length} token ids`);
  for (const { token, id } of manifest.newTokens ?? []) {
    const got = tokenizer.tokenId(token);
    if (got !== id) throw new DataFormatError({ source: tokenizerPath }, `new token ${JSON.stringify(token)} has id ${got}, manifest says ${id}`);
  }
  let centroids: CentroidInputs | undefined;
  if (manifest.centroids) {
    const ids = file.tensors[manifest.centroids.tokenIds];
    const n = ids?.shape[0] ?? 0;
    const idT = tensor(manifest.centroids.tokenIds, 'I32', [n]);
    const cT = tensor(manifest.centroids.centroids, 'F32', [n, manifest.centroids.dim]);
    const tokenIds = idT.data as Int32Array;
    for (const id of tokenIds) {
      if (id < 0 || id >= rows) throw new DataFormatError({ source: tensorPath, column: manifest.centroids.tokenIds }, `token id ${id} outside 0..${rows - 1}`);
    }
    centroids = { tokenIds, centroids: cT.data as Float32Array, dim: manifest.centroids.dim, missingTokens: manifest.centroids.missingTokens ?? [] };
  }
  let projection: Projection | undefined;
  if (manifest.projection) {
    const p = manifest.projection;
    const w = tensor(p.weight, 'F32', [p.outDim, p.inDim]);
    projection = { weight: w.data as Float32Array, inDim: p.inDim, outDim: p.outDim };
    if (p.bias) projection.bias = tensor(p.bias, 'F32', [p.outDim]).data as Float32Array;
  }
  return {
    manifest,
    tokenizer,
    tokenizerJson,
    tokenizerConfig,
    embeddings: emb.data as Float32Array,
    rows,
    dim,
    ...(centroids ? { centroids } : {}),
    ...(projection ? { projection } : {}),
    tensors: file.tensors,
  };
}

/** Writes tensors to a .safetensors file (atomically). */
export function writeSafetensorsFile(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Reads a .safetensors file. */
export function readSafetensorsFile(path: string) {
  if (!existsSync(path)) throw new MetaIdError(`file not found: ${path}`);
  return decodeSafetensors(new Uint8Array(readFileSync(path)), path);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function stringRole(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return undefined;
}
