/**
 * Our own checkpoints: a folder with `config.json` (the {@link T5Config}),
 * `model.safetensors` (weights in our `[in, out]` layout, HF names, plus the
 * augmentation centroids), and for training state `optimizer.safetensors`
 * (AdamW moments) and `trainer.json` (step, epoch, position in the epoch,
 * seed, early-stopping state). Files are written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DataFormatError, MetaIdError } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import { validateConfig, type T5Config } from './config.js';
import { T5Model } from './model.js';
import { AdamW } from './adamw.js';
import { decodeTensorDict, encodeTensorDict, type TensorDict } from './safetensors.js';

const AUG_IDS = 'augment.token_ids';
const AUG_CENTROIDS = 'augment.centroids';

/** Weights (and augmentation buffers) as a tensor dictionary, name-sorted. */
export function modelTensors(model: T5Model): TensorDict {
  const out: TensorDict = new Map();
  for (const name of model.trainableNames()) {
    const w = model.weights.get(name)!;
    out.set(name, { dtype: 'float32', shape: w.shape, data: w.dataSync() as Float32Array });
  }
  const aug = model.augmentation;
  if (aug) {
    out.set(AUG_IDS, { dtype: 'int32', shape: [aug.tokenIds.length], data: aug.tokenIds });
    out.set(AUG_CENTROIDS, { dtype: 'float32', shape: [aug.tokenIds.length, aug.dim], data: aug.centroids });
  }
  return out;
}

/** Writes `config.json` + `model.safetensors` into `dir`. */
export function saveModel(dir: string, model: T5Model): void {
  writeFileAtomic(join(dir, 'model.safetensors'), encodeTensorDict(modelTensors(model), { format: 'pt', producer: '@meta-id/llm-finetuner' }));
  writeFileAtomic(join(dir, 'config.json'), JSON.stringify({ format: 'meta-id-t5', ...model.config }, null, 2) + '\n');
}

/** Loads a model saved by {@link saveModel}. */
export function loadModel(dir: string): T5Model {
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new MetaIdError(`no checkpoint at ${dir} (config.json missing)`);
  const raw = JSON.parse(readFileSync(configPath, 'utf8'));
  if (raw.format !== 'meta-id-t5') throw new DataFormatError({ source: configPath }, 'not a meta-id checkpoint (for a Hugging Face folder use loadHfT5)', raw.format);
  delete raw.format;
  const config = raw as T5Config;
  validateConfig(config);
  const model = new T5Model(config, { init: false });
  const path = join(dir, 'model.safetensors');
  const { tensors } = decodeTensorDict(readFileSync(path), path);
  const ids = tensors.get(AUG_IDS);
  const centroids = tensors.get(AUG_CENTROIDS);
  for (const [name, t] of tensors) {
    if (name === AUG_IDS || name === AUG_CENTROIDS) continue;
    model.weights.set(name, tf.variable(tf.tensor(t.data, t.shape, 'float32'), true));
  }
  if (ids && centroids) model.setAugmentation(ids.data as Int32Array, centroids.data as Float32Array, centroids.shape[1]);
  return model;
}

/** Copies `source`'s weights into `model` (same names and shapes). */
export function assignWeights(model: T5Model, tensors: TensorDict, source: string): void {
  for (const name of model.trainableNames()) {
    const t = tensors.get(name);
    const w = model.weights.get(name)!;
    if (!t) throw new DataFormatError({ source, column: name }, 'parameter missing from checkpoint');
    if (t.shape.join('x') !== w.shape.join('x')) throw new DataFormatError({ source, column: name }, `shape ${t.shape} does not match the model's ${w.shape}`);
    w.assign(tf.tensor(t.data, t.shape, 'float32'));
  }
}

/** What the trainer needs to continue exactly where it stopped. */
export interface TrainerState {
  /** Optimiser updates done. */
  step: number;
  /** 0-based epoch in progress. */
  epoch: number;
  /** Batches of `epoch` already trained. */
  batchInEpoch: number;
  seed: number;
  /** Steps the learning-rate schedule decays over, fixed at the start of the run. */
  totalSteps: number;
  bestScore: number;
  bestStep: number;
  /** Evaluations since the best one (early stopping). */
  badEvaluations: number;
  /** Validation scores so far: [step, NDCG@10]. */
  history: [number, number][];
  /** True when training stopped early or finished. */
  done: boolean;
}

/** Saves model + optimiser + trainer state into `dir` (trainer.json last, so a complete file means a complete checkpoint). */
export function saveCheckpoint(dir: string, model: T5Model, optimizer: AdamW, state: TrainerState): void {
  saveModel(dir, model);
  const moments: TensorDict = new Map();
  for (const name of [...optimizer.m.keys()].sort()) {
    const shape = model.weights.get(name)?.shape ?? [optimizer.m.get(name)!.length];
    for (const [kind, table] of [['m', optimizer.m], ['v', optimizer.v]] as const) {
      moments.set(`${kind}.${name}`, { dtype: 'float32', shape, data: table.get(name)! });
    }
  }
  writeFileAtomic(join(dir, 'optimizer.safetensors'), encodeTensorDict(moments, { step: String(optimizer.step) }));
  writeFileAtomic(join(dir, 'trainer.json'), JSON.stringify(state, null, 2) + '\n');
}

/** Restores weights and optimiser moments into existing objects and returns the trainer state. */
export function restoreCheckpoint(dir: string, model: T5Model, optimizer: AdamW): TrainerState {
  const statePath = join(dir, 'trainer.json');
  if (!existsSync(statePath)) throw new MetaIdError(`no training checkpoint at ${dir} (trainer.json missing)`);
  const modelPath = join(dir, 'model.safetensors');
  assignWeights(model, decodeTensorDict(readFileSync(modelPath), modelPath).tensors, modelPath);
  const optPath = join(dir, 'optimizer.safetensors');
  const { tensors, metadata } = decodeTensorDict(readFileSync(optPath), optPath);
  optimizer.dispose();
  for (const [key, t] of tensors) {
    const kind = key.slice(0, 1);
    const name = key.slice(2);
    (kind === 'm' ? optimizer.m : optimizer.v).set(name, Float32Array.from(t.data));
  }
  optimizer.step = Number(metadata.step ?? 0);
  return JSON.parse(readFileSync(statePath, 'utf8')) as TrainerState;
}
