// Two or more builds of @meta-id/kernels side by side in one process: each runs 60 spherical Lloyd steps on
// the same vectors from the same k-means++ seeds, then repeats a tail-like step (same centres, the shift of
// its last real step, so bounds loosen as they do near convergence) in rounds, the builds taking turns. Prints
// the distances a step and the min and median ms a step of each. One process and alternation make effects of a
// few percent visible on a machine whose speed drifts by ±30% within minutes.
//
// usage: cp -r packages/kernels/dist packages/kernels/.ab/A   (one folder per build; .ab/ is not committed)
//        node tools/bench/clusterer/elkan-tail-ab.mjs A B [--vectors beauty.npy] [--rounds 16] [--shift 0.003]
//        (META_ID_KERNEL_THREADS=1 for one thread; --shift gives every centre that shift instead)
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeansPlusPlus, normaliseRows } from '@meta-id/token-clusterer';
import { createWasmSimdSeeding } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
import { parseArgs, readNpy, sphericalUpdate } from './io.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const builds = process.argv.slice(2).filter((a) => /^[A-Za-z]\w*$/.test(a));
const o = parseArgs(process.argv.slice(2), { vectors: '/tmp/kmx/beauty.npy', rounds: 16, shift: 0, k: 100 });
if (builds.length === 0) throw new Error('name at least one build folder under packages/kernels/.ab/');
const mods = await Promise.all(builds.map((b) => import(join(here, '../../../packages/kernels/.ab', b, 'index.js'))));
const { data, shape } = readNpy(o.vectors);
const [n, dim] = shape;
const points = normaliseRows(data, n, dim);
const k = o.k;
const init = (await kmeansPlusPlus(points, n, dim, k, new Rng(3), await createWasmSimdSeeding())).centers;

/** 60 spherical Lloyd steps: the centres and the shift of the last one. */
function lloyd(session) {
  let c = init;
  let shift;
  for (let step = 0; step < 60; step++) {
    const up = sphericalUpdate(points, n, dim, k, session.assign(c, shift).labels, c);
    shift = up.shift;
    c = up.next;
  }
  return { c, shift: o.shift > 0 ? new Float64Array(k).fill(o.shift) : shift };
}

const sessions = mods.map((m) => m.elkanWasmSimd({ points, n, dim, k }));
const states = sessions.map(lloyd);
const times = sessions.map(() => []);
const evals = sessions.map(() => 0);
for (let round = 0; round < o.rounds; round++) {
  for (let b = 0; b < sessions.length; b++) {
    await new Promise((r) => setTimeout(r, 20)); // the other build's helper thread stops spinning
    const t = performance.now();
    let ev = 0;
    for (let r = 0; r < 20; r++) ev += sessions[b].assign(states[b].c, states[b].shift).evaluations;
    times[b].push((performance.now() - t) / 20);
    evals[b] = ev / 20;
  }
}
builds.forEach((name, b) => {
  const s = [...times[b]].sort((x, y) => x - y);
  console.log(`${name}: ${evals[b].toFixed(0)} distances a step; ms a step: min ${s[0].toFixed(3)}, median ${s[s.length >> 1].toFixed(3)}`);
});
process.exit(0);
