import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { generateSyntheticDataset, leaveOneOutSplit } from '@meta-id/core';
import { parseRankingsJsonl } from '@meta-id/evaluator';
import { loadConfig, resolveConfig } from './config.js';
import { demoConfig } from '../commands/demo.js';
import { runPipeline } from './run.js';

/** A pipeline small enough for CI: tiny data, tiny model, seconds of training. */
const tiny = (runsDir: string) =>
  resolveConfig({
    name: 'tiny',
    runsDir,
    seed: 3,
    data: { synthetic: { users: 120, items: 48, categories: 4, communities: 4, maxLength: 8 } },
    schemes: ['meta-id', 'random', 'popularity'],
    walks: { walksPerNode: 2, walkLength: 8 },
    skipgram: { dim: 16, epochs: 1 },
    codes: { k: 4 },
    model: { overrides: { dModel: 32, dKv: 8, numHeads: 2, dFf: 64, numLayers: 1, numDecoderLayers: 1 } },
    train: { epochs: 1, batchSize: 32, maxMinutes: 0.2 },
    generate: { beamSize: 10 },
    evaluate: { ks: [5, 10] },
  });

describe('runPipeline', () => {
  it('runs every stage, writes valid rankings and metrics, then resumes from its artifacts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-pipeline-'));
    const config = tiny(dir);
    const first = await runPipeline(config, { log: () => {} });
    expect(first.stages.every((s) => !s.cached)).toBe(true);
    for (const stage of ['data', 'embed', 'codes/meta-id', 'train/meta-id', 'recommend/meta-id', 'codes/random', 'recommend/popularity', 'evaluate']) {
      expect(existsSync(join(first.runDir, stage, 'stage.json')), stage).toBe(true);
    }
    // Rankings: one per test user, 10 distinct real items each.
    const dataset = generateSyntheticDataset({ seed: 3, ...config.data.synthetic });
    const split = leaveOneOutSplit(dataset);
    for (const scheme of ['meta-id', 'random', 'popularity']) {
      const rankings = parseRankingsJsonl(readFileSync(join(first.runDir, 'recommend', scheme, 'rankings.jsonl'), 'utf8'));
      expect(rankings.map((r) => r.user)).toEqual(split.test.map((x) => x.user));
      for (const r of rankings) {
        expect(new Set(r.items).size).toBe(10);
        expect(r.items.every((i) => Number.isInteger(i) && i >= 0 && i < dataset.items.size)).toBe(true);
      }
      const m = first.metrics[scheme];
      for (const k of ['HR@5', 'NDCG@5', 'HR@10', 'NDCG@10']) expect(m[k]).toBeGreaterThanOrEqual(0);
      expect(m['NDCG@10']).toBeLessThanOrEqual(m['HR@10']);
    }
    expect(first.metrics['meta-id'].MS).toBeDefined();
    expect(first.table).toContain('META ID (OOV tokens)');

    // Same config: everything is cached. --from train: codes stay, training and after rerun.
    const again = await runPipeline(config, { log: () => {} });
    expect(again.stages.every((s) => s.cached)).toBe(true);
    const redo = await runPipeline(config, { from: 'train', log: () => {} });
    const ran = redo.stages.filter((s) => !s.cached).map((s) => s.name);
    expect(ran[0]).toBe('train/meta-id');
    expect(ran).toContain('evaluate');
    expect(ran).not.toContain('codes/meta-id');
    expect(ran).not.toContain('embed');

    // A fresh process with every model stage cached: evaluate alone must still find a tfjs backend.
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify(config));
    const bin = join(__dirname, '../../dist/bin.js');
    const out = spawnSync(process.execPath, [bin, 'run', '--config', file, '--from', 'evaluate'], { encoding: 'utf8' });
    expect(out.stderr).not.toContain('No backend');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('META ID (OOV tokens)');
  }, 240_000);
});

describe('loadConfig', () => {
  it('reads YAML and JSON, fills defaults, and names unknown keys and bad values with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meta-id-config-'));
    const y = join(dir, 'run.yaml');
    writeFileSync(y, 'name: beauty\ncodes:\n  k: 100\n');
    const c = loadConfig(y);
    expect([c.name, c.codes.k, c.codes.metric, c.skipgram.dim]).toEqual(['beauty', 100, 'cosine', 64]);
    const j = join(dir, 'bad.json');
    writeFileSync(j, JSON.stringify({ skipgram: { windw: 5 } }));
    expect(() => loadConfig(j)).toThrow(`${j}: option skipgram.windw: unknown key`);
    writeFileSync(j, JSON.stringify({ train: { epochs: 0 } }));
    expect(() => loadConfig(j)).toThrow('option train.epochs: must be an integer ≥ 1');
    writeFileSync(j, '{ "name": ');
    expect(() => loadConfig(j)).toThrow(`${j}: not valid JSON`);
    expect(() => loadConfig(join(dir, 'none.json'))).toThrow('config file not found');
  });

  it('loads every shipped config (demo, beauty, sports)', () => {
    const configs = join(__dirname, '../../configs');
    expect(loadConfig(join(configs, 'demo.yaml')).schemes).toEqual(['meta-id', 'sequential', 'popularity']);
    const beauty = loadConfig(join(configs, 'beauty.yaml'));
    expect([beauty.codes.k, beauty.schemes.length]).toEqual([100, 5]);
    expect(beauty.data.source).toMatch(/amazon-p5\/beauty\/sequential_data\.txt$/);
    expect(loadConfig(join(configs, 'sports.yaml')).data.source).toMatch(/amazon-p5\/sports\//);
    // Shipped comparisons use a step budget, so a busy machine cannot change what a seed produces.
    for (const name of ['demo.yaml', 'beauty.yaml', 'sports.yaml']) expect(loadConfig(join(configs, name)).train.maxSteps).toBeGreaterThan(0);
  });

  it('checks skipgram.threads and leaves it unset (every core) by default', () => {
    expect(() => resolveConfig({ skipgram: { threads: 0 } })).toThrow('option skipgram.threads: must be an integer ≥ 1');
    expect(resolveConfig({}).skipgram.threads).toBeUndefined();
    expect(demoConfig().skipgram.threads).toBe(1);
  });

  it('demoConfig takes the step budget and the wall-time cap from the command line', () => {
    const c = demoConfig(7, 4, 'elsewhere', 12);
    expect([c.seed, c.runsDir, c.train.maxMinutes, c.train.maxSteps]).toEqual([7, 'elsewhere', 4, 12]);
    expect(demoConfig().train.maxSteps).toBe(320);
  });
});
