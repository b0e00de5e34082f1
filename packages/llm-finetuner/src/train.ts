/**
 * The training loop, top to bottom: per epoch, sample the task mixture and
 * templates, bucket by length, and for each batch take one AdamW step on the
 * token cross-entropy; evaluate validation NDCG@10 with constrained beam
 * search for early stopping; checkpoint every N steps and at the end.
 *
 * Exact resume: everything random is a pure function of (seed, epoch) for the
 * data order and (seed, step) for dropout, so a run restored from a checkpoint
 * (weights, AdamW moments, step, epoch, batch within the epoch) replays the
 * same batches with the same masks as an uninterrupted run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, Rng, type TaskName } from '@meta-id/core';
import { AdamW, type AdamWOptions } from './adamw.js';
import { bucketedBatches, makeBatch } from './batching.js';
import { restoreCheckpoint, saveCheckpoint, type TrainerState } from './checkpoint.js';
import { recommend } from './generate.js';
import type { T5Model } from './model.js';
import { TEMPLATES, type EncodedExample, type PromptEncoder, type PromptSource } from './prompts.js';
import type { ItemTrie } from './trie.js';
import { join } from 'node:path';

export interface TrainOptions extends AdamWOptions {
  /** Passes over the training sources. Default 10. */
  epochs?: number;
  /** Examples per batch. Default 64. */
  batchSize?: number;
  /** Batches per length-sorted window (see bucketedBatches). Default 50. */
  bucketBatches?: number;
  /** Expected uses of each source of a task per epoch (e.g. 0.3 = a random 30%, 2 = twice). Default 1 for every task. */
  taskWeights?: Partial<Record<TaskName, number>>;
  /** Seed of data order, template choice and dropout. Default 42. */
  seed?: number;
  /** Folder for checkpoints (`last/`, `best/`). Default: none. */
  checkpointDir?: string;
  /** Save `last/` every this many steps (0 = only at the end). Default 1000. */
  checkpointEvery?: number;
  /** Continue from this checkpoint folder (a `last/` or `best/` written by this trainer). */
  resumeFrom?: string;
  /** Evaluate validation NDCG@10 every this many steps (0 = at the end of each epoch). Default 0. */
  evalEvery?: number;
  /** Stop after this many evaluations without improvement (0 = never). Default 3. */
  patience?: number;
  /** Stop (and checkpoint) after this many steps in total; for tests and time-boxed runs. */
  maxSteps?: number;
  /** Stop (and checkpoint) after this many minutes of wall time in this process. */
  maxMinutes?: number;
  /** Put the best validated weights back at the end. Default true. */
  restoreBest?: boolean;
  /** Progress line every this many steps (and at least every 30 s). Default 100. */
  logEvery?: number;
  /** Where progress goes. Default stderr. */
  log?: (line: string) => void;
}

/** Validation for early stopping: ranking sources (second-last item) and the item trie. */
export interface ValidationSet {
  sources: PromptSource[];
  trie: ItemTrie;
  /** Template of the validation prompts. Default 0 (the first training template; the held-out one is kept for test). */
  templateIndex?: number;
  /** Beam size. Default 10. */
  beamSize?: number;
  /** Items to exclude per source (same order as sources). */
  exclude?: (readonly number[] | undefined)[];
}

export interface TrainResult {
  state: TrainerState;
  /** Mean loss of the last logged window. */
  lastLoss: number;
  tokensPerSecond: number;
  seconds: number;
}

/** A 32-bit seed from (seed, a, b) via splitmix32, so each epoch / step has its own reproducible stream. */
export function mixSeed(seed: number, a: number, b = 0): number {
  let x = (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** The examples of one epoch: task mixture sampled, one random training template per source. */
export function epochExamples(sources: readonly PromptSource[], encoder: PromptEncoder, rng: Rng, taskWeights: Partial<Record<TaskName, number>> = {}): EncodedExample[] {
  const out: EncodedExample[] = [];
  for (const s of sources) {
    const w = taskWeights[s.task] ?? 1;
    let copies = Math.floor(w);
    if (rng.next() < w - copies) copies++;
    for (let c = 0; c < copies; c++) out.push(encoder.encode(s, rng.int(TEMPLATES[s.task].train.length)));
  }
  return out;
}

/** NDCG@10 and HR@10 of ranking `sources` (targets = `source.item`). */
export function validate(model: T5Model, encoder: PromptEncoder, validation: ValidationSet): { ndcg10: number; hr10: number } {
  const inputs = validation.sources.map((s) => encoder.encode(s, validation.templateIndex ?? 0).input);
  const recs = recommend(model, inputs, validation.trie, { beamSize: validation.beamSize ?? 10, topK: 10, exclude: validation.exclude });
  let ndcg = 0;
  let hits = 0;
  recs.forEach((r, i) => {
    const rank = r.items.indexOf(validation.sources[i].item);
    if (rank >= 0) {
      hits++;
      ndcg += 1 / Math.log2(rank + 2);
    }
  });
  const n = Math.max(1, recs.length);
  return { ndcg10: ndcg / n, hr10: hits / n };
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

/**
 * Fine-tunes `model` on `sources` (from {@link trainingSources}).
 *
 * @example
 * const sources = trainingSources(split, { tasks: ['sequential', 'direct'] });
 * const result = await trainModel(model, encoder, sources, { epochs: 5, batchSize: 64 }, validation);
 */
export async function trainModel(
  model: T5Model,
  encoder: PromptEncoder,
  sources: readonly PromptSource[],
  options: TrainOptions = {},
  validation?: ValidationSet,
): Promise<TrainResult> {
  const o = { epochs: 10, batchSize: 64, bucketBatches: 50, seed: 42, checkpointEvery: 1000, evalEvery: 0, patience: 3, restoreBest: true, logEvery: 100, ...options };
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) throw new ConfigError('batchSize', 'must be an integer ≥ 1', o.batchSize);
  if (sources.length === 0) throw new ConfigError('sources', 'no training examples (is the training split empty?)');
  const padId = model.config.padTokenId;

  // Steps per epoch from the expected mixture size, fixed for the schedule.
  const expected = sources.reduce((n, s) => n + (o.taskWeights?.[s.task] ?? 1), 0);
  const stepsPerEpoch = Math.ceil(expected / o.batchSize);
  const optimizer = new AdamW({ ...o, totalSteps: o.totalSteps ?? stepsPerEpoch * o.epochs });
  let state: TrainerState = {
    step: 0, epoch: 0, batchInEpoch: 0, seed: o.seed, totalSteps: optimizer.options.totalSteps,
    bestScore: -Infinity, bestStep: -1, badEvaluations: 0, history: [], done: false,
  };
  if (o.resumeFrom) {
    state = restoreCheckpoint(o.resumeFrom, model, optimizer);
    (optimizer.options as { totalSteps: number }).totalSteps = state.totalSteps;
    log(`[train] resumed from ${o.resumeFrom} at step ${state.step} (epoch ${state.epoch + 1}, batch ${state.batchInEpoch})`);
  }
  const names = model.trainableNames();
  const vars = names.map((n) => model.weights.get(n)!);
  let best: Map<string, tf.Tensor> | undefined;
  const t0 = performance.now();
  let windowLoss = 0;
  let windowSteps = 0;
  let windowTokens = 0;
  let windowStart = performance.now();
  let lastLoss = NaN;
  let tokensPerSecond = 0;
  let lastLog = performance.now();
  let lastLr = 0;
  const checkpoint = (which: 'last' | 'best') => o.checkpointDir && saveCheckpoint(join(o.checkpointDir, which), model, optimizer, state);

  const evaluate = () => {
    if (!validation) return false;
    const started = performance.now();
    const { ndcg10, hr10 } = validate(model, encoder, validation);
    state.history.push([state.step, ndcg10]);
    const improved = ndcg10 > state.bestScore;
    if (improved) {
      state.bestScore = ndcg10;
      state.bestStep = state.step;
      state.badEvaluations = 0;
      best?.forEach((t) => t.dispose());
      best = new Map(names.map((n) => [n, tf.clone(model.weights.get(n)!)]));
      checkpoint('best');
    } else state.badEvaluations++;
    log(`[train] validation step ${state.step}: NDCG@10 ${ndcg10.toFixed(4)} HR@10 ${hr10.toFixed(4)} (best ${state.bestScore.toFixed(4)} at ${state.bestStep}; ${((performance.now() - started) / 1000).toFixed(0)} s)`);
    return o.patience > 0 && state.badEvaluations >= o.patience;
  };

  let stop = state.done;
  while (!stop && state.epoch < o.epochs) {
    const rng = new Rng(mixSeed(o.seed, state.epoch));
    const batches = bucketedBatches(epochExamples(sources, encoder, rng, o.taskWeights), o.batchSize, rng, o.bucketBatches);
    for (let b = state.batchInEpoch; b < batches.length && !stop; b++) {
      const batch = makeBatch(batches[b], padId);
      model.dropoutSeed = mixSeed(o.seed, state.step, 1);
      const loss = tf.tidy(() => {
        const inputs = tf.tensor2d(batch.inputs, [batch.size, batch.inputLength], 'int32');
        const targets = tf.tensor2d(batch.targets, [batch.size, batch.targetLength], 'int32');
        const { value, grads } = tf.variableGrads(() => model.loss(inputs, targets, true), vars);
        // variableGrads keys gradients by tfjs variable name; the optimiser speaks parameter names.
        const named: Record<string, tf.Tensor> = {};
        vars.forEach((v, i) => (named[names[i]] = grads[v.name]));
        lastLr = optimizer.apply(model.weights, named).lr;
        return value.dataSync()[0];
      });
      if (!Number.isFinite(loss)) throw new ConfigError('lr', `loss became ${loss} at step ${state.step + 1}; lower the learning rate`, optimizer.options.lr);
      state.step++;
      state.batchInEpoch = b + 1;
      windowLoss += loss;
      windowSteps++;
      windowTokens += batch.tokens;

      const now = performance.now();
      if (windowSteps >= o.logEvery || now - lastLog > 30_000 || b === batches.length - 1) {
        lastLoss = windowLoss / windowSteps;
        tokensPerSecond = windowTokens / ((now - windowStart) / 1000);
        const elapsed = (now - t0) / 1000;
        const stepsLeft = Math.min(o.maxSteps ?? Infinity, stepsPerEpoch * o.epochs) - state.step;
        const perStep = (now - windowStart) / 1000 / windowSteps;
        log(`[train] step ${state.step}/${stepsPerEpoch * o.epochs} epoch ${state.epoch + 1}/${o.epochs} loss ${lastLoss.toFixed(4)} lr ${lastLr.toExponential(2)} ${tokensPerSecond.toFixed(0)} tok/s elapsed ${formatDuration(elapsed)} left ~${formatDuration(stepsLeft * perStep)}`);
        windowLoss = windowSteps = windowTokens = 0;
        windowStart = lastLog = now;
      }
      if (o.evalEvery > 0 && state.step % o.evalEvery === 0) stop = evaluate();
      if (o.checkpointEvery > 0 && state.step % o.checkpointEvery === 0) checkpoint('last');
      if ((o.maxSteps !== undefined && state.step >= o.maxSteps) || (o.maxMinutes !== undefined && (performance.now() - t0) / 60000 >= o.maxMinutes)) {
        log(`[train] stopping at step ${state.step} (${o.maxSteps !== undefined && state.step >= o.maxSteps ? 'maxSteps' : 'maxMinutes'} reached)`);
        checkpoint('last');
        return finish(false);
      }
      await new Promise((r) => setImmediate(r));
    }
    if (!stop) {
      state.epoch++;
      state.batchInEpoch = 0;
      if (o.evalEvery === 0) stop = evaluate();
    }
  }
  state.done = true;
  if (stop) log(`[train] early stop: no validation gain in ${o.patience} evaluations (best NDCG@10 ${state.bestScore.toFixed(4)} at step ${state.bestStep})`);
  checkpoint('last');
  return finish(true);

  function finish(restore: boolean): TrainResult {
    if (restore && o.restoreBest && best) {
      for (const n of names) model.weights.get(n)!.assign(best.get(n)!);
      log(`[train] restored best weights (step ${state.bestStep}, NDCG@10 ${state.bestScore.toFixed(4)})`);
    }
    best?.forEach((t) => t.dispose());
    optimizer.dispose();
    return { state, lastLoss, tokensPerSecond, seconds: (performance.now() - t0) / 1000 };
  }
}
