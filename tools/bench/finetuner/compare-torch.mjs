#!/usr/bin/env node
// Training throughput of our tfjs model vs the same architecture in PyTorch 1.13
// (t5_torch.py, torch.set_num_threads(2)), same sizes, batch and AdamW, run
// alternately in one process tree so both see the same machine load.
//   node tools/bench/finetuner/compare-torch.mjs [--rounds 3] [--steps 25] [--shape "128 2 512 64 25"]... [--baseline path/to/old/dist/index.js]
// PyTorch runs twice per round: torch.set_num_threads(2) (the agreed peer) and 1 thread.
// --steps applies to every tool; --baseline also times an older build of the package in each round.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, steps: { type: 'string', default: '25' }, shape: { type: 'string', multiple: true }, baseline: { type: 'string' } } });
const shapes = a.shape ?? ['128 2 512 64 25', '256 4 1024 64 25'];
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const rows = [];
for (const shape of shapes) {
  const args = shape.split(' ');
  const ours = [];
  const torch = [];
  const torch1 = [];
  const base = [];
  const tfjs = (module) => JSON.parse(execFileSync('node', [join(here, 'step-bench.mjs'), ...args], { cwd: join(here, '../../..'), stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, STEPS: a.steps, ...(module ? { FINETUNER_MODULE: module } : {}) } }).toString().trim().split('\n').pop());
  for (let r = 0; r < Number(a.rounds); r++) {
    if (a.baseline) base.push(tfjs(a.baseline));
    ours.push(tfjs());
    const py = (threads) => JSON.parse(execFileSync('/usr/bin/python3', [join(here, 't5_torch.py'), 'bench', ...args], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TORCH_THREADS: threads, STEPS: a.steps } }).toString().trim().split('\n').pop());
    torch.push(py('2'));
    torch1.push(py('1'));
    process.stderr.write(`[compare] ${shape} round ${r + 1}: ${a.baseline ? `baseline ${base[r].tokPerSec} tok/s (${base[r].msPerStep} ms), ` : ''}tfjs ${ours[r].tokPerSec} tok/s (${ours[r].msPerStep} ms), torch(2 threads) ${torch[r].tokPerSec} tok/s (${torch[r].msPerStep} ms), torch(1 thread) ${torch1[r].tokPerSec} tok/s (${torch1[r].msPerStep} ms), load ${loadavg()[0].toFixed(1)}\n`);
  }
  const o = median(ours.map((x) => x.tokPerSec));
  const t = median(torch.map((x) => x.tokPerSec));
  const t1 = median(torch1.map((x) => x.tokPerSec));
  rows.push({ shape, params: ours[0].params, torchParams: torch[0].params, tfjsTokPerSec: o, torchTokPerSec: t, torch1ThreadTokPerSec: t1, ratio: +(o / t).toFixed(2), ratio1Thread: +(o / t1).toFixed(2), tfjsRuns: ours.map((x) => x.tokPerSec), torchRuns: torch.map((x) => x.tokPerSec), torch1ThreadRuns: torch1.map((x) => x.tokPerSec),
    tfjsMsPerStep: median(ours.map((x) => x.msPerStep)), torchMsPerStep: median(torch.map((x) => x.msPerStep)), torch1ThreadMsPerStep: median(torch1.map((x) => x.msPerStep)),
    ...(a.baseline ? { baselineTokPerSec: median(base.map((x) => x.tokPerSec)), baselineMsPerStep: median(base.map((x) => x.msPerStep)), baselineRuns: base.map((x) => x.tokPerSec) } : {}),
    loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)) });
}
console.log(JSON.stringify(rows, null, 2));
