/** The programs in docs/examples run here, so the documentation cannot rot. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entityKey, generateSyntheticDataset, Rng } from '@meta-id/core';
import { saveEmbeddings } from '@meta-id/interaction-embedder';

// Loaded by path at run time: the examples import the built @meta-id/* packages, this one included,
// and are type-checked by their own tsconfig (docs/examples/tsconfig.json).
const examples = join(__dirname, '../../../docs/examples');
const { composeMetaId } = (await import(join(examples, 'compose.ts'))) as typeof import('../../../docs/examples/compose');
const { lshScheme, runWithSwappedStages } = (await import(join(examples, 'swap-stage.ts'))) as typeof import('../../../docs/examples/swap-stage');

describe('docs/examples', () => {
  it('compose.ts: the method as a short program yields ranking metrics', async () => {
    const m = await composeMetaId({ users: 150, items: 60, k: 4, minutes: 0.1 });
    for (const key of ['HR@5', 'NDCG@5', 'HR@10', 'NDCG@10']) {
      expect(m[key]).toBeGreaterThanOrEqual(0);
      expect(m[key]).toBeLessThanOrEqual(1);
    }
    expect(m['NDCG@10']).toBeLessThanOrEqual(m['HR@10']);
  }, 180_000);

  it('swap-stage.ts: a custom code scheme and vectors from a word2vec file made elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-swap-'));
    // Stand-in for a gensim output: random vectors for every user and item, in word2vec text format.
    const data = generateSyntheticDataset({ seed: 5, users: 120, items: 48, categories: 4, communities: 4, maxLength: 8 });
    const ids = [...data.users.ids.map((u) => entityKey('user', u)), ...data.items.ids.map((i) => entityKey('item', i))];
    const rng = new Rng(9);
    const file = join(dir, 'vectors.vec');
    saveEmbeddings(file, { ids, dim: 8, vectors: Float32Array.from({ length: ids.length * 8 }, () => rng.normal()) });
    const result = await runWithSwappedStages(join(dir, 'runs'), file);
    const codebook = JSON.parse(
      (await import('node:fs')).readFileSync(join(result.runDir, 'codes/meta-id/codebook.json'), 'utf8'),
    ) as { codes: Record<string, string[]> };
    expect(codebook.codes[ids[0]][0]).toMatch(/^<LSH\d>$/); // our scheme ran, not the built-in one
    expect(Object.keys(codebook.codes).length).toBe(ids.length);
    expect(result.metrics['meta-id']['HR@10']).toBeGreaterThanOrEqual(0);
    expect(lshScheme.name).toBe('lsh');
  }, 180_000);
});
