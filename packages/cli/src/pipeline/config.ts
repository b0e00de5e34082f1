/**
 * The run configuration of `meta-id run`: plain data (JSON or YAML), every
 * field optional with a documented default. `resolveConfig` fills defaults
 * and rejects unknown or impossible values naming the key.
 */
import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, MetaIdError, type SyntheticOptions } from '@meta-id/core';

/** Item-id schemes a run can compare. `meta-id` = learned OOV tokens; the rest are baselines. */
export type SchemeName = 'meta-id' | 'cid' | 'sequential' | 'random' | 'popularity';
export const SCHEMES: readonly SchemeName[] = ['meta-id', 'cid', 'sequential', 'random', 'popularity'];

export interface PipelineConfig {
  /** Name of the run folder under `runsDir`. Default `demo`. */
  name: string;
  /** Where run folders go. Default `runs`. */
  runsDir: string;
  /** Seed of every random step. Default 42. */
  seed: number;
  data: {
    /** `synthetic` (embedded default) or a dataset file path (P5, OpenP5, RecBole, CSV). Default `synthetic`. */
    source: string;
    /** Options of the synthetic generator (seed defaults to the run's). */
    synthetic: SyntheticOptions;
  };
  /** Schemes trained and compared on the same split with the same budget. Default `['meta-id', 'sequential', 'popularity']`. */
  schemes: SchemeName[];
  /**
   * Entity vectors made elsewhere (word2vec text/binary or .npy + .ids.txt, ids
   * `u:<raw>` / `i:<raw>`), used instead of walks + skip-gram; relative to the
   * config file. Default: none (train them).
   */
  embeddingsFile?: string;
  walks: {
    /** Meta-path schemes. Default `['U-I-U', 'I-U-I']`. */
    schemes: string[];
    /** Walks from each start node. Default 10. */
    walksPerNode: number;
    /** Nodes per walk. Default 20. */
    walkLength: number;
  };
  skipgram: {
    /** Vector size. Default 64. */
    dim: number;
    /** Context window. Default 5. */
    window: number;
    /** Negative samples. Default 5. */
    negative: number;
    /** Passes over the walks. Default 5. */
    epochs: number;
    /**
     * Worker threads. Default: every core. With 1 the embeddings (and so the
     * META ID codes) are bit-for-bit the same for a seed; with more, the
     * lock-free (Hogwild) updates race and each run differs slightly.
     */
    threads?: number;
  };
  codes: {
    /** Coarse clusters (the paper: 100 on Amazon; default 16 for the small demo data). */
    k: number;
    /** `cosine` (spherical k-means, the paper) or `euclidean`. Default `cosine`. */
    metric: 'cosine' | 'euclidean';
    /** CID: clusters per level. Default 16. */
    cidClustersPerLevel: number;
    /** CID: largest leaf. Default 64. */
    cidLeafSize: number;
  };
  model: {
    /** `small` (2 × 2 blocks, width 128) or `t5-small`. Default `small`. */
    preset: 'small' | 't5-small';
    /** Overrides of the preset's shape (dModel, numLayers, ...). */
    overrides: Record<string, number | string | boolean>;
  };
  train: {
    /** Tasks mixed in training. Default `['sequential', 'direct']`. */
    tasks: ('sequential' | 'direct')[];
    /** Passes over the training prompts. Default 10. */
    epochs: number;
    /** Examples per batch. Default 64. */
    batchSize: number;
    /** Peak learning rate. Default 1e-3. */
    learningRate: number;
    /** Wall-time cap per scheme in minutes (the same budget for every scheme). Default 3. */
    maxMinutes: number;
    /**
     * Optional cap on optimiser steps per scheme. On a shared, noisy machine a
     * step budget is the fairer "same budget" across schemes than wall time;
     * when both are set, training stops at whichever comes first. It is also
     * the length of the linear learning-rate decay. Default: none.
     */
    maxSteps?: number;
    /** Most recent history items in a prompt. Default 10. */
    maxHistory: number;
  };
  generate: {
    /** Beam size (= items returned per user). Default 20. */
    beamSize: number;
    /** Exclude items already in the user's history from recommendations. Default false (the paper's protocol). */
    excludeHistory: boolean;
  };
  evaluate: {
    /** Cut-offs. Default [5, 10, 20]. */
    ks: number[];
  };
}

export const DEFAULT_CONFIG: PipelineConfig = {
  name: 'demo',
  runsDir: 'runs',
  seed: 42,
  data: { source: 'synthetic', synthetic: {} },
  embeddingsFile: undefined,
  schemes: ['meta-id', 'sequential', 'popularity'],
  walks: { schemes: ['U-I-U', 'I-U-I'], walksPerNode: 10, walkLength: 20 },
  skipgram: { dim: 64, window: 5, negative: 5, epochs: 5, threads: undefined },
  codes: { k: 16, metric: 'cosine', cidClustersPerLevel: 16, cidLeafSize: 64 },
  model: { preset: 'small', overrides: {} },
  train: { tasks: ['sequential', 'direct'], epochs: 10, batchSize: 64, learningRate: 1e-3, maxMinutes: 3, maxSteps: undefined, maxHistory: 10 },
  generate: { beamSize: 20, excludeHistory: false },
  evaluate: { ks: [5, 10, 20] },
};

type Json = Record<string, unknown>;

/** Deep-merges `user` over `defaults`, rejecting keys the defaults do not have (typos). */
function merge(defaults: Json, user: Json, path: string): Json {
  const out: Json = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    const where = path ? `${path}.${key}` : key;
    if (!(key in defaults)) throw new ConfigError(where, `unknown key (known: ${Object.keys(defaults).join(', ')})`);
    const d = defaults[key];
    const free = where === 'data.synthetic' || where === 'model.overrides';
    if (d && typeof d === 'object' && !Array.isArray(d) && !free) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(where, 'must be an object', value);
      out[key] = merge(d as Json, value as Json, where);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Fills defaults and checks values. */
export function resolveConfig(user: Json = {}): PipelineConfig {
  const c = merge(DEFAULT_CONFIG as unknown as Json, user, '') as unknown as PipelineConfig;
  const positiveInt = (v: unknown, key: string) => {
    if (!Number.isInteger(v) || (v as number) < 1) throw new ConfigError(key, 'must be an integer ≥ 1', v);
  };
  if (!Array.isArray(c.schemes) || c.schemes.length === 0) throw new ConfigError('schemes', 'must be a non-empty list', c.schemes);
  for (const s of c.schemes) if (!SCHEMES.includes(s)) throw new ConfigError('schemes', `unknown scheme (known: ${SCHEMES.join(', ')})`, s);
  positiveInt(c.walks.walksPerNode, 'walks.walksPerNode');
  positiveInt(c.walks.walkLength, 'walks.walkLength');
  positiveInt(c.skipgram.dim, 'skipgram.dim');
  positiveInt(c.skipgram.window, 'skipgram.window');
  positiveInt(c.skipgram.epochs, 'skipgram.epochs');
  if (c.skipgram.threads !== undefined) positiveInt(c.skipgram.threads, 'skipgram.threads');
  positiveInt(c.codes.k, 'codes.k');
  positiveInt(c.train.epochs, 'train.epochs');
  positiveInt(c.train.batchSize, 'train.batchSize');
  positiveInt(c.generate.beamSize, 'generate.beamSize');
  if (c.train.maxSteps !== undefined) positiveInt(c.train.maxSteps, 'train.maxSteps');
  if (!(c.train.maxMinutes > 0)) throw new ConfigError('train.maxMinutes', 'must be > 0', c.train.maxMinutes);
  if (!['small', 't5-small'].includes(c.model.preset)) throw new ConfigError('model.preset', 'must be small or t5-small', c.model.preset);
  for (const k of c.evaluate.ks) positiveInt(k, 'evaluate.ks');
  if (Math.max(...c.evaluate.ks) > c.generate.beamSize) {
    throw new ConfigError('evaluate.ks', `largest cut-off must be ≤ generate.beamSize (${c.generate.beamSize})`, c.evaluate.ks);
  }
  return c;
}

/** Reads a JSON or YAML config file (by extension) and resolves it. */
export function loadConfig(path: string): PipelineConfig {
  if (!existsSync(path)) throw new MetaIdError(`config file not found: ${path}`);
  const text = readFileSync(path, 'utf8');
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new MetaIdError(`${path}: not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new MetaIdError(`${path}: the config must be an object`);
  try {
    return resolveConfig(data as Json);
  } catch (e) {
    if (e instanceof ConfigError) throw new MetaIdError(`${path}: ${e.message}`);
    throw e;
  }
}
