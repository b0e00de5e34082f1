import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateSyntheticDataset, leaveOneOutSplit, MetaIdError, type Dataset, type Split } from '@meta-id/core';
import { readDatasetFile } from '@meta-id/core/node';
import type { PipelineConfig } from './config.js';

/** The dataset, its leave-one-out split, and what identifies the input (for stage fingerprints). */
export interface LoadedData {
  dataset: Dataset;
  split: Split;
  identity: Record<string, unknown>;
}

/** Loads the configured dataset (the embedded synthetic one by default) and splits it leave-one-out. */
export async function loadData(config: PipelineConfig, baseDir = process.cwd()): Promise<LoadedData> {
  let dataset: Dataset;
  let identity: Record<string, unknown>;
  if (config.data.source === 'synthetic') {
    const options = { seed: config.seed, ...config.data.synthetic };
    dataset = generateSyntheticDataset(options);
    identity = { synthetic: options };
  } else {
    const path = resolve(baseDir, config.data.source);
    dataset = await readDatasetFile(path);
    identity = fileIdentity(path);
  }
  return { dataset, split: leaveOneOutSplit(dataset), identity };
}

/** What identifies an input file in a stage fingerprint: its path, size and modification time. */
export function fileIdentity(path: string): { path: string; size: number; mtimeMs: number } {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new MetaIdError(`file not found: ${path}`);
  return { path, size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
}
