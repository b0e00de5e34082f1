/**
 * Worker threads that run {@link trainSlice}. The function travels as source
 * text (it is self-contained), so the same code runs from the TypeScript
 * sources under vitest and from the built package, with no separate worker
 * file to locate at run time.
 */
import { Worker } from 'node:worker_threads';
import { MetaIdError } from '@meta-id/core';
import { trainSlice, type SliceContext, type SliceJob, type SliceResult } from './sgns-slice.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const trainSlice = (${trainSlice.toString()});
parentPort.on('message', (m) => {
  try {
    parentPort.postMessage({ ok: true, result: trainSlice(m.ctx, m.job) });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
});
`;

/** Runs one slice on a fresh worker thread and resolves with its result. */
export function runSliceOnWorker(ctx: SliceContext, job: SliceJob): Promise<SliceResult> {
  return new Promise((resolve, reject) => {
    // execArgv: [] so the parent's flags do not change how the source is read (`--input-type=module` would
    // parse it as ESM, where `require` does not exist)
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    let settled = false;
    worker.once('message', (m: { ok: boolean; result?: SliceResult; error?: string }) => {
      settled = true;
      void worker.terminate();
      if (m.ok) resolve(m.result!);
      else reject(new MetaIdError(`skip-gram worker ${ctx.thread} failed: ${m.error}`));
    });
    worker.once('error', (e) => {
      if (!settled) reject(new MetaIdError(`skip-gram worker ${ctx.thread} failed: ${e.message}`));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new MetaIdError(`skip-gram worker ${ctx.thread} exited with code ${code} before finishing`));
    });
    worker.postMessage({ ctx, job });
  });
}
