#!/usr/bin/env node
// Where a training step goes: kernels per step by kind (tf.profile) and wall
// time of forward, forward+backward and the optimiser, at a given shape.
//   node tools/bench/finetuner/profile-step.mjs [d layers ff batch L vocab T]
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
const { T5Model, makeConfig, AdamW } = await import(process.env.FINETUNER_MODULE ?? '@meta-id/llm-finetuner');
await initTfjs();
const [d = 128, layers = 2, ff = 512, B = 64, L = 25, V = 1432, T = 3] = process.argv.slice(2).map(Number);
const heads = 4;
const model = new T5Model(makeConfig({ vocabSize: V, dModel: d, dKv: d / heads, numHeads: heads, dFf: ff, numLayers: layers, numDecoderLayers: layers }));
const opt = new AdamW({ lr: 1e-3 });
const names = model.trainableNames();
const vars = names.map((n) => model.weights.get(n));
const inp = tf.tensor2d(Int32Array.from({ length: B * L }, (_, i) => 3 + ((i * 7919) % (V - 3))), [B, L], 'int32');
const tgt = tf.tensor2d(Int32Array.from({ length: B * T }, (_, i) => 3 + ((i * 104729) % (V - 3))), [B, T], 'int32');
const grads = () => {
  const { value, grads } = tf.variableGrads(() => model.loss(inp, tgt, true), vars);
  const named = {};
  vars.forEach((v, i) => (named[names[i]] = grads[v.name]));
  return { value, named };
};
const step = () => tf.tidy(() => { const { value, named } = grads(); opt.apply(model.weights, named); value.dataSync(); });
for (let i = 0; i < 3; i++) step();

const kinds = (kernels) => {
  const by = {};
  for (const k of kernels) {
    const e = (by[k.name] ??= { n: 0, ms: 0 });
    e.n++;
    e.ms += k.ms;
      }
  return Object.entries(by).sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => `${k}:${v.n}/${v.ms.toFixed(0)}ms`).join(' ');
};
// tf.profile returns the same (mutated) object every call: copy the kernel names out at once.
const profileKernels = async (fn) => (await tf.profile(fn)).kernels.map((k) => ({ name: k.name, ms: typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0 }));
const fwdKernels = await profileKernels(() => tf.tidy(() => { model.loss(inp, tgt, true).dataSync(); }));
const bwdKernels = await profileKernels(() => tf.tidy(() => { grads().value.dataSync(); }));
let optKernels;
{
  const { value, named } = grads();
  value.dataSync();
  optKernels = await profileKernels(() => tf.tidy(() => { opt.apply(model.weights, named); }));
  Object.values(named).forEach((t) => t.dispose());
  value.dispose();
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn, n = 9) => median(Array.from({ length: n }, () => { const t0 = performance.now(); fn(); return performance.now() - t0; }));
const fwdMs = time(() => tf.tidy(() => { model.loss(inp, tgt, true).dataSync(); }));
const fbMs = time(() => tf.tidy(() => { grads().value.dataSync(); }));
const stepMs = time(step);
console.log(JSON.stringify({
  shape: { d, layers, ff, B, L, V, T },
  kernels: { forward: fwdKernels.length, forwardBackward: bwdKernels.length, optimizer: optKernels.length },
  ms: { forward: +fwdMs.toFixed(1), forwardBackward: +fbMs.toFixed(1), step: +stepMs.toFixed(1), optimizerApprox: +(stepMs - fbMs).toFixed(1) },
}, null, 1));
console.log('forward+backward kernels by kind:', kinds(bwdKernels));
console.log('optimizer kernels by kind:', kinds(optKernels));
