import { describe, expect, it } from 'vitest';
import { Rng } from '@meta-id/core';
import { sigmoidTable, skipGramWasmModule } from './wasm-simd.js';
import { wasmApi } from './wasm-api.js';

/**
 * Plain TypeScript reference of the documented record semantics, in float64
 * (word2vec's fast_sentence_sg_neg written out directly).
 */
function reference(
  inRows: Float64Array,
  outRows: Float64Array,
  dim: number,
  records: { l1: number; targets: number[] }[],
  alpha: number,
  exp: Float32Array,
): number[][] {
  const outputs: number[][] = [];
  for (const { l1, targets } of records) {
    const work = new Float64Array(dim);
    const fs: number[] = [];
    targets.forEach((t, k) => {
      let f = 0;
      for (let c = 0; c < dim; c++) f += inRows[l1 * dim + c] * outRows[t * dim + c];
      if (f > -6 && f < 6) {
        const s = exp[Math.trunc((f + 6) * (1000 / 12))];
        const g = ((k === 0 ? 1 : 0) - s) * alpha;
        for (let c = 0; c < dim; c++) {
          work[c] += g * outRows[t * dim + c];
          outRows[t * dim + c] += g * inRows[l1 * dim + c];
        }
        fs.push(s);
      } else fs.push(f);
    });
    for (let c = 0; c < dim; c++) inRows[l1 * dim + c] += work[c];
    outputs.push(fs);
  }
  return outputs;
}

describe('WebAssembly SIMD pair kernel', () => {
  const module = skipGramWasmModule();

  it('is available on this runtime', () => {
    expect(module).not.toBeNull();
  });

  for (const dim of [4, 16, 64, 100]) {
    it(`agrees with the TypeScript reference on random records (dim ${dim})`, () => {
      const V = 30;
      const rng = new Rng(dim);
      const memory = new wasmApi!.Memory({ initial: 4, maximum: 4, shared: true });
      const f32 = new Float32Array(memory.buffer);
      const i32 = new Int32Array(memory.buffer);
      const inAt = 0;
      const outAt = V * dim;
      const expAt = 2 * V * dim;
      const recAt = expAt + 1000;
      const cap = 2048;
      const workAt = recAt + 2 * cap;
      // Large enough values that some dot products leave ±6 (the clipped branch).
      const scale = dim === 100 ? 2.5 : 0.3;
      for (let k = 0; k < 2 * V * dim; k++) f32[k] = (rng.next() - 0.5) * scale;
      f32.set(sigmoidTable(), expAt);
      const inRef = Float64Array.from(f32.subarray(inAt, outAt));
      const outRef = Float64Array.from(f32.subarray(outAt, expAt));
      const records: { l1: number; targets: number[] }[] = [];
      let r = recAt;
      for (let q = 0; q < 60; q++) {
        const l1 = rng.int(V);
        const targets = Array.from({ length: 1 + rng.int(6) }, () => rng.int(V)); // repeats on purpose
        records.push({ l1, targets });
        i32[r] = (inAt + l1 * dim) * 4;
        i32[r + 1] = targets.length;
        targets.forEach((t, k) => (i32[r + 2 + k] = (outAt + t * dim) * 4));
        r += 2 + targets.length;
      }
      const alpha = 0.05;
      const inst = new wasmApi!.Instance(module!, { env: { memory } });
      const pairs = inst.exports.pairs as (...a: number[]) => void;
      pairs(recAt * 4, r * 4, alpha, workAt * 4, dim * 4, cap * 4, expAt * 4);
      const expected = reference(inRef, outRef, dim, records, Math.fround(alpha), sigmoidTable());
      let maxErr = 0;
      for (let k = 0; k < V * dim; k++) {
        maxErr = Math.max(maxErr, Math.abs(f32[inAt + k] - inRef[k]), Math.abs(f32[outAt + k] - outRef[k]));
      }
      expect(maxErr).toBeLessThan(dim === 100 ? 1e-4 : 1e-5); // float32 vs float64 rounding
      let clipped = 0;
      let rr = recAt;
      records.forEach((rec, q) => {
        rec.targets.forEach((_, k) => {
          const got = f32[rr + cap + 2 + k];
          const want = expected[q][k];
          if (Math.abs(want) >= 6) clipped++;
          expect(Math.abs(got - want)).toBeLessThan(Math.abs(want) >= 6 ? 1e-3 : 1e-6);
        });
        rr += 2 + rec.targets.length;
      });
      if (dim === 100) expect(clipped).toBeGreaterThan(0);
    });
  }
});
