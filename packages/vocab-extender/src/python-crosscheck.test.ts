/**
 * Cross-check against Hugging Face's Rust `tokenizers` (the engine behind
 * transformers' fast tokenizers), when /usr/bin/python3 can import it
 * (set META_ID_PYTHONPATH to a private install, e.g.
 * `pip install --target /tmp/pyext tokenizers safetensors`). Skips otherwise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@meta-id/core';
import { afterAll, describe, expect, it } from 'vitest';
import { extendTokenizer, type ExtendableTokenizer } from './extend.js';
import { HfTokenizer } from './hf-tokenizer.js';
import { codeText } from './naming.js';
import { bertLikeTokenizer, gpt2LikeTokenizer, t5LikeTokenizer } from './test-support/fixtures.js';
import { pythonHas, runPython } from './test-support/python.js';
import { syntheticCodebook } from './test-support/synthetic-codebook.js';
import { WordLevelTokenizer } from './word-level.js';

const hasTokenizers = pythonHas('tokenizers');
if (!hasTokenizers) console.warn('skipping the Rust tokenizers cross-check: /usr/bin/python3 has no tokenizers module (set META_ID_PYTHONPATH)');
const dir = mkdtempSync(join(tmpdir(), 'meta-id-tok-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUST = `
import json, sys
from tokenizers import Tokenizer
t = Tokenizer.from_file(sys.argv[1])
texts = json.load(open(sys.argv[2]))
out = []
for s in texts:
    e = t.encode(s, add_special_tokens=False)
    out.append({'ids': e.ids, 'decoded': t.decode(e.ids), 'with_specials': t.encode(s).ids})
print(json.dumps(out))
`;

function compareWithRust(name: string, tok: ExtendableTokenizer, texts: string[], eosAppended: boolean) {
  const tokPath = join(dir, `${name}.json`);
  const textPath = join(dir, `${name}-texts.json`);
  writeFileSync(tokPath, tok.toTokenizerJson());
  writeFileSync(textPath, JSON.stringify(texts));
  const rust = JSON.parse(runPython(RUST, [tokPath, textPath])) as Array<{ ids: number[]; decoded: string; with_specials: number[] }>;
  texts.forEach((text, i) => {
    const ids = tok.encode(text);
    expect(ids, `${name}: ${JSON.stringify(text)}`).toEqual(rust[i].ids);
    expect(tok.decode(ids), `${name}: ${JSON.stringify(text)}`).toBe(rust[i].decoded);
    if (eosAppended) expect(rust[i].with_specials).toEqual([...ids, tok.vocabulary.eosId]);
  });
}

function randomTexts(words: string[], codes: string[][], n: number, seed: number): string[] {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    let s = '';
    const len = 1 + rng.int(10);
    for (let i = 0; i < len; i++) {
      const sep = i === 0 ? '' : rng.pick([' ', ' ', ' ', '', '  ']);
      s += sep + (rng.next() < 0.4 ? codeText(rng.pick(codes)) : rng.pick(words));
    }
    out.push(s);
  }
  return out;
}

describe.skipIf(!hasTokenizers)('Rust tokenizers agrees (ids and decoded text)', () => {
  const codebook = syntheticCodebook({ items: 60, users: 30, clusters: 5, dim: 2 });
  const codes = Object.values(codebook.codes);

  it('word-level tokenizer.json', () => {
    const base = WordLevelTokenizer.fromTexts(['user_12 has interacted with items , . What is next ?', 'item_ x']);
    const { tokenizer } = extendTokenizer(base, codebook);
    const words = ['user_12', 'has', 'items', ',', '.', '?', 'What', 'zebra', 'item_', '</s>'];
    compareWithRust('word-level', tokenizer, ['', ' items', 'x<CT1>items', ...randomTexts(words, codes, 300, 1)], true);
  });

  it('t5-small, GPT-2 and BERT layouts extended with codes', () => {
    const words = ['user_12', 'has', 'items', ',', '.', 'hi', 'there', 'playing'];
    const t5 = extendTokenizer(HfTokenizer.fromTokenizerJson(t5LikeTokenizer()), codebook).tokenizer;
    compareWithRust('t5', t5, randomTexts(words.slice(0, 5), codes, 150, 2), true);
    const gpt2 = extendTokenizer(HfTokenizer.fromTokenizerJson(gpt2LikeTokenizer(), { padToken: '<|endoftext|>' }), codebook).tokenizer;
    compareWithRust('gpt2', gpt2, randomTexts(['hi', 'there', 'hit', 'x'], codes, 150, 3), false);
    const bert = extendTokenizer(HfTokenizer.fromTokenizerJson(bertLikeTokenizer()), codebook, { check: 'encode' }).tokenizer;
    compareWithRust('bert', bert, randomTexts(words, codes, 150, 4), false);
  });

  it('tokenizer.json written by Rust after add_tokens loads here with the same ids', () => {
    const path = join(dir, 't5-rust.json');
    writeFileSync(join(dir, 't5-base.json'), JSON.stringify(t5LikeTokenizer()));
    runPython(
      `
import sys
from tokenizers import Tokenizer
t = Tokenizer.from_file(sys.argv[1])
t.add_tokens(['<CT3>', '<1001>', '<CT38>'])
t.save(sys.argv[2])
`,
      [join(dir, 't5-base.json'), path],
    );
    const fromRust = HfTokenizer.fromTokenizerJson(readFileSync(path, 'utf8'));
    const ours = HfTokenizer.fromTokenizerJson(t5LikeTokenizer());
    ours.addTokens(['<CT3>', '<1001>', '<CT38>']);
    for (const t of ['<CT3>', '<1001>', '<CT38>']) expect(fromRust.tokenId(t)).toBe(ours.tokenId(t));
    expect(fromRust.encode('items <CT3><1001> ,')).toEqual(ours.encode('items <CT3><1001> ,'));
  });
});

const hasTorch = pythonHas('torch', 'numpy');

describe.skipIf(!hasTorch)('torch (under /usr/bin/python3) uses the artifact directory', () => {
  it('an nn.Embedding built from vocab-extension.safetensors gives row k for token k', async () => {
    const { buildVocabExtension } = await import('./pipeline.js');
    const { writeVocabExtension } = await import('./artifacts.js');
    const codebook = syntheticCodebook({ items: 40, users: 10, clusters: 3, dim: 4, seed: 6 });
    const built = buildVocabExtension({ tokenizer: WordLevelTokenizer.fromTexts(['items , .']), codebook, dim: 8, seed: 1 });
    const out = join(dir, 'artifact');
    writeVocabExtension(out, built);
    const text = `items ${codeText(Object.values(codebook.codes)[0])} , .`;
    const ids = built.tokenizer.encode(text);
    const rows = JSON.parse(
      runPython(
        `
import json, struct, sys, numpy as np, torch
torch.set_num_threads(2)
raw = open(sys.argv[1] + '/vocab-extension.safetensors', 'rb').read()
n, = struct.unpack('<Q', raw[:8])
h = json.loads(raw[8:8 + n])
t = h['embeddings.weight']
b, e = t['data_offsets']
w = torch.from_numpy(np.frombuffer(raw[8 + n + b:8 + n + e], dtype='<f4').copy().reshape(t['shape']))
emb = torch.nn.Embedding.from_pretrained(w)
ids = torch.tensor(json.loads(sys.argv[2]))
print(json.dumps(emb(ids).tolist()))
`,
        [out, JSON.stringify(ids)],
      ),
    ) as number[][];
    rows.forEach((r, i) => expect(r).toEqual(Array.from(built.embeddings.subarray(ids[i] * 8, ids[i] * 8 + 8))));
  });
});

describe.skipIf(!hasTokenizers || !pythonHas('safetensors', 'numpy'))('Rust tokenizers and safetensors load the artifact directory', () => {
  it('same ids for prompts, same bytes for every tensor', async () => {
    const { buildVocabExtension } = await import('./pipeline.js');
    const { writeVocabExtension } = await import('./artifacts.js');
    const codebook = syntheticCodebook({ items: 40, users: 10, clusters: 3, dim: 4, seed: 7 });
    const built = buildVocabExtension({ tokenizer: WordLevelTokenizer.fromTexts(['user_ has interacted with items , .']), codebook, dim: 8, seed: 1 });
    const out = join(dir, 'artifact-hf');
    writeVocabExtension(out, built);
    const codes = Object.values(codebook.codes).map(codeText);
    const texts = codes.map((c, i) => `user_${c} has interacted with items ${codes[(i + 1) % codes.length]} , ${codes[(i + 2) % codes.length]} .`);
    writeFileSync(join(dir, 'prompts.json'), JSON.stringify(texts));
    const res = JSON.parse(
      runPython(
        `
import hashlib, json, sys
from tokenizers import Tokenizer
from safetensors.numpy import load_file
t = Tokenizer.from_file(sys.argv[1] + '/tokenizer.json')
texts = json.load(open(sys.argv[2]))
tensors = load_file(sys.argv[1] + '/vocab-extension.safetensors')
print(json.dumps({'ids': [t.encode(s, add_special_tokens=False).ids for s in texts],
                  'decoded': [t.decode(t.encode(s).ids) for s in texts],
                  'sha': {k: hashlib.sha256(v.tobytes()).hexdigest() for k, v in tensors.items()},
                  'shapes': {k: list(v.shape) for k, v in tensors.items()}}))
`,
        [out, join(dir, 'prompts.json')],
      ),
    );
    texts.forEach((t, i) => {
      expect(res.ids[i]).toEqual(built.tokenizer.encode(t));
      expect(res.decoded[i]).toBe(t);
    });
    const { createHash } = await import('node:crypto');
    const sha = (a: ArrayBufferView) => createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
    expect(res.sha['embeddings.weight']).toBe(sha(built.embeddings));
    expect(res.sha['oov.centroids']).toBe(sha(built.centroids.centroids));
    expect(res.sha['oov.token_ids']).toBe(sha(built.centroids.tokenIds));
    expect(res.shapes['embeddings.weight']).toEqual([built.rows, 8]);
  });
});
