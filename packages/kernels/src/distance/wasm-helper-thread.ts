/**
 * One helper thread for the WebAssembly kernels: a call over points
 * [0, n) runs as two halves, the second on a worker thread sharing the
 * module's memory, the first on the caller's thread, which then blocks
 * (Atomics.wait) until the helper is done. Kernels whose points are
 * independent (the Elkan step, distance-matrix rows) use it; scikit-learn's
 * k-means uses both cores through OpenMP the same way. Where no worker can
 * start, or on one core, everything runs on the caller's thread.
 *
 * Calls are handed over through a small shared control block (state, which
 * instance, which function, the arguments), not by postMessage: a message a
 * call cost 1-9 ms on a loaded machine (260 ms of a 2.5 s k-means run on
 * Beauty, 176 calls), a futex wake costs microseconds. Messages, read
 * synchronously by the helper when it wakes, remain for the rare events:
 * binding a module instance, letting one go, reporting an error.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Control block: int32 [0] state, [1] instance id, [2] function index, [3] argument count, [4] helper started; float64 arguments from byte 64. */
const IDLE = 0;
const REQUEST = 1;
const DONE = 2;
const FAILED = 3;
/** The helper has claimed the request (atomically, from REQUEST): the caller now waits for DONE or FAILED. */
const RUNNING = 4;
const ARGS_AT = 64;
const MAX_ARGS = 32;
/** How long the idle helper sleeps between looks at the control word. */
const IDLE_WAIT_MS = 250;
/** How long each thread keeps looking at the control word (busy) before it sleeps: see the helper's loop. */
const SPIN_MS = 3;

const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { control, port } = workerData;
const ctl = new Int32Array(control, 0, 5);
const args = new Float64Array(control, ${ARGS_AT}, ${MAX_ARGS});
const bound = new Map(); // id -> functions in the order of their names
Atomics.store(ctl, 4, 1);
Atomics.notify(ctl, 4);
let lastCall = 0;
for (;;) {
  let s = Atomics.load(ctl, 0);
  // Busy for a moment after a call: the next one usually follows within a millisecond, and a sleeping
  // thread on this VM wakes 1-2 ms late (its core halts; the wake-up lands on the caller's core first).
  while (s !== ${REQUEST} && performance.now() - lastCall < ${SPIN_MS}) s = Atomics.load(ctl, 0);
  if (s !== ${REQUEST}) {
    // bounded, so that a termination request (process exit) is always seen within ${IDLE_WAIT_MS} ms
    Atomics.wait(ctl, 0, s, ${IDLE_WAIT_MS});
    continue;
  }
  // claim it; a caller that did all the work of a withdrawable call takes it back instead (to IDLE)
  if (Atomics.compareExchange(ctl, 0, ${REQUEST}, ${RUNNING}) !== ${REQUEST}) continue;
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const msg = m.message;
    if (msg.drop !== undefined) bound.delete(msg.drop);
    else {
      const exports = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } }).exports;
      bound.set(msg.bind, msg.names.map((name) => exports[name]));
    }
  }
  let state = ${DONE};
  try {
    bound.get(ctl[1])[ctl[2]](...args.subarray(0, ctl[3]));
  } catch (e) {
    state = ${FAILED};
    port.postMessage(String((e && e.message) || e));
  }
  lastCall = performance.now();
  Atomics.store(ctl, 0, state);
  Atomics.notify(ctl, 0);
}
`;

const HELPER_TIMEOUT_MS = 600_000;
/** How long the first call waits for the helper to start before running everything on the caller's thread. */
const START_TIMEOUT_MS = 15_000;

interface Helper {
  started: boolean;
  worker: Worker;
  port: MessagePort;
  ctl: Int32Array;
  args: Float64Array;
}

let helper: Helper | null | undefined;

function getHelper(): Helper | null {
  if (helper !== undefined) return helper;
  if (process.env.META_ID_KERNEL_THREADS === '1' || availableParallelism() < 2) return (helper = null);
  try {
    const control = new SharedArrayBuffer(ARGS_AT + 8 * MAX_ARGS);
    const { port1, port2 } = new MessageChannel();
    // execArgv: [] so that the parent's flags do not change how the helper's source is read
    // (under `node --input-type=module -e …` it would be parsed as ESM and fail on `require`)
    const worker = new Worker(HELPER_SOURCE, { eval: true, execArgv: [], workerData: { control, port: port2 }, transferList: [port2] });
    worker.unref(); // never keeps the process alive
    port1.unref();
    worker.on('error', () => (helper = null));
    helper = { started: false, worker, port: port1, ctl: new Int32Array(control, 0, 5), args: new Float64Array(control, ARGS_AT, MAX_ARGS) };
  } catch {
    helper = null;
  }
  return helper;
}

/** Helper threads the WebAssembly kernels can use here (0 or 1); starts the helper if it has not started. */
export function kernelHelperThreads(): number {
  return getHelper() ? 1 : 0;
}

/**
 * The helper once it has started; a helper that cannot start (its 'error' event needs this thread's event
 * loop, which a blocked caller never reaches) is given up after START_TIMEOUT_MS and the work stays here.
 */
function startedHelper(): Helper | null {
  const h = getHelper();
  if (!h || h.started) return h;
  Atomics.wait(h.ctl, 4, 0, START_TIMEOUT_MS);
  if (Atomics.load(h.ctl, 4) !== 1) {
    void h.worker.terminate();
    helper = null;
    return null;
  }
  h.started = true;
  return h;
}

/** Where a call over [0, n) splits: the caller takes [0, splitAt(n)), the helper the rest. */
const splitAt = (n: number): number => n >> 1;

let nextId = 1;
/** Tells the helper to let go of an instance (and its memory) once its SplitCalls is collected. */
const unbind = new FinalizationRegistry<number>((id) => helper?.port.postMessage({ drop: id }));

/** A module instance whose calls over [0, n) may be split with the helper thread. */
export class SplitCalls {
  private readonly id = nextId++;
  /** The helper has its own instance of the module once bound; calls then carry only numbers. */
  private boundTo: Helper | null = null;
  private readonly names: string[];

  /**
   * @param module the compiled module (its memory import must be shared)
   * @param memory the shared memory both threads use
   * @param exports the caller thread's instance exports
   */
  constructor(
    private readonly module: object,
    private readonly memory: { buffer: ArrayBufferLike },
    private readonly exports: Record<string, unknown>,
  ) {
    this.names = Object.keys(exports).filter((name) => typeof exports[name] === 'function');
  }

  /**
   * Runs `fn` over [0, n) with each thread first taking the items of its own half, then what is left of the
   * other's, from two int32 counters at byte `counterAt` of the memory (set here): a thread keeps to the same
   * items call after call, and a helper the OS starts late no longer holds the call up. `args(own, other, half)`
   * gets [counter, end] of the thread's own half and of the other (end 0 when one thread does everything).
   */
  runOwnHalfFirst(fn: string, n: number, counterAt: number, args: (own: [number, number], other: [number, number], half: 0 | 1) => number[], minSplit: number): void {
    const counters = new Int32Array(this.memory.buffer, counterAt, 2);
    counters[0] = 0;
    counters[1] = splitAt(n);
    this.run(fn, n, (first, count, half) => {
      const alone = half === 0 && count === n;
      const other: [number, number] = half === 0 ? [counterAt + 4, alone ? 0 : n] : [counterAt, first];
      return args([counterAt + 4 * half, first + count], other, half);
    }, minSplit, true);
  }

  /**
   * Runs `fn(...args(first, count, half))` over [0, n): half 0 here, half 1 on the helper when there is one and
   * n ≥ `minSplit`. With `withdrawable` the kernel lets either thread do all the work (each taking what is left
   * of the other's range, {@link runOwnHalfFirst}), so a caller done before the helper has even started takes
   * the request back and returns: a helper the OS has not scheduled yet (a timeslice, ~4-6 ms here, against
   * steps of ~1 ms) no longer holds the caller up.
   */
  run(fn: string, n: number, args: (first: number, count: number, half: 0 | 1) => number[], minSplit = 4096, withdrawable = false): void {
    const f = this.exports[fn] as (...a: number[]) => void;
    const h = n >= minSplit ? startedHelper() : null;
    if (!h) {
      f(...args(0, n, 0));
      return;
    }
    if (this.boundTo !== h) {
      h.port.postMessage({ bind: this.id, module: this.module, memory: this.memory, names: this.names });
      if (!this.boundTo) unbind.register(this, this.id);
      this.boundTo = h;
    }
    const mid = splitAt(n);
    const theirs = args(mid, n - mid, 1);
    if (theirs.length > MAX_ARGS) throw new RangeError(`${fn}: ${theirs.length} arguments, the helper takes ${MAX_ARGS}`);
    h.ctl[1] = this.id;
    h.ctl[2] = this.names.indexOf(fn);
    h.ctl[3] = theirs.length;
    h.args.set(theirs);
    Atomics.store(h.ctl, 0, REQUEST);
    Atomics.notify(h.ctl, 0);
    let withdrawn = false;
    try {
      f(...args(0, mid, 0));
    } finally {
      // A dead helper cannot be noticed from here (its exit event needs this thread's event loop), so the
      // wait is bounded: far beyond any half-pass this package makes (≤ 65,536 rows or one Elkan step).
      withdrawn = withdrawable && Atomics.compareExchange(h.ctl, 0, REQUEST, IDLE) === REQUEST;
      const spinUntil = performance.now() + SPIN_MS;
      let s = withdrawn ? IDLE : Atomics.load(h.ctl, 0);
      while ((s === REQUEST || s === RUNNING) && performance.now() < spinUntil) s = Atomics.load(h.ctl, 0);
      const deadline = performance.now() + HELPER_TIMEOUT_MS;
      while (s === REQUEST || s === RUNNING) {
        if (performance.now() > deadline) {
          helper = null;
          throw new Error(`wasm helper thread gave no answer in ${HELPER_TIMEOUT_MS / 1000} s; set META_ID_KERNEL_THREADS=1 to run the kernels on one thread`);
        }
        Atomics.wait(h.ctl, 0, s, 1000);
        s = Atomics.load(h.ctl, 0);
      }
    }
    if (withdrawn) return;
    const state = Atomics.load(h.ctl, 0);
    Atomics.store(h.ctl, 0, IDLE);
    if (state === FAILED) throw new Error(`wasm helper thread failed: ${String(receiveMessageOnPort(h.port)?.message ?? 'no message')}`);
  }
}
