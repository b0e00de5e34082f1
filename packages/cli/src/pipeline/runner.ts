/**
 * Runs pipeline stages into a run folder so that a run can stop and resume:
 * each stage writes its artifacts into a temporary folder that is renamed into
 * place only when the stage has finished (a crash never leaves a half-written
 * artifact that a rerun would trust), with a `stage.json` recording a
 * fingerprint of everything the stage read. A stage whose folder holds the
 * same fingerprint is skipped; `from` forces a stage and all after it to run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetaIdError } from '@meta-id/core';

/** Where a stage writes, and what it may read. */
export interface StageContext {
  /** The stage's own folder (a temporary one while it runs). */
  dir: string;
  /** Folder of an earlier stage's finished artifacts. */
  artifact(stage: string): string;
  log(line: string): void;
}

export interface StageDefinition {
  /** Folder name inside the run folder, e.g. `embed` or `train/meta-id`. */
  name: string;
  /** Stages whose artifacts this one reads (their fingerprints join this one's). */
  after: string[];
  /** Everything else the result depends on (its config section, seeds, data file identity). */
  inputs: unknown;
  /** Files the stage must leave in its folder. */
  outputs: string[];
  run(ctx: StageContext): Promise<Record<string, unknown> | void>;
}

export interface StageRecord {
  name: string;
  fingerprint: string;
  seconds: number;
  finishedAt: string;
  summary?: Record<string, unknown>;
}

/** Stable JSON (sorted keys) so fingerprints do not depend on key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (ArrayBuffer.isView(value)) return stableStringify(Array.from(value as unknown as ArrayLike<number>));
  const keys = Object.keys(value as Record<string, unknown>).sort();
  return `{${keys
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

export class StageRunner {
  private readonly fingerprints = new Map<string, string>();
  private forcing = false;
  readonly records: (StageRecord & { cached: boolean })[] = [];

  constructor(
    readonly runDir: string,
    private readonly options: { from?: string; log?: (line: string) => void } = {},
  ) {
    mkdirSync(runDir, { recursive: true });
  }

  private log(line: string) {
    (this.options.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(line);
  }

  dirOf(stage: string): string {
    return join(this.runDir, stage);
  }

  /** Runs `stage` unless its finished artifacts already match its inputs. */
  async run(stage: StageDefinition): Promise<StageRecord & { cached: boolean }> {
    const upstream = stage.after.map((a) => {
      const fp = this.fingerprints.get(a);
      if (fp === undefined) throw new MetaIdError(`stage ${stage.name} needs ${a}, which has not run in this pipeline`);
      return fp;
    });
    const fingerprint = createHash('sha256')
      .update(stableStringify({ stage: stage.name, inputs: stage.inputs, upstream }))
      .digest('hex')
      .slice(0, 16);
    if (this.options.from !== undefined && (stage.name === this.options.from || stage.name.startsWith(`${this.options.from}/`))) {
      this.forcing = true;
    }
    const dir = this.dirOf(stage.name);
    const recordPath = join(dir, 'stage.json');
    if (!this.forcing && existsSync(recordPath)) {
      const previous = JSON.parse(readFileSync(recordPath, 'utf8')) as StageRecord;
      if (previous.fingerprint === fingerprint && stage.outputs.every((f) => existsSync(join(dir, f)))) {
        this.fingerprints.set(stage.name, fingerprint);
        this.log(`[meta-id] ${stage.name}: up to date (cached, ${previous.seconds.toFixed(1)} s when it ran)`);
        const record = { ...previous, cached: true };
        this.records.push(record);
        return record;
      }
    }
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    this.log(`[meta-id] ${stage.name}: running`);
    const t0 = performance.now();
    let summary: Record<string, unknown> | void;
    try {
      summary = await stage.run({
        dir: tmp,
        artifact: (name) => {
          if (!this.fingerprints.has(name)) throw new MetaIdError(`stage ${stage.name} read ${name}, which is not among its inputs`);
          return this.dirOf(name);
        },
        log: (line) => this.log(`[meta-id] ${stage.name}: ${line}`),
      });
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    const missing = stage.outputs.filter((f) => !existsSync(join(tmp, f)));
    if (missing.length) throw new MetaIdError(`stage ${stage.name} finished without writing ${missing.join(', ')}`);
    const record: StageRecord = {
      name: stage.name,
      fingerprint,
      seconds: (performance.now() - t0) / 1000,
      finishedAt: new Date().toISOString(),
      ...(summary ? { summary } : {}),
    };
    writeFileSync(join(tmp, 'stage.json'), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    renameSync(tmp, dir);
    this.fingerprints.set(stage.name, fingerprint);
    this.log(`[meta-id] ${stage.name}: done in ${record.seconds.toFixed(1)} s`);
    const done = { ...record, cached: false };
    this.records.push(done);
    return done;
  }
}
