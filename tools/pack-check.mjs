#!/usr/bin/env node
// Packs every @meta-id package with `npm pack`, installs the tarballs into an
// empty folder (offline, from npm's cache, install scripts off: so tfjs-node
// has no native binding there and the WASM fallback is exercised), and uses
// them there: @meta-id/core reads the Beauty dataset through both its ESM and
// CJS entries, every package loads in both module systems, and the installed
// `meta-id` command prints dataset statistics. Proof that the published
// packages work alone, outside the workspace.
// Usage: node tools/pack-check.mjs [path/to/sequential_data.txt]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const data = resolve(process.argv[2] ?? join(root, '../shared/data/amazon-p5/beauty/sequential_data.txt'));
const work = mkdtempSync(join(tmpdir(), 'meta-id-pack-'));
const run = (cmd, args, cwd, env = process.env) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
const fail = (msg) => {
  console.error(`pack-check: ${msg}`);
  process.exit(1);
};

const packages = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'package.json')));
for (const p of packages) run('npm', ['pack', '--pack-destination', work, '--silent'], join(root, 'packages', p));
const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
if (tarballs.length !== packages.length) fail(`expected ${packages.length} tarballs, got ${tarballs.length}`);
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
run('npm', ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', ...tarballs.map((t) => join(work, t))], app);

const names = packages.map((p) => `@meta-id/${p}`);
writeFileSync(
  join(app, 'check.mjs'),
  `
import { datasetStats, leaveOneOutSplit, generateSyntheticDataset } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import { existsSync } from 'node:fs';
const path = process.argv[2];
const d = existsSync(path) ? await readDatasetFile(path) : generateSyntheticDataset();
const s = datasetStats(d);
const split = leaveOneOutSplit(d);
const loaded = [];
for (const name of ${JSON.stringify(names)}) loaded.push([name, Object.keys(await import(name)).length]);
console.log(JSON.stringify({ source: existsSync(path) ? path : 'synthetic', users: s.users, items: s.items, interactions: s.interactions, train: split.train.length, loaded }));
`,
);
writeFileSync(
  join(app, 'check.cjs'),
  `
const { datasetStats, generateSyntheticDataset } = require('@meta-id/core');
const s = datasetStats(generateSyntheticDataset({ seed: 1, users: 50, items: 40 }));
const loaded = ${JSON.stringify(names)}.map((name) => [name, Object.keys(require(name)).length]);
console.log(JSON.stringify({ cjs: true, users: s.users, loaded }));
`,
);
const a = JSON.parse(run('node', ['check.mjs', data], app));
const b = JSON.parse(run('node', ['check.cjs'], app));
const empty = [...a.loaded, ...b.loaded].filter(([, n]) => n === 0);
if (empty.length) fail(`packages with no exports: ${JSON.stringify(empty)}`);
console.log(`packed ${tarballs.length} packages, installed alone in ${app}`);
console.log(`ESM: ${JSON.stringify(a)}`);
console.log(`CJS: ${JSON.stringify(b)}`);
if (existsSync(data) && data.includes('beauty')) {
  const want = { users: 22363, items: 12101, interactions: 198502, train: 153776 };
  if (Object.entries(want).some(([k, v]) => a[k] !== v)) fail(`expected ${JSON.stringify(want)}`);
  const stats = run(join(app, 'node_modules/.bin/meta-id'), ['data', 'stats', data], app);
  if (!/users\s+22,363/.test(stats)) fail(`installed meta-id printed:\n${stats}`);
  console.log('installed `meta-id data stats` on Beauty: 22,363 users');
}
if (b.users !== 50) fail('CJS entry of @meta-id/core misbehaved');
console.log('pack-check: ok');
