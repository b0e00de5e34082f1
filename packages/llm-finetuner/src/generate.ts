/**
 * Generation: trie-constrained beam search for item recommendation (P5 /
 * META ID constrained decoding, full ranking over all items) and greedy or
 * sampled decoding for the text tasks.
 *
 * The encoder runs once per user; its cross-attention keys and values are
 * computed once and gathered for every beam at every step. Item codes are
 * short (2 tokens for META ID), so the decoder's own self-attention is
 * recomputed over the prefix at each step rather than cached.
 * Departure from HF `generate`: a beam whose code reaches a trie leaf is
 * finished at once (the eos that the trie would force adds log p(eos) ≈ 0);
 * eos is scored only where one code is a prefix of another.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, Rng } from '@meta-id/core';
import type { EncoderState, T5Model } from './model.js';
import type { ItemTrie, TrieNode } from './trie.js';

export interface RecommendOptions {
  /** Beams per user. Default 10. */
  beamSize?: number;
  /** Items returned per user (≤ beamSize). Default beamSize. */
  topK?: number;
  /** Users encoded together. Default 64. */
  batchSize?: number;
  /** Items never to return for input i (e.g. the user's history). */
  exclude?: (readonly number[] | ReadonlySet<number> | undefined)[];
  /** Called after each batch with (users done, total). */
  onProgress?: (done: number, total: number) => void;
  /** When given, wall milliseconds spent encoding, decoding and selecting beams are added to it. */
  timings?: { encode: number; decode: number; select: number };
}

export interface Recommendation {
  /** Items, best first, all distinct and valid. */
  items: number[];
  /** Sum of token log-probabilities of each item's code. */
  scores: number[];
}

/** Pads token-id rows into a `[B, L]` int32 tensor. */
export function padRows(rows: readonly ArrayLike<number>[], padId: number): tf.Tensor2D {
  const length = Math.max(1, ...rows.map((r) => r.length));
  const data = new Int32Array(rows.length * length).fill(padId);
  rows.forEach((r, i) => data.set(r as ArrayLike<number>, i * length));
  return tf.tensor2d(data, [rows.length, length], 'int32');
}

/**
 * Log-probabilities `[B·G, vocab]` of the next token after decoder prefixes
 * `decIds` (`[B·G, length]`, G consecutive rows per encoder row).
 */
function nextTokenLogProbs(model: T5Model, enc: EncoderState, decIds: Int32Array, rows: number, length: number): Float32Array {
  // The tensor leaves tidy and is read after it: tidy walks a returned value
  // looking for tensors, and a Float32Array of 10^6 scores took seconds to walk.
  const logp = tf.tidy(() => {
    const hidden = model.decode(tf.tensor2d(decIds, [rows, length], 'int32'), enc, false);
    const last = tf.reshape(tf.slice(hidden, [0, length - 1, 0], [rows, 1, model.config.dModel]), [rows, model.config.dModel]);
    return tf.logSoftmax(model.logits(last as tf.Tensor2D));
  });
  const values = logp.dataSync() as Float32Array;
  logp.dispose();
  return values;
}

interface Beam {
  tokens: number[];
  node: TrieNode;
  score: number;
}

/** Keeps the best `k` of a stream (sorted, best first). */
function pushTop<T extends { score: number }>(top: T[], x: T, k: number): void {
  if (top.length === k && x.score <= top[k - 1].score) return;
  let i = top.length;
  if (i === k) i--;
  else top.push(x);
  while (i > 0 && top[i - 1].score < x.score) {
    top[i] = top[i - 1];
    i--;
  }
  top[i] = x;
}

/**
 * Top items for each input (token ids of an encoder prompt), by beam search
 * constrained to the item trie: every result is a real item, distinct within
 * a user, sorted by score.
 *
 * @example
 * const trie = ItemTrie.fromTokens(itemCodes, tokenizer);
 * const [rec] = recommend(model, [encoder.encode(source, -1).input], trie, { beamSize: 10 });
 * console.log(rec.items, rec.scores);
 */
export function recommend(model: T5Model, inputs: readonly ArrayLike<number>[], trie: ItemTrie, options: RecommendOptions = {}): Recommendation[] {
  const beamSize = options.beamSize ?? 10;
  const topK = Math.min(options.topK ?? beamSize, beamSize);
  const batchSize = options.batchSize ?? 64;
  if (!(Number.isInteger(beamSize) && beamSize >= 1)) throw new ConfigError('beamSize', 'must be an integer ≥ 1', beamSize);
  const { padTokenId, decoderStartTokenId, eosTokenId, vocabSize } = model.config;
  const results: Recommendation[] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    let clock = performance.now();
    const timings = options.timings;
    const lap = (key: 'encode' | 'decode' | 'select') => {
      const now = performance.now();
      if (timings) timings[key] += now - clock;
      clock = now;
    };
    const enc = tf.tidy(() => {
      const e = model.encode(padRows(batch, padTokenId), false);
      return { cross: e.cross.map((kv) => ({ k: tf.keep(kv.k), v: tf.keep(kv.v) })), maskBias: tf.keep(e.maskBias) };
    });
    if (timings) enc.maskBias.dataSync();
    lap('encode');
    const excluded = batch.map((_, i) => {
      const ex = options.exclude?.[start + i];
      return ex instanceof Set ? ex : new Set(ex as readonly number[] | undefined);
    });
    let live: Beam[][] = batch.map(() => [{ tokens: [], node: trie.root, score: 0 }]);
    const finished: { item: number; score: number }[][] = batch.map(() => []);
    for (let step = 0; step <= trie.maxLength && live.some((b) => b.length); step++) {
      // Every user gets the same number of decoder rows (its beams, padded), so
      // beams fold onto their user's cross-attention keys without copies.
      const group = Math.max(...live.map((b) => b.length));
      const length = step + 1;
      const decIds = new Int32Array(batch.length * group * length).fill(padTokenId);
      live.forEach((beams, u) => {
        for (let b = 0; b < group; b++) {
          const at = (u * group + b) * length;
          decIds[at] = decoderStartTokenId;
          (beams[b] ?? beams[0])?.tokens.forEach((t, j) => (decIds[at + 1 + j] = t));
        }
      });
      const logp = nextTokenLogProbs(model, enc, decIds, batch.length * group, length);
      lap('decode');
      const nextLive: Beam[][] = batch.map(() => []);
      for (let u = 0; u < batch.length; u++) {
        const top: (Beam & { item: number })[] = [];
        for (let b = 0; b < live[u].length; b++) {
          const beam = live[u][b];
          const base = (u * group + b) * vocabSize;
          if (beam.node.item >= 0 && beam.node.children.size > 0 && !excluded[u].has(beam.node.item)) {
            pushTop(top, { tokens: beam.tokens, node: beam.node, score: beam.score + logp[base + eosTokenId], item: beam.node.item }, beamSize);
          }
          for (const [token, child] of beam.node.children) {
            const leaf = child.children.size === 0;
            if (leaf && excluded[u].has(child.item)) continue;
            const score = beam.score + logp[base + token];
            if (top.length === beamSize && score <= top[beamSize - 1].score) continue;
            pushTop(top, { tokens: [...beam.tokens, token], node: child, score, item: leaf ? child.item : -1 }, beamSize);
          }
        }
        for (const c of top) {
          if (c.item >= 0) pushTop(finished[u], { item: c.item, score: c.score }, beamSize);
          else nextLive[u].push(c);
        }
        // Scores only fall as tokens are added: a live beam below the k-th finished item cannot enter the top k.
        const f = finished[u];
        if (f.length >= topK) nextLive[u] = nextLive[u].filter((b) => b.score > f[topK - 1].score);
      }
      live = nextLive;
      lap('select');
    }
    enc.cross.forEach((kv) => tf.dispose([kv.k, kv.v]));
    enc.maskBias.dispose();
    for (const f of finished) {
      const top = f.slice(0, topK);
      results.push({ items: top.map((x) => x.item), scores: top.map((x) => x.score) });
    }
    options.onProgress?.(Math.min(start + batchSize, inputs.length), inputs.length);
  }
  return results;
}

export interface TextGenerationOptions {
  /** Longest output in tokens (eos excluded). Default 32. */
  maxLength?: number;
  /** `greedy` (default) or `sample`. */
  strategy?: 'greedy' | 'sample';
  /** Softmax temperature for sampling. Default 1. */
  temperature?: number;
  /** Sample among the k most likely tokens only (0 = all). Default 0. */
  topK?: number;
  /** Seed of sampling. Default 42. */
  seed?: number;
  /** Inputs decoded together. Default 64. */
  batchSize?: number;
}

/** Free text (rating digits, explanations) for each input, greedy or sampled; token ids without eos. */
export function generateText(model: T5Model, inputs: readonly ArrayLike<number>[], options: TextGenerationOptions = {}): number[][] {
  const maxLength = options.maxLength ?? 32;
  const strategy = options.strategy ?? 'greedy';
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  const batchSize = options.batchSize ?? 64;
  const rng = new Rng(options.seed ?? 42);
  const { padTokenId, decoderStartTokenId, eosTokenId, vocabSize } = model.config;
  const out: number[][] = [];
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const enc = tf.tidy(() => {
      const e = model.encode(padRows(batch, padTokenId), false);
      return { cross: e.cross.map((kv) => ({ k: tf.keep(kv.k), v: tf.keep(kv.v) })), maskBias: tf.keep(e.maskBias) };
    });
    const seqs: number[][] = batch.map(() => []);
    const done = batch.map(() => false);
    for (let step = 0; step < maxLength && done.some((d) => !d); step++) {
      const decIds = new Int32Array(batch.length * (step + 1));
      seqs.forEach((s, i) => {
        decIds[i * (step + 1)] = decoderStartTokenId;
        for (let j = 0; j < step; j++) decIds[i * (step + 1) + 1 + j] = s[j] ?? padTokenId;
      });
      const logp = nextTokenLogProbs(model, enc, decIds, batch.length, step + 1);
      for (let i = 0; i < batch.length; i++) {
        if (done[i]) {
          seqs[i].push(padTokenId);
          continue;
        }
        const row = logp.subarray(i * vocabSize, (i + 1) * vocabSize);
        const token = strategy === 'greedy' ? argmax(row) : sample(row, temperature, topK, rng);
        if (token === eosTokenId) done[i] = true;
        seqs[i].push(token);
      }
    }
    enc.cross.forEach((kv) => tf.dispose([kv.k, kv.v]));
    enc.maskBias.dispose();
    for (const s of seqs) {
      const end = s.indexOf(eosTokenId);
      out.push((end >= 0 ? s.slice(0, end) : s).filter((t) => t !== padTokenId));
    }
  }
  return out;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

function sample(logp: Float32Array, temperature: number, topK: number, rng: Rng): number {
  let ids = Array.from(logp.keys());
  if (topK > 0 && topK < ids.length) ids = ids.sort((a, b) => logp[b] - logp[a]).slice(0, topK);
  const max = Math.max(...ids.map((i) => logp[i]));
  const weights = ids.map((i) => Math.exp((logp[i] - max) / temperature));
  return ids[rng.weighted(weights)];
}
