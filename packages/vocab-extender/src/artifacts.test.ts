import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFormatError } from '@meta-id/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readVocabExtension, VOCAB_FILES, writeVocabExtension } from './artifacts.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { buildVocabExtension } from './pipeline.js';
import { decodeSafetensors } from './safetensors.js';
import { t5LikeTokenizer } from './test-support/fixtures.js';
import { syntheticCodebook } from './test-support/synthetic-codebook.js';
import { WordLevelTokenizer } from './word-level.js';

const root = mkdtempSync(join(tmpdir(), 'meta-id-art-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function bytesOf(a: ArrayBufferView) {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

const PROMPT = 'user_<CT1><1001> has interacted with items <CT2><1002> , <CT0><1001> .';

function wordLevelBuild() {
  const codebook = syntheticCodebook({ items: 80, users: 40, clusters: 4, dim: 6, seed: 12 });
  const tokenizer = WordLevelTokenizer.fromTexts(['user_ has interacted with items , .']);
  return { codebook, built: buildVocabExtension({ tokenizer, codebook, dim: 10, seed: 3 }) };
}

describe('vocab-extension artifacts', () => {
  it('load back bit-identical (word-level tokenizer, centroid start, projection, centroids)', () => {
    const { built } = wordLevelBuild();
    expect(built.init).toBe('centroid');
    expect(built.projection).toBeDefined();
    const dir = join(root, 'wl');
    const manifest = writeVocabExtension(dir, { ...built, metadata: { scheme: 'synthetic' } });
    expect(manifest.tensors).toEqual({
      'embeddings.weight': { dtype: 'F32', shape: [built.rows, 10] },
      'oov.token_ids': { dtype: 'I32', shape: [built.centroids.tokenIds.length] },
      'oov.centroids': { dtype: 'F32', shape: [built.centroids.tokenIds.length, 6] },
      'oov.projection.weight': { dtype: 'F32', shape: [10, 6] },
    });
    const back = readVocabExtension(dir);
    expect(bytesOf(back.embeddings).equals(bytesOf(built.embeddings))).toBe(true);
    expect(bytesOf(back.centroids!.tokenIds).equals(bytesOf(built.centroids.tokenIds))).toBe(true);
    expect(bytesOf(back.centroids!.centroids).equals(bytesOf(built.centroids.centroids))).toBe(true);
    expect(bytesOf(back.projection!.weight).equals(bytesOf(built.projection!.weight))).toBe(true);
    expect(back.tokenizer).toBeInstanceOf(WordLevelTokenizer);
    expect(back.tokenizerJson).toBe(built.tokenizer.toTokenizerJson());
    expect(back.tokenizer.vocabulary).toEqual(built.tokenizer.vocabulary);
    expect(back.tokenizer.encode(PROMPT)).toEqual(built.tokenizer.encode(PROMPT));
    expect(back.tokenizer.decode(back.tokenizer.encode(PROMPT))).toBe(PROMPT);
    expect(back.manifest.newTokens.map((t) => t.token)).toEqual(built.newTokens);
    expect(back.manifest.metadata).toMatchObject({ scheme: 'synthetic', init: 'centroid' });
    expect(back.tokenizerConfig).toMatchObject({ pad_token: '<pad>', eos_token: '</s>', unk_token: '<unk>' });
    // Writing what was read gives the same bytes.
    writeVocabExtension(join(root, 'wl2'), { ...built, tokenizer: back.tokenizer as WordLevelTokenizer, embeddings: back.embeddings, metadata: { scheme: 'synthetic' } });
    for (const f of Object.values(VOCAB_FILES)) expect(readFileSync(join(root, 'wl2', f)).equals(readFileSync(join(dir, f)))).toBe(true);
  });

  it('keeps a Hugging Face tokenizer a Hugging Face tokenizer, with the base rows untouched', () => {
    const codebook = syntheticCodebook({ items: 30, users: 0, clusters: 3, dim: 4, seed: 2 });
    const tokenizer = HfTokenizer.fromTokenizerJson(t5LikeTokenizer());
    const base = Float32Array.from({ length: 21 * 4 }, (_, i) => i / 10);
    const built = buildVocabExtension({ tokenizer, codebook, base, dim: 4, init: 'mean' });
    writeVocabExtension(join(root, 'hf'), built);
    const back = readVocabExtension(join(root, 'hf'));
    expect(back.tokenizer).toBeInstanceOf(HfTokenizer);
    expect(back.manifest.tokenizer.kind).toBe('hugging-face');
    expect(bytesOf(back.embeddings.subarray(0, base.length)).equals(bytesOf(base))).toBe(true);
    expect(back.rows).toBe(21 + codebook.tokens.length);
    for (const t of codebook.tokens) expect(back.tokenizer.tokenId(t.token)).toBe(built.tokenizer.tokenId(t.token));
  });

  it('refuses altered files with the file, tensor and difference named', () => {
    const { built } = wordLevelBuild();
    const dir = join(root, 'bad');
    writeVocabExtension(dir, built);
    const manifestPath = join(dir, VOCAB_FILES.manifest);
    const original = readFileSync(manifestPath, 'utf8');
    const withManifest = (edit: (m: Record<string, any>) => void) => {
      const m = JSON.parse(original);
      edit(m);
      writeFileSync(manifestPath, JSON.stringify(m));
    };
    withManifest((m) => (m.tensors['oov.centroids'].shape = [1, 6]));
    expect(() => readVocabExtension(dir)).toThrow(/oov.centroids.*shape \[\d+,6\], manifest says \[1,6\]/);
    withManifest((m) => (m.tensors['embeddings.weight'].dtype = 'F16'));
    expect(() => readVocabExtension(dir)).toThrow(/embeddings.weight.*dtype F32, manifest says F16/);
    withManifest((m) => delete m.tensors['oov.projection.weight']);
    expect(() => readVocabExtension(dir)).toThrow(/oov.projection.weight.*not listed in the manifest/);
    withManifest((m) => (m.tensors['extra'] = { dtype: 'F32', shape: [1] }));
    expect(() => readVocabExtension(dir)).toThrow(/extra.*missing from the file/);
    withManifest((m) => (m.format = 'something-else'));
    expect(() => readVocabExtension(dir)).toThrow(DataFormatError);
    withManifest((m) => (m.newTokens[0].id += 1));
    expect(() => readVocabExtension(dir)).toThrow(/new token .* manifest says/);
    withManifest((m) => (m.embeddings.rows = 3));
    expect(() => readVocabExtension(dir)).toThrow(/embeddings.weight/);
    writeFileSync(manifestPath, original);
    const tensorPath = join(dir, VOCAB_FILES.tensors);
    const bytes = readFileSync(tensorPath);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(tensorPath, bytes);
    expect(() => readVocabExtension(dir)).toThrow(/vocab-extension.safetensors.*SHA-256/);
    expect(() => readVocabExtension(join(root, 'nowhere'))).toThrow(/not found/);
  });

  it('writes the safetensors metadata and refuses inconsistent inputs', () => {
    const { built } = wordLevelBuild();
    const dir = join(root, 'meta');
    writeVocabExtension(dir, { ...built, metadata: { seed: '3' } });
    const file = decodeSafetensors(new Uint8Array(readFileSync(join(dir, VOCAB_FILES.tensors))));
    expect(file.metadata).toEqual({ seed: '3', format: 'meta-id.vocab-extension', init: 'centroid' });
    expect(() => writeVocabExtension(dir, { ...built, rows: built.rows - 1 })).toThrow(/values, expected rows \* dim/);
    expect(() => writeVocabExtension(dir, { ...built, newTokens: [...built.newTokens].reverse() })).toThrow(/expected row/);
  });
});

describe('buildVocabExtension', () => {
  it('checks the base matrix against rows and dim, and the tokenizer alignment', () => {
    const codebook = syntheticCodebook({ items: 10, users: 0, clusters: 2, dim: 3, seed: 1 });
    const tokenizer = WordLevelTokenizer.fromTexts(['a b']);
    expect(() => buildVocabExtension({ tokenizer, codebook, dim: 4, base: new Float32Array(7) })).toThrow(/multiple of dim/);
    expect(() => buildVocabExtension({ tokenizer, codebook, dim: 4, base: new Float32Array(8), rows: 3 })).toThrow(/rows/);
    // A base with more rows than the tokenizer has ids (t5-small's 32128 for 32100) must be cut first.
    expect(() => buildVocabExtension({ tokenizer, codebook, dim: 4, base: new Float32Array((tokenizer.size + 2) * 4) })).toThrow(/cut to the tokenizer size/);
    const built = buildVocabExtension({ tokenizer, codebook, dim: 3 });
    expect(built.baseRows).toBe(tokenizer.size);
    expect(built.rows).toBe(tokenizer.size + codebook.tokens.length);
    expect(built.projection).toBeUndefined(); // same width: identity, rescaled
  });

  it('starts random rows for a codebook without centroids (the authors\' release)', () => {
    const cb = { scheme: 'ids', dim: 0, tokens: [{ token: '<CT0>', level: 0, members: 1 }, { token: '<1001>', level: 1, members: 1 }], codes: { 'i:x': ['<CT0>', '<1001>'] } };
    const built = buildVocabExtension({ tokenizer: WordLevelTokenizer.fromTexts(['a']), codebook: cb, dim: 4, std: 0.5 });
    expect(built.init).toBe('random');
    expect(built.centroids.missingTokens).toEqual(['<CT0>', '<1001>']);
    expect(built.rows).toBe(built.tokenizer.size);
    writeVocabExtension(join(root, 'ids'), built);
    expect(readVocabExtension(join(root, 'ids')).centroids?.tokenIds.length).toBe(0);
  });
});
