/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR
 * 2019) with global-norm gradient clipping and a linear warm-up then linear
 * decay schedule (HF `get_linear_schedule_with_warmup`). Moments live in
 * named tensors so a checkpoint can save and restore them exactly.
 */
import * as tf from '@tensorflow/tfjs-core';
import { requireOption } from '@meta-id/core';

export interface AdamWOptions {
  /** Peak learning rate. Default 1e-3. */
  lr?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay, not applied to norms and position biases. Default 0.01. */
  weightDecay?: number;
  /** Clip the global gradient norm to this (0 = off). Default 1.0. */
  clipNorm?: number;
  /** Steps of linear warm-up from 0. Default 100. */
  warmupSteps?: number;
  /** Step at which the linear decay reaches `lr × minLrRatio`. Required for decay; default: no decay. */
  totalSteps?: number;
  /** Final fraction of the peak rate. Default 0. */
  minLrRatio?: number;
}

type Resolved = Required<Omit<AdamWOptions, 'totalSteps'>> & { totalSteps: number };

export function resolveAdamW(o: AdamWOptions = {}): Resolved {
  const r = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 1.0, warmupSteps: 100, minLrRatio: 0, totalSteps: 0, ...o };
  requireOption(r.lr > 0, 'lr', 'must be > 0', r.lr);
  requireOption(r.beta1 >= 0 && r.beta1 < 1 && r.beta2 >= 0 && r.beta2 < 1, 'beta1/beta2', 'must be in [0, 1)', [r.beta1, r.beta2]);
  requireOption(r.warmupSteps >= 0, 'warmupSteps', 'must be ≥ 0', r.warmupSteps);
  return r;
}

/** Learning rate at 1-based `step`: linear warm-up, then linear decay to `lr × minLrRatio` at `totalSteps`. */
export function learningRate(step: number, o: Resolved): number {
  if (o.warmupSteps > 0 && step <= o.warmupSteps) return (o.lr * step) / o.warmupSteps;
  if (!o.totalSteps || o.totalSteps <= o.warmupSteps) return o.lr;
  const progress = Math.min(1, (step - o.warmupSteps) / (o.totalSteps - o.warmupSteps));
  return o.lr * (1 - progress * (1 - o.minLrRatio));
}

/** Norms and relative-position tables are not decayed (as common T5 fine-tuning recipes). */
export function decays(name: string): boolean {
  return !/layer_norm|relative_attention_bias/.test(name);
}

/** The per-step constants of one AdamW update. */
export interface AdamWStepCoefficients {
  beta1: number;
  beta2: number;
  eps: number;
  /** Learning rate of this step. */
  lr: number;
  /** Multiplier of the weights before the update: `1 - lr · weightDecay`, or 1 for undecayed tensors. */
  decay: number;
  /** Gradient multiplier from clipping (1 = no clipping). */
  gradScale: number;
  /** Bias corrections `1 - beta1^t` and `1 - beta2^t`. */
  bc1: number;
  bc2: number;
}

/**
 * One AdamW update of one tensor, in place on the moments `m` and `v`;
 * returns the new weights (`param` is left untouched: it may be a view of
 * tfjs's own buffer).
 */
export function adamwUpdate(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, c: AdamWStepCoefficients): Float32Array {
  const out = new Float32Array(param.length);
  const { beta1, beta2, eps, lr, decay, gradScale, bc1, bc2 } = c;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * gradScale;
    const mi = (m[i] = beta1 * m[i] + (1 - beta1) * g);
    const vi = (v[i] = beta2 * v[i] + (1 - beta2) * g * g);
    out[i] = param[i] * decay - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
  return out;
}

/**
 * The optimiser. Departure from a per-tensor tfjs update (~14 kernels per
 * parameter tensor, ~830 per step for the small model): each gradient is
 * read once, the global norm and the whole update run in one JS pass over
 * plain arrays, and each weight is written back once. At this model size
 * tfjs-node spends far more on dispatching a kernel than on its arithmetic,
 * so this cut a third of the kernels of a training step.
 */
export class AdamW {
  readonly options: Resolved;
  /** Number of updates applied. */
  step = 0;
  /** First moments by parameter name (same length as the parameter). */
  readonly m = new Map<string, Float32Array>();
  /** Second moments by parameter name. */
  readonly v = new Map<string, Float32Array>();

  constructor(options: AdamWOptions = {}) {
    this.options = resolveAdamW(options);
  }

  /**
   * One update of `vars` with `grads` (same names). Returns the global
   * gradient norm before clipping and the learning rate used.
   */
  apply(vars: Map<string, tf.Variable>, grads: Record<string, tf.Tensor>): { gradNorm: number; lr: number } {
    const o = this.options;
    this.step++;
    const lr = learningRate(this.step, o);
    const names = Object.keys(grads).sort();
    const g = names.map((n) => grads[n].dataSync() as Float32Array);
    let squares = 0;
    for (const a of g) for (let i = 0; i < a.length; i++) squares += a[i] * a[i];
    const gradNorm = Math.sqrt(squares);
    const gradScale = o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / gradNorm : 1;
    const bc1 = 1 - o.beta1 ** this.step;
    const bc2 = 1 - o.beta2 ** this.step;
    names.forEach((name, k) => {
      const p = vars.get(name)!;
      let m = this.m.get(name);
      let v = this.v.get(name);
      if (!m || !v) {
        m = new Float32Array(p.size);
        v = new Float32Array(p.size);
        this.m.set(name, m);
        this.v.set(name, v);
      }
      const decay = decays(name) && o.weightDecay > 0 ? 1 - lr * o.weightDecay : 1;
      const next = adamwUpdate(p.dataSync() as Float32Array, g[k], m, v, { beta1: o.beta1, beta2: o.beta2, eps: o.eps, lr, decay, gradScale, bc1, bc2 });
      tf.tidy(() => p.assign(tf.tensor(next, p.shape, 'float32')));
    });
    return { gradNorm, lr };
  }

  dispose(): void {
    this.m.clear();
    this.v.clear();
  }
}
