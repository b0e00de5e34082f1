// Times training steps of the model at given shapes (random tokens).
//   node step-bench.mjs [d layers ff batch L vocab T]
// STEPS=n times n steps (default 25; the median is reported).
// FINETUNER_MODULE=/path/to/dist/index.js times another build of the package
// (A/B of a change in one run: copy dist/ aside before rebuilding).
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '@meta-id/kernels';
const { T5Model, makeConfig, AdamW } = await import(process.env.FINETUNER_MODULE ?? '@meta-id/llm-finetuner');
await initTfjs();
const [d = 128, layers = 2, ff = 512, B = 64, L = 40, V = 1500, T = 3] = process.argv.slice(2).map(Number);
const heads = 4;
const model = new T5Model(makeConfig({ vocabSize: V, dModel: d, dKv: d / heads, numHeads: heads, dFf: ff, numLayers: layers, numDecoderLayers: layers }));
const opt = new AdamW({ lr: 1e-3 });
const names = model.trainableNames(); const vars = names.map((n) => model.weights.get(n));
const inp = tf.tensor2d(Int32Array.from({ length: B * L }, (_, i) => 3 + (i * 7919) % (V - 3)), [B, L], 'int32');
const tgt = tf.tensor2d(Int32Array.from({ length: B * T }, (_, i) => 3 + (i * 104729) % (V - 3)), [B, T], 'int32');
const times = [];
const steps = Number(process.env.STEPS ?? 25);
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  tf.tidy(() => { const { value, grads } = tf.variableGrads(() => model.loss(inp, tgt, true), vars); const named = {}; vars.forEach((v, i) => (named[names[i]] = grads[v.name])); opt.apply(model.weights, named); value.dataSync(); });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const med = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({ d, layers, ff, B, L, params: model.parameterCount, msPerStep: +med.toFixed(1), tokPerSec: Math.round((B * (L + T)) / (med / 1000)) }));
