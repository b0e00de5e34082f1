import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readDatasetFile, writeFileAtomic, detectFormat } from './node.js';
import { datasetStats } from './dataset.js';
import { leaveOneOutSplit } from './split.js';

const shared = resolve(__dirname, '../../../../shared/data/amazon-p5');
const haveShared = existsSync(join(shared, 'beauty/sequential_data.txt'));

describe('readDatasetFile', () => {
  it('names a missing file', async () => {
    await expect(readDatasetFile('/no/such/file.txt')).rejects.toThrow('file not found: /no/such/file.txt');
  });

  it('detects formats and reports errors with the file path and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-core-'));
    const p = join(dir, 'sequential_data.txt');
    writeFileSync(p, '1 2 3\n2 3 four\n');
    expect(detectFormat(p)).toBe('p5');
    await expect(readDatasetFile(p)).rejects.toThrow(`${p}:2 (column 3): item id is not a non-negative integer: "four"`);
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'user_id,item_id\na,b\n');
    expect((await readDatasetFile(csv)).interactions.length).toBe(1);
  });

  it('writes atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-core-'));
    const p = join(dir, 'sub/out.json');
    writeFileAtomic(p, '{"a":1}');
    expect(readFileSync(p, 'utf8')).toBe('{"a":1}');
  });
});

describe.skipIf(!haveShared)('Amazon P5 data (../shared/data)', () => {
  it('Beauty: 22,363 users, 12,101 items, 198,502 interactions, the same from both files', async () => {
    for (const f of ['sequential_data.txt', 'user_sequence.txt']) {
      const s = datasetStats(await readDatasetFile(join(shared, 'beauty', f)));
      expect([s.users, s.items, s.interactions]).toEqual([22363, 12101, 198502]);
      expect([s.sequenceLength.min, s.sequenceLength.median, s.sequenceLength.max]).toEqual([5, 6, 204]);
    }
  });

  it('Beauty leave-one-out: 22,363 validation and test examples, 153,776 training interactions', async () => {
    const s = leaveOneOutSplit(await readDatasetFile(join(shared, 'beauty/sequential_data.txt')));
    expect([s.validation.length, s.test.length, s.train.length]).toEqual([22363, 22363, 153776]);
  });

  it('Sports: 35,598 users, 18,357 items, 296,337 interactions', async () => {
    const s = datasetStats(await readDatasetFile(join(shared, 'sports/user_sequence.txt')));
    expect([s.users, s.items, s.interactions]).toEqual([35598, 18357, 296337]);
  });

  it('user_sequence.txt with datamaps.json indexes exactly like sequential_data.txt', async () => {
    const a = await readDatasetFile(join(shared, 'beauty/sequential_data.txt'));
    const b = await readDatasetFile(join(shared, 'beauty/user_sequence.txt'));
    expect(b.interactions.map((x) => x.item)).toEqual(a.interactions.map((x) => Number(a.items.id(x.item)) - 1));
  });
});
