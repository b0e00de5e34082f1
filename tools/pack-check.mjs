#!/usr/bin/env node
// Packs @meta-id/core with `npm pack`, installs the tarball into an empty
// folder, and reads the Beauty dataset there through both the ESM and the CJS
// entry: proof that the published package works alone, outside the workspace.
// Usage: node tools/pack-check.mjs [path/to/sequential_data.txt]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const data = resolve(process.argv[2] ?? join(root, '../shared/data/amazon-p5/beauty/sequential_data.txt'));
const work = mkdtempSync(join(tmpdir(), 'meta-id-pack-'));
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

run('npm', ['pack', '--pack-destination', work, '--silent'], join(root, 'packages/core'));
const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
const app = join(work, 'app');
run('mkdir', ['-p', app]);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, tarball)], app);

const esm = `
import { datasetStats, leaveOneOutSplit, generateSyntheticDataset } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import { existsSync } from 'node:fs';
const path = process.argv[2];
const d = existsSync(path) ? await readDatasetFile(path) : generateSyntheticDataset();
const s = datasetStats(d);
const split = leaveOneOutSplit(d);
console.log(JSON.stringify({ source: existsSync(path) ? path : 'synthetic', users: s.users, items: s.items, interactions: s.interactions, train: split.train.length }));
`;
const cjs = `
const { datasetStats, generateSyntheticDataset } = require('@meta-id/core');
const s = datasetStats(generateSyntheticDataset({ seed: 1, users: 50, items: 40 }));
console.log(JSON.stringify({ cjs: true, users: s.users }));
`;
writeFileSync(join(app, 'check.mjs'), esm);
writeFileSync(join(app, 'check.cjs'), cjs);
const a = JSON.parse(run('node', ['check.mjs', data], app));
const b = JSON.parse(run('node', ['check.cjs'], app));
console.log(`packed ${tarball}, installed alone in ${app}`);
console.log(`ESM: ${JSON.stringify(a)}`);
console.log(`CJS: ${JSON.stringify(b)}`);
if (existsSync(data)) {
  const want = { users: 22363, items: 12101, interactions: 198502, train: 153776 };
  if (data.includes('beauty') && Object.entries(want).some(([k, v]) => a[k] !== v)) {
    console.error(`pack-check: expected ${JSON.stringify(want)}`);
    process.exit(1);
  }
}
if (b.users !== 50) process.exit(1);
console.log('pack-check: ok');
