// Profiling helper (run by hand): libtensorflow CPU time of one assignment pass at 34431 x 100 x 64 in several op layouts.
// usage: node tools/bench/clusterer/profile-tfjs-pass.mjs
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs, randomNearestArgs } from '@meta-id/kernels';
await initTfjs('tensorflow', { quiet: true });
const n = 34431, k = 100, dim = 64;
const a = randomNearestArgs(n, k, dim, 1);
const X = tf.tensor2d(a.points, [n, dim]);
const aug = new Float32Array(n * 65); for (let i = 0; i < n; i++) { aug.set(a.points.subarray(i * 64, i * 64 + 64), i * 65); aug[i * 65 + 64] = 1; }
const XA = tf.tensor2d(aug, [n, 65]);
const C = tf.tensor2d(a.centroids, [k, dim]);
const CT = tf.transpose(tf.mul(C, -2));
const CA = tf.concat([CT, tf.sum(tf.mul(C, C), 1).reshape([1, k])], 0);
const cn = tf.sum(tf.mul(C, C), 1);
function time(label, f) {
  for (let w = 0; w < 3; w++) f();
  const ts = [];
  for (let r = 0; r < 21; r++) { const c = process.cpuUsage(); const t = performance.now(); f(); const cu = process.cpuUsage(c); ts.push([performance.now() - t, (cu.user + cu.system) / 1000]); }
  ts.sort((x, y) => x[1] - y[1]);
  console.log(label.padEnd(40), 'cpu ms', ts[10][1].toFixed(1), 'wall ms', ts[10][0].toFixed(1));
}
time('aug65 matMul only', () => { const d = tf.matMul(XA, CA); d.dataSync(); d.dispose(); });
time('aug65 matMul+min+argMin', () => { const [m, i] = tf.tidy(() => { const d = tf.matMul(XA, CA); return [tf.min(d, 1), tf.argMin(d, 1)]; }); m.dataSync(); i.dataSync(); m.dispose(); i.dispose(); });
time('64 matMul only', () => { const d = tf.matMul(X, CT); d.dataSync(); d.dispose(); });
time('64 matMul transB', () => { const d = tf.matMul(X, C, false, true); d.dataSync(); d.dispose(); });
time('64 matMul+add+min+argMin', () => { const [m, i] = tf.tidy(() => { const d = tf.add(tf.matMul(X, CT), cn); return [tf.min(d, 1), tf.argMin(d, 1)]; }); m.dataSync(); i.dataSync(); m.dispose(); i.dispose(); });
time('64 matMul+add+argMin', () => { const i = tf.tidy(() => { const d = tf.add(tf.matMul(X, CT), cn); return tf.argMin(d, 1); }); i.dataSync(); i.dispose(); });
time('64 matMul readback 13MB', () => { const d = tf.matMul(X, CT); d.dataSync(); d.dispose(); });
process.exit(0);
