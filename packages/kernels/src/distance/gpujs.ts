/**
 * gpu.js backend of the nearest-centroid kernel: one kernel thread per
 * point loops over the centroids and returns [argmin, best, second] of
 * ‖c‖² − 2x·c. Modes: `gpu` (needs a GL context: headless-gl, which is not
 * installed on every machine), `webasm` (WebAssembly + SIMD), `async`
 * (webasm on worker threads, or the best backend gpu.js finds) and `cpu`
 * (transpiled JavaScript). A kernel is compiled once per (k, dim).
 */
import { checkNearestArgs, rowCount, type NearestKernel } from './types.js';
import { rowNorms } from './typescript-fast.js';

export type GpuJsMode = 'gpu' | 'webasm' | 'async' | 'cpu';

type GpuKernel = ((...a: unknown[]) => unknown) & { setOutput(o: number[]): void; destroy?(): void };

export async function createGpuJsNearest(mode: GpuJsMode): Promise<NearestKernel> {
  const { GPU } = (await import('gpu.js')) as unknown as { GPU: new (o: object) => { createKernel(fn: unknown, o: object): GpuKernel; mode?: string } & Record<string, unknown> };
  const gpuClass = GPU as unknown as { isHeadlessGLSupported?: boolean };
  // In Node, gpu.js 'gpu' mode quietly falls back to WebAssembly when headless-gl is missing; refuse that, so a
  // timing labelled gpu.js-gpu is really a GL run.
  if (mode === 'gpu' && !gpuClass.isHeadlessGLSupported) {
    throw new Error('gpu.js GPU mode unavailable: no GL context (headless-gl `gl` is not installed or cannot start)');
  }
  const gpu = new GPU({ mode });
  const kernels = new Map<string, GpuKernel>();
  const kernelFor = (k: number, dim: number): GpuKernel => {
    const key = `${k}x${dim}`;
    let kern = kernels.get(key);
    if (!kern) {
      kern = gpu.createKernel(
        function (this: { thread: { x: number }; constants: { K: number; D: number } }, x: number[], c: number[], cn: number[]) {
          const base = this.thread.x * this.constants.D;
          let best = 1e30;
          let next = 1e30;
          let arg = 0;
          for (let j = 0; j < this.constants.K; j++) {
            const cb = j * this.constants.D;
            let dot = 0;
            for (let d = 0; d < this.constants.D; d++) dot += x[base + d] * c[cb + d];
            const s = cn[j] - 2 * dot;
            if (s < best) {
              next = best;
              best = s;
              arg = j;
            } else if (s < next) {
              next = s;
            }
          }
          return [arg, best, next];
        },
        { output: [1], dynamicOutput: true, constants: { K: k, D: dim }, returnType: 'Array(3)', tactic: 'precision' },
      );
      kernels.set(key, kern);
    }
    return kern;
  };
  if (mode === 'gpu') {
    // Construction succeeds even without GL on some builds; a real call proves the context.
    const probe = kernelFor(1, 1);
    probe.setOutput([1]);
    await probe(new Float32Array(1), new Float32Array(1), new Float32Array(1));
    const impl = (probe as unknown as { kernel?: { constructor?: { name?: string } } }).kernel?.constructor?.name ?? '';
    if (!/GL/i.test(impl)) throw new Error(`gpu.js GPU mode unavailable: it fell back to ${impl || 'a non-GL kernel'}`);
  }
  return async (args) => {
    const { points, dim, k, rows } = args;
    checkNearestArgs(args, args.centroids, k);
    const count = rowCount(args);
    const labels = new Int32Array(count);
    const distances = new Float32Array(count);
    const second = args.second ? new Float32Array(count) : undefined;
    if (count === 0) return { labels, distances, second, inertia: 0 };
    let x: Float32Array;
    if (rows) {
      x = new Float32Array(count * dim);
      for (let i = 0; i < count; i++) x.set(points.subarray(rows[i] * dim, rows[i] * dim + dim), i * dim);
    } else {
      x = points.subarray(0, count * dim);
    }
    const cn = new Float32Array(rowNorms(args.centroids, k, dim));
    const kern = kernelFor(k, dim);
    kern.setOutput([count]);
    const out = (await kern(x, args.centroids.subarray(0, k * dim), cn)) as ArrayLike<ArrayLike<number>>;
    let inertia = 0;
    for (let i = 0; i < count; i++) {
      let xn = 0;
      for (let d = 0; d < dim; d++) xn += x[i * dim + d] * x[i * dim + d];
      const r = out[i];
      const b = Math.max(0, r[1] + xn);
      labels[i] = r[0];
      distances[i] = b;
      inertia += b;
      if (second) second[i] = k >= 2 ? Math.max(0, r[2] + xn) : Infinity;
    }
    return { labels, distances, second, inertia };
  };
}
