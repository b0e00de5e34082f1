/**
 * Chooses the tfjs backend at run time and says which one runs.
 *
 * Order of preference: tfjs-node (native libtensorflow, ~50 GFLOP/s here),
 * then tfjs-backend-wasm (SIMD, ~24 GFLOP/s) with a gradient fix, and the
 * pure-JS `cpu` backend only when asked for by name: it is 20-40x slower, so
 * falling into it silently would turn a one-hour run into a day.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MetaIdError } from '@meta-id/core';

/** Backends meta-id can run tfjs on. `auto` = the fastest that loads. */
export type TfjsBackendName = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface TfjsBackendInfo {
  /** The tfjs backend name now active (`tensorflow`, `wasm` or `cpu`). */
  backend: 'tensorflow' | 'wasm' | 'cpu';
  /** Why the backends before it were not used, in order tried. */
  skipped: { backend: string; reason: string }[];
}

let active: TfjsBackendInfo | undefined;

/**
 * Initialises tfjs once per process and returns which backend runs.
 * `META_ID_TFJS_BACKEND` (auto | tensorflow | wasm | cpu) overrides the argument.
 *
 * @example
 * const { backend } = await initTfjs();
 * console.log(`tfjs backend: ${backend}`);
 */
export async function initTfjs(
  preferred: TfjsBackendName = 'auto',
  options: { quiet?: boolean } = {},
): Promise<TfjsBackendInfo> {
  // libtensorflow logs CPU-feature notices to stderr on load; keep the terminal for our own progress.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const wanted = (process.env.META_ID_TFJS_BACKEND as TfjsBackendName | undefined) || preferred;
  if (active && (wanted === 'auto' || wanted === active.backend)) return active;
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(wanted)) {
    throw new MetaIdError(`unknown tfjs backend ${JSON.stringify(wanted)} (want auto, tensorflow, wasm or cpu)`);
  }
  const order: Exclude<TfjsBackendName, 'auto'>[] = wanted === 'auto' ? ['tensorflow', 'wasm'] : [wanted];
  const skipped: TfjsBackendInfo['skipped'] = [];
  for (const name of order) {
    try {
      await loadBackend(name);
      if (!(await tf.setBackend(name))) throw new Error('setBackend returned false');
      await tf.ready();
      active = { backend: name, skipped };
      if (!options.quiet) {
        const why = skipped.length ? ` (not ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : '';
        console.error(`[meta-id] tfjs backend: ${name}${why}`);
      }
      return active;
    } catch (e) {
      skipped.push({ backend: name, reason: firstLine((e as Error).message) });
    }
  }
  throw new MetaIdError(
    `no tfjs backend could start: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}. ` +
      'Run tools/setup-native.sh for tfjs-node, or set META_ID_TFJS_BACKEND=cpu to accept the slow pure-JS backend.',
  );
}

/** The backend chosen by {@link initTfjs}, if it ran. */
export function activeTfjsBackend(): TfjsBackendInfo | undefined {
  return active;
}

async function loadBackend(name: Exclude<TfjsBackendName, 'auto'>): Promise<void> {
  if (name === 'tensorflow') {
    // Registers the `tensorflow` backend on the shared tfjs-core instance.
    await import('@tensorflow/tfjs-node');
  } else if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // One thread: the threaded build cannot start in Node as shipped, and on 2 cores one SIMD thread is faster.
    wasm.setThreadsCount?.(1);
    registerUntransposedMatMulGradient();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200);
}

/** Swaps the last two axes. */
function transposeLast2(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** matMul(a, b, tA, tB) with explicit transposes, so the WASM kernel never sees a transposed operand. */
function plainMatMul(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return tf.matMul(transposeA ? transposeLast2(a) : a, transposeB ? transposeLast2(b) : b);
}

let gradientFixed = false;

/**
 * tfjs-backend-wasm's matMul is 10-20x slower when an operand is transposed,
 * and tfjs's own BatchMatMul gradient uses exactly those forms. Same maths,
 * explicit transposes: identical gradients, 3-5x faster training steps.
 */
export function registerUntransposedMatMulGradient(): void {
  if (gradientFixed) return;
  gradientFixed = true;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const g = dy as tf.Tensor;
      if (!transposeA && !transposeB) {
        return { a: () => plainMatMul(g, b, false, true), b: () => plainMatMul(a, g, true, false) };
      }
      if (!transposeA && transposeB) {
        return { a: () => plainMatMul(g, b, false, false), b: () => plainMatMul(g, a, true, false) };
      }
      if (transposeA && !transposeB) {
        return { a: () => plainMatMul(b, g, false, true), b: () => plainMatMul(a, g, false, false) };
      }
      return { a: () => plainMatMul(b, g, true, true), b: () => plainMatMul(g, a, true, true) };
    },
  });
}
