/**
 * Loading a local Hugging Face T5 checkpoint (`config.json` +
 * `model.safetensors` or a sharded `model.safetensors.index.json`, and
 * `tokenizer.json`) by name mapping, and writing our model in that layout.
 * HF names are kept; `nn.Linear` weights (`[out, in]`) are transposed to our
 * `[in, out]`; `encoder.embed_tokens` / `decoder.embed_tokens` are the tied
 * copies of `shared` and are skipped. Nothing is downloaded: a user points at
 * a folder they have (e.g. a clone of google-t5/t5-small).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DataFormatError, MetaIdError } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import { HfTokenizer } from '@meta-id/vocab-extender';
import { validateConfig, type T5Config } from './config.js';
import { T5Model } from './model.js';
import { decodeTensorDict, encodeTensorDict, type NamedArray, type TensorDict } from './safetensors.js';

/** T5Config from an HF config.json object (HF defaults where a key is absent). */
export function configFromHf(hf: Record<string, unknown>, source = 'config.json'): T5Config {
  const get = <T>(key: string, fallback?: T): T => {
    const v = hf[key];
    if (v === undefined || v === null) {
      if (fallback === undefined) throw new DataFormatError({ source, column: key }, 'missing key');
      return fallback;
    }
    return v as T;
  };
  const proj = get<string>('feed_forward_proj', 'relu');
  if (proj !== 'relu' && proj !== 'gated-gelu') throw new DataFormatError({ source, column: 'feed_forward_proj' }, 'unsupported (want relu or gated-gelu)', proj);
  const numLayers = get<number>('num_layers');
  const config: T5Config = {
    vocabSize: get<number>('vocab_size'),
    dModel: get<number>('d_model'),
    dKv: get<number>('d_kv'),
    numHeads: get<number>('num_heads'),
    dFf: get<number>('d_ff'),
    numLayers,
    numDecoderLayers: get<number>('num_decoder_layers', numLayers),
    relativeAttentionNumBuckets: get<number>('relative_attention_num_buckets', 32),
    relativeAttentionMaxDistance: get<number>('relative_attention_max_distance', 128),
    dropoutRate: get<number>('dropout_rate', 0.1),
    layerNormEpsilon: get<number>('layer_norm_epsilon', 1e-6),
    feedForwardProj: proj,
    tieWordEmbeddings: get<boolean>('tie_word_embeddings', true),
    decoderStartTokenId: get<number>('decoder_start_token_id', 0),
    padTokenId: get<number>('pad_token_id', 0),
    eosTokenId: get<number>('eos_token_id', 1),
    augmentAlpha: 0.1,
  };
  validateConfig(config);
  return config;
}

/** HF config.json keys of a config. */
export function configToHf(c: T5Config): Record<string, unknown> {
  return {
    architectures: ['T5ForConditionalGeneration'], model_type: 't5',
    vocab_size: c.vocabSize, d_model: c.dModel, d_kv: c.dKv, num_heads: c.numHeads, d_ff: c.dFf,
    num_layers: c.numLayers, num_decoder_layers: c.numDecoderLayers,
    relative_attention_num_buckets: c.relativeAttentionNumBuckets, relative_attention_max_distance: c.relativeAttentionMaxDistance,
    dropout_rate: c.dropoutRate, layer_norm_epsilon: c.layerNormEpsilon, feed_forward_proj: c.feedForwardProj,
    tie_word_embeddings: c.tieWordEmbeddings, decoder_start_token_id: c.decoderStartTokenId,
    pad_token_id: c.padTokenId, eos_token_id: c.eosTokenId, is_encoder_decoder: true,
  };
}

/** Is this HF tensor an `nn.Linear` weight (stored `[out, in]`)? */
function isLinear(name: string): boolean {
  return /\.(q|k|v|o|wi|wi_0|wi_1|wo)\.weight$/.test(name) || name === 'lm_head.weight';
}

function transpose2d(t: NamedArray): NamedArray {
  const [rows, cols] = t.shape;
  const out = new Float32Array(rows * cols);
  const src = t.data;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return { dtype: 'float32', shape: [cols, rows], data: out };
}

function readWeights(dir: string): TensorDict {
  const single = join(dir, 'model.safetensors');
  if (existsSync(single)) return decodeTensorDict(readFileSync(single), single).tensors;
  const index = join(dir, 'model.safetensors.index.json');
  if (!existsSync(index)) throw new MetaIdError(`no model.safetensors or model.safetensors.index.json in ${dir} (PyTorch .bin checkpoints are not read: convert them to safetensors)`);
  const map = JSON.parse(readFileSync(index, 'utf8')).weight_map as Record<string, string>;
  const out: TensorDict = new Map();
  for (const file of new Set(Object.values(map))) {
    const path = join(dir, file);
    for (const [k, v] of decodeTensorDict(readFileSync(path), path).tensors) out.set(k, v);
  }
  return out;
}

/**
 * Loads a local HF T5 folder: the model, and its tokenizer when
 * `tokenizer.json` is there.
 *
 * @example
 * const { model, tokenizer } = loadHfT5('/models/t5-small');
 * console.log(model.parameterCount, tokenizer?.vocabulary.tokens.length);
 */
export function loadHfT5(dir: string): { model: T5Model; tokenizer?: HfTokenizer; unused: string[] } {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new MetaIdError(`no config.json in ${dir}`);
  const config = configFromHf(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
  const tensors = readWeights(dir);
  const model = new T5Model(config, { init: false });
  const shapes = expectedShapes(config);
  const unused: string[] = [];
  for (const [name, raw] of tensors) {
    if (name === 'encoder.embed_tokens.weight' || name === 'decoder.embed_tokens.weight') continue;
    if (name === 'lm_head.weight' && config.tieWordEmbeddings) {
      unused.push(name);
      continue;
    }
    if (!shapes.has(name)) {
      unused.push(name);
      continue;
    }
    const t = isLinear(name) ? transpose2d(raw) : raw;
    model.weights.set(name, tf.variable(tf.tensor(t.data, t.shape, 'float32'), true));
  }
  checkComplete(model, shapes, configPath);
  let tokenizer: HfTokenizer | undefined;
  const tokPath = join(dir, 'tokenizer.json');
  if (existsSync(tokPath)) {
    const cfgPath = join(dir, 'tokenizer_config.json');
    const tconfig = existsSync(cfgPath) ? JSON.parse(readFileSync(cfgPath, 'utf8')) : {};
    tokenizer = HfTokenizer.fromTokenizerJson(readFileSync(tokPath, 'utf8'), { config: tconfig, source: tokPath });
  }
  return { model, tokenizer, unused };
}

/** Every parameter a freshly initialised model of this config has must have been loaded, with the same shape. */
function checkComplete(model: T5Model, shapes: Map<string, number[]>, source: string): void {
  for (const [name, shape] of shapes) {
    const w = model.weights.get(name);
    if (!w) throw new DataFormatError({ source, column: name }, 'parameter missing from the checkpoint');
    if (w.shape.join('x') !== shape.join('x')) throw new DataFormatError({ source, column: name }, `shape [${w.shape}] (after transposing Linear weights) does not match the config's [${shape}]`);
  }
}

/** Name → shape of every parameter of a config (our `[in, out]` layout). */
export function expectedShapes(c: T5Config): Map<string, number[]> {
  const inner = c.numHeads * c.dKv;
  const m = new Map<string, number[]>();
  m.set('shared.weight', [c.vocabSize, c.dModel]);
  const attention = (p: string, bias: boolean) => {
    for (const x of ['q', 'k', 'v']) m.set(`${p}.${x}.weight`, [c.dModel, inner]);
    m.set(`${p}.o.weight`, [inner, c.dModel]);
    if (bias) m.set(`${p}.relative_attention_bias.weight`, [c.relativeAttentionNumBuckets, c.numHeads]);
  };
  const ff = (p: string) => {
    if (c.feedForwardProj === 'relu') m.set(`${p}.DenseReluDense.wi.weight`, [c.dModel, c.dFf]);
    else for (const x of ['wi_0', 'wi_1']) m.set(`${p}.DenseReluDense.${x}.weight`, [c.dModel, c.dFf]);
    m.set(`${p}.DenseReluDense.wo.weight`, [c.dFf, c.dModel]);
    m.set(`${p}.layer_norm.weight`, [c.dModel]);
  };
  for (let i = 0; i < c.numLayers; i++) {
    attention(`encoder.block.${i}.layer.0.SelfAttention`, i === 0);
    m.set(`encoder.block.${i}.layer.0.layer_norm.weight`, [c.dModel]);
    ff(`encoder.block.${i}.layer.1`);
  }
  m.set('encoder.final_layer_norm.weight', [c.dModel]);
  for (let i = 0; i < c.numDecoderLayers; i++) {
    attention(`decoder.block.${i}.layer.0.SelfAttention`, i === 0);
    m.set(`decoder.block.${i}.layer.0.layer_norm.weight`, [c.dModel]);
    attention(`decoder.block.${i}.layer.1.EncDecAttention`, false);
    m.set(`decoder.block.${i}.layer.1.layer_norm.weight`, [c.dModel]);
    ff(`decoder.block.${i}.layer.2`);
  }
  m.set('decoder.final_layer_norm.weight', [c.dModel]);
  if (!c.tieWordEmbeddings) m.set('lm_head.weight', [c.dModel, c.vocabSize]);
  return m;
}

/** Writes `config.json` + `model.safetensors` in the HF layout (Linear weights `[out, in]`), for PyTorch/transformers. */
export function saveHfT5(dir: string, model: T5Model): void {
  const out: TensorDict = new Map();
  for (const name of model.trainableNames()) {
    if (name.startsWith('augment.')) continue;
    const w = model.weights.get(name)!;
    const t: NamedArray = { dtype: 'float32', shape: w.shape, data: w.dataSync() as Float32Array };
    out.set(name, isLinear(name) ? transpose2d(t) : t);
  }
  writeFileAtomic(join(dir, 'model.safetensors'), encodeTensorDict(out, { format: 'pt' }));
  writeFileAtomic(join(dir, 'config.json'), JSON.stringify(configToHf(model.config), null, 2) + '\n');
}
