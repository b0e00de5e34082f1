/**
 * gpu.js backend of the skip-gram batch kernel. gpu.js kernels write dense
 * outputs and cannot scatter, so the work is split: a gpu.js kernel scores
 * every (pair, target) row (B·(K+1) dot products), JS turns scores into
 * gradient scales, a second gpu.js kernel forms the input-row gradients
 * dX = g·T (B × dim), and JS scatters both updates into the weights.
 * Modes: `gpu` (needs a GL context: headless-gl), `webasm`, `async`, `cpu`.
 */
import { gatherRows, scatterUpdates, scoresToGradients } from './shared.js';
import { checkSkipGramArgs, type SkipGramBatchKernel } from './types.js';

export type SkipGramGpuJsMode = 'gpu' | 'webasm' | 'async' | 'cpu';

type GpuKernel = ((...a: unknown[]) => unknown) & { setOutput(o: number[]): void };

export async function createGpuJsSkipGram(mode: SkipGramGpuJsMode): Promise<SkipGramBatchKernel> {
  const { GPU } = (await import('gpu.js')) as unknown as {
    GPU: new (o: object) => { createKernel(fn: unknown, o: object): GpuKernel };
  };
  const gpuClass = GPU as unknown as { isHeadlessGLSupported?: boolean };
  // gpu.js 'gpu' mode in Node quietly falls back to another mode without headless-gl; refuse, so a gpu.js-gpu timing is a GL run.
  if (mode === 'gpu' && !gpuClass.isHeadlessGLSupported) {
    throw new Error('gpu.js GPU mode unavailable: no GL context (headless-gl `gl` is not installed or cannot start)');
  }
  const gpu = new GPU({ mode });
  const cache = new Map<string, { score: GpuKernel; grad: GpuKernel }>();
  const kernelsFor = (dim: number, K1: number) => {
    const key = `${dim}:${K1}`;
    let k = cache.get(key);
    if (!k) {
      const score = gpu.createKernel(
        function (this: { thread: { x: number }; constants: { D: number; K1: number } }, X: number[], T: number[]) {
          const q = this.thread.x;
          const b = Math.floor(q / this.constants.K1);
          let s = 0;
          for (let d = 0; d < this.constants.D; d++) s += X[b * this.constants.D + d] * T[q * this.constants.D + d];
          return s;
        },
        { output: [1], dynamicOutput: true, constants: { D: dim, K1 }, tactic: 'precision' },
      );
      const grad = gpu.createKernel(
        function (this: { thread: { x: number; y: number }; constants: { D: number; K1: number } }, g: number[], T: number[]) {
          const b = this.thread.y;
          const d = this.thread.x;
          let s = 0;
          for (let k = 0; k < this.constants.K1; k++) s += g[b * this.constants.K1 + k] * T[(b * this.constants.K1 + k) * this.constants.D + d];
          return s;
        },
        { output: [1, 1], dynamicOutput: true, constants: { D: dim, K1 }, tactic: 'precision' },
      );
      k = { score, grad };
      cache.set(key, k);
    }
    return k;
  };
  if (mode === 'gpu') {
    const probe = kernelsFor(1, 1).score;
    probe.setOutput([1]);
    await probe(new Float32Array(1), new Float32Array(1));
    const impl = (probe as unknown as { kernel?: { constructor?: { name?: string } } }).kernel?.constructor?.name ?? '';
    if (!/GL/i.test(impl)) throw new Error(`gpu.js GPU mode unavailable: it fell back to ${impl || 'a non-GL kernel'}`);
  }
  return async (args) => {
    checkSkipGramArgs(args);
    const { dim, inputs, negative, alpha } = args;
    const K1 = negative + 1;
    const B = inputs.length;
    if (B === 0) return { loss: 0, syn0: args.syn0, syn1: args.syn1 };
    const { X, T } = gatherRows(args);
    const { score, grad } = kernelsFor(dim, K1);
    score.setOutput([B * K1]);
    const scores = (await score(X, T)) as ArrayLike<number>;
    const { g, loss } = scoresToGradients(scores, K1, alpha);
    grad.setOutput([dim, B]);
    const rows = (await grad(g, T)) as ArrayLike<ArrayLike<number>>;
    const dX = new Float32Array(B * dim);
    for (let b = 0; b < B; b++) dX.set(rows[b] as Float32Array, b * dim);
    scatterUpdates(args, X, g, dX);
    return { loss, syn0: args.syn0, syn1: args.syn1 };
  };
}
