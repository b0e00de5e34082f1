/**
 * One helper thread for the WebAssembly kernels: a call over points
 * [0, n) runs as two halves, the second on a worker thread sharing the
 * module's memory, the first on the caller's thread, which then blocks
 * (Atomics.wait) until the helper is done. Kernels whose points are
 * independent (the Elkan step) use it; scikit-learn's k-means uses both
 * cores through OpenMP the same way. Where no worker can start, or on one
 * core, everything runs on the caller's thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const HELPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const bound = new Map(); // id -> { exports, ctrl }
parentPort.on('message', (m) => {
  if (m.drop !== undefined) {
    bound.delete(m.drop);
    return;
  }
  let b = bound.get(m.id);
  if (m.module) {
    b = { exports: new WebAssembly.Instance(m.module, { env: { memory: m.memory } }).exports, ctrl: new Int32Array(m.memory.buffer, m.ctrl, 1) };
    bound.set(m.id, b);
  }
  try {
    b.exports[m.fn](...m.args);
    Atomics.store(b.ctrl, 0, 1);
  } catch (e) {
    Atomics.store(b.ctrl, 0, 2);
    parentPort.postMessage(String((e && e.message) || e));
  }
  Atomics.notify(b.ctrl, 0);
});
`;

const HELPER_TIMEOUT_MS = 600_000;

let helper: Worker | null | undefined;
let lastError = '';

function getHelper(): Worker | null {
  if (helper !== undefined) return helper;
  if (process.env.META_ID_KERNEL_THREADS === '1' || availableParallelism() < 2) return (helper = null);
  try {
    helper = new Worker(HELPER_SOURCE, { eval: true });
    helper.unref(); // never keeps the process alive
    helper.on('message', (msg) => (lastError = String(msg)));
    helper.on('error', () => (helper = null));
  } catch {
    helper = null;
  }
  return helper;
}

/** Helper threads the WebAssembly kernels can use here (0 or 1); starts the helper if it has not started. */
export function kernelHelperThreads(): number {
  return getHelper() ? 1 : 0;
}

let nextId = 1;
/** Tells the helper to let go of an instance (and its memory) once its SplitCalls is collected. */
const unbind = new FinalizationRegistry<number>((id) => helper?.postMessage({ drop: id }));

/** A module instance whose calls over [0, n) may be split with the helper thread. */
export class SplitCalls {
  private readonly id = nextId++;
  /** The helper has its own instance: later messages carry only the call (cloning the module cost ~3 ms a message). */
  private boundTo: Worker | null = null;

  /**
   * @param module the compiled module (its memory import must be shared)
   * @param memory the shared memory both threads use
   * @param exports the caller thread's instance exports
   * @param ctrl byte offset of a free int32 in `memory` for the hand-shake
   */
  constructor(
    private readonly module: object,
    private readonly memory: { buffer: ArrayBufferLike },
    private readonly exports: Record<string, unknown>,
    private readonly ctrl: number,
  ) {}

  /** Runs `fn(...args(first, count, half))` over [0, n): half 0 here, half 1 on the helper when there is one and n ≥ `minSplit`. */
  run(fn: string, n: number, args: (first: number, count: number, half: 0 | 1) => number[], minSplit = 4096): void {
    const f = this.exports[fn] as (...a: number[]) => void;
    const h = n >= minSplit ? getHelper() : null;
    if (!h) {
      f(...args(0, n, 0));
      return;
    }
    const mid = n >> 1;
    const ctrl = new Int32Array(this.memory.buffer, this.ctrl, 1);
    Atomics.store(ctrl, 0, 0);
    if (this.boundTo === h) h.postMessage({ id: this.id, fn, args: args(mid, n - mid, 1) });
    else {
      h.postMessage({ id: this.id, module: this.module, memory: this.memory, ctrl: this.ctrl, fn, args: args(mid, n - mid, 1) });
      if (!this.boundTo) unbind.register(this, this.id);
      this.boundTo = h;
    }
    try {
      f(...args(0, mid, 0));
    } finally {
      // A dead helper cannot be noticed from here (its exit event needs this thread's event loop), so the
      // wait is bounded: far beyond any half-pass this package makes (≤ 65,536 rows or one Elkan step).
      if (Atomics.wait(ctrl, 0, 0, HELPER_TIMEOUT_MS) === 'timed-out') {
        helper = null;
        throw new Error(`wasm helper thread gave no answer in ${HELPER_TIMEOUT_MS / 1000} s; set META_ID_KERNEL_THREADS=1 to run the kernels on one thread`);
      }
    }
    if (Atomics.load(ctrl, 0) === 2) throw new Error(`wasm helper thread failed: ${lastError}`);
  }
}
