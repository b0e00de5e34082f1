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

export class AdamW {
  readonly options: Resolved;
  /** Number of updates applied. */
  step = 0;
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

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
    const gradNorm = tf.tidy(() => Math.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))).dataSync()[0]));
    const scale = o.clipNorm > 0 && gradNorm > o.clipNorm ? o.clipNorm / gradNorm : 1;
    const bc1 = 1 - o.beta1 ** this.step;
    const bc2 = 1 - o.beta2 ** this.step;
    tf.tidy(() => {
      for (const name of names) {
        const p = vars.get(name)!;
        let m = this.m.get(name);
        let v = this.v.get(name);
        if (!m || !v) {
          m = tf.variable(tf.zerosLike(p), false);
          v = tf.variable(tf.zerosLike(p), false);
          this.m.set(name, m);
          this.v.set(name, v);
        }
        const g = scale === 1 ? grads[name] : tf.mul(grads[name], scale);
        m.assign(tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1)));
        v.assign(tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2)));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), o.eps));
        const decayed = decays(name) && o.weightDecay > 0 ? tf.mul(p, 1 - lr * o.weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
    return { gradNorm, lr };
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
