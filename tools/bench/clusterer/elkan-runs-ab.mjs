// Builds of @meta-id/kernels alternated over whole spherical runs: each round runs every build in a fresh
// process (its Elkan session from the same k-means++ seeds, to convergence, three times; the assignment steps
// timed) and prints the min and median of the three, and the distances computed, which must agree between
// builds that claim the same labels.
//
// usage: cp -r packages/kernels/dist packages/kernels/.ab/A   (one folder per build; .ab/ is not committed)
//        node tools/bench/clusterer/elkan-runs-ab.mjs A B [--vectors beauty.npy] [--seed 10] [--rounds 3]
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, readNpy, sphericalUpdate } from './io.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const o = parseArgs(args, { vectors: '/tmp/kmx/beauty.npy', seed: 10, rounds: 3, child: '' });

if (o.child) {
  const { kmeansPlusPlus, normaliseRows } = await import('@meta-id/token-clusterer');
  const { createWasmSimdSeeding } = await import('@meta-id/kernels');
  const { Rng } = await import('@meta-id/core');
  const { elkanWasmSimd } = await import(join(here, '../../../packages/kernels/.ab', o.child, 'index.js'));
  const { data, shape } = readNpy(o.vectors);
  const [n, dim] = shape;
  const k = 100;
  const points = normaliseRows(data, n, dim);
  const init = (await kmeansPlusPlus(points, n, dim, k, new Rng(o.seed), await createWasmSimdSeeding())).centers;
  const totals = [];
  let evaluations = 0;
  for (let rep = 0; rep < 3; rep++) {
    const session = elkanWasmSimd({ points, n, dim, k });
    let c = init;
    let shift;
    let total = 0;
    evaluations = 0;
    for (let step = 0; step < 300; step++) {
      const t = performance.now();
      const r = session.assign(c, shift);
      total += performance.now() - t;
      evaluations += r.evaluations;
      const up = sphericalUpdate(points, n, dim, k, r.labels, c);
      shift = up.shift;
      c = up.next;
      if (up.moved === 0) break;
    }
    totals.push(total);
  }
  totals.sort((a, b) => a - b);
  console.log(`${o.child}: assignment steps min ${totals[0].toFixed(0)} ms, median ${totals[1].toFixed(0)} ms; ${evaluations} distances`);
  process.exit(0);
}

const builds = args.filter((a, i) => /^[A-Za-z]\w*$/.test(a) && !(i > 0 && args[i - 1].startsWith('--')));
for (let round = 1; round <= o.rounds; round++) {
  for (const b of builds) {
    const p = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', b, '--vectors', o.vectors, '--seed', String(o.seed)], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(`build ${b}: ${p.stderr}`);
    process.stdout.write(`round ${round} ${p.stdout}`);
  }
}
