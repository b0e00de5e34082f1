import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTfjs } from '@meta-id/kernels';
import { Rng } from '@meta-id/core';
import { T5Model } from './model.js';
import { makeConfig } from './config.js';
import { loadModel, saveModel } from './checkpoint.js';
import { decodeTensorDict, encodeTensorDict } from './safetensors.js';

beforeAll(async () => {
  await initTfjs('auto', { quiet: true });
}, 120_000);

describe('safetensors', () => {
  it('reads hand-made F16, BF16 and I64 tensors', () => {
    const header = JSON.stringify({
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
      i: { dtype: 'I64', shape: [1], data_offsets: [10, 18] },
    });
    const buf = Buffer.alloc(8 + header.length + 18);
    buf.writeBigUInt64LE(BigInt(header.length), 0);
    buf.write(header, 8);
    const at = 8 + header.length;
    [0x3c00, 0xc000, 0x3555].forEach((v, k) => buf.writeUInt16LE(v, at + 2 * k)); // 1, -2, 0.33325
    [0x3f80, 0x4049].forEach((v, k) => buf.writeUInt16LE(v, at + 6 + 2 * k)); // 1, 3.140625
    buf.writeBigInt64LE(-7n, at + 10);
    const { tensors } = decodeTensorDict(buf);
    expect([...tensors.get('h')!.data]).toEqual([1, -2, 0.333251953125]);
    expect([...tensors.get('b')!.data]).toEqual([1, 3.140625]);
    expect([...tensors.get('i')!.data]).toEqual([-7]);
  });

  it('writes a header whose offsets the reader (and the format) agree on', () => {
    const bytes = encodeTensorDict(new Map([['x', { dtype: 'float32', shape: [2], data: Float32Array.from([1.5, -2]) }]]), { a: 'b' });
    const len = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect((8 + len) % 8).toBe(0);
    const { tensors, metadata } = decodeTensorDict(bytes);
    expect([...tensors.get('x')!.data]).toEqual([1.5, -2]);
    expect(metadata).toEqual({ a: 'b' });
  });

  it('rejects a truncated file with its name', () => {
    expect(() => decodeTensorDict(new Uint8Array(4), 'w.safetensors')).toThrow(/w.safetensors/);
  });
});

describe('checkpoints', () => {
  it('round-trip every weight and the augmentation bit for bit', () => {
    const model = new T5Model(makeConfig({ vocabSize: 25, dModel: 8, dKv: 4, numHeads: 2, dFf: 12, numLayers: 2, numDecoderLayers: 1 }), { seed: 9 });
    const rng = new Rng(2);
    model.setAugmentation(Int32Array.from([20, 22]), Float32Array.from({ length: 6 }, () => rng.normal()), 3);
    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    saveModel(dir, model);
    const again = loadModel(dir);
    expect(again.config).toEqual(model.config);
    expect(again.trainableNames()).toEqual(model.trainableNames());
    for (const name of model.trainableNames()) {
      const a = Buffer.from(model.weights.get(name)!.dataSync().buffer);
      const b = Buffer.from(again.weights.get(name)!.dataSync().buffer);
      expect(a.equals(b), name).toBe(true);
    }
    expect([...again.augmentation!.tokenIds]).toEqual([20, 22]);
    expect(Buffer.from(again.augmentation!.centroids.buffer).equals(Buffer.from(model.augmentation!.centroids.buffer))).toBe(true);
  });
});
