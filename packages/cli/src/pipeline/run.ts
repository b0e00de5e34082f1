/**
 * `meta-id run`: split → walks → skip-gram → codes → vocabulary → training →
 * constrained generation → evaluation, every artifact in a run folder
 * (`<runsDir>/<name>/<stage>/`), each stage skipped when its artifacts exist
 * and its inputs are unchanged. Several item-id schemes are trained on the same
 * split with the same budget and compared in one table.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetStats, entityKey, MetaIdError, formatRecBoleInter, type Dataset, type EmbeddingTable, type Interaction, type Ranking, type TokenCodebook } from '@meta-id/core';
import { writeFileAtomic } from '@meta-id/core/node';
import { embedInteractions, saveEmbeddings, loadEmbeddings } from '@meta-id/interaction-embedder';
import { buildCodebook, writeCodebook, readCodebook, collaborativeIds, sequentialIds, randomIds, ColdStartCoder, type ClustererCodebook, type CodeScheme } from '@meta-id/token-clusterer';
import {
  evaluate,
  compareRunsMarkdown,
  flattenMetrics,
  formatRankingsJsonl,
  parseRankingsJsonl,
  groupedBarChart,
  lineChart,
  clusterSizeHistogram,
  embeddingScatter,
  entityVectorsFromTokens,
} from '@meta-id/evaluator';
import { writeEvaluationReport } from '@meta-id/evaluator/node';
import { loadModel } from '@meta-id/llm-finetuner';
import { initTfjs } from '@meta-id/kernels';
import type { PipelineConfig, SchemeName } from './config.js';
import { fileIdentity, loadData } from './data.js';
import { StageRunner } from './runner.js';
import { recommendScheme, trainScheme, type TrainSummary } from './model-stage.js';

export interface RunResult {
  runDir: string;
  /** Scheme → flattened metrics (e.g. `ranking.NDCG@10`). */
  metrics: Record<string, Record<string, number>>;
  /** The comparison table (Markdown). */
  table: string;
  stages: { name: string; seconds: number; cached: boolean }[];
}

const LABEL: Record<SchemeName, string> = {
  'meta-id': 'META ID (OOV tokens)',
  cid: 'CID (collaborative ids)',
  sequential: 'sequential ids',
  random: 'random ids',
  popularity: 'popularity',
};

/** Rank every item by training popularity (ties by index), the same list for every test user. */
function popularityRankings(train: readonly Interaction[], test: readonly Interaction[], numItems: number, k: number): Ranking[] {
  const counts = new Float64Array(numItems);
  for (const x of train) counts[x.item]++;
  const order = Array.from({ length: numItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  const top = order.slice(0, k);
  return test.map((x) => ({ user: x.user, items: top, scores: top.map((i) => counts[i]) }));
}

/** Runs the pipeline; `from` redoes that stage and everything after it. */
export async function runPipeline(
  config: PipelineConfig,
  options: {
    from?: string;
    /** Folder that a relative `data.source` or `embeddingsFile` is relative to (the config file's). Default: the working directory. */
    baseDir?: string;
    /** A code scheme of your own (token-clusterer's `CodeScheme` interface) used for `meta-id` instead of the built-in one. */
    codeScheme?: CodeScheme<never>;
    log?: (line: string) => void;
  } = {},
): Promise<RunResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // runsDir is relative to the working directory; data.source to the config file (baseDir).
  const runDir = resolve(config.runsDir, config.name);
  const runner = new StageRunner(runDir, { from: options.from, log });
  const { dataset, split, identity } = await loadData(config, options.baseDir);
  writeFileAtomic(join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);

  await runner.run({
    name: 'data',
    after: [],
    inputs: identity,
    outputs: ['train.inter', 'valid.inter', 'test.inter', 'stats.json'],
    async run(ctx) {
      const part = (xs: Interaction[]): Dataset => ({ ...dataset, interactions: xs });
      writeFileAtomic(join(ctx.dir, 'train.inter'), formatRecBoleInter(part(split.train)));
      writeFileAtomic(join(ctx.dir, 'valid.inter'), formatRecBoleInter(part(split.validation)));
      writeFileAtomic(join(ctx.dir, 'test.inter'), formatRecBoleInter(part(split.test)));
      const stats = { ...datasetStats(dataset), train: split.train.length, validation: split.validation.length, test: split.test.length };
      writeFileAtomic(join(ctx.dir, 'stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
      ctx.log(`${stats.users} users, ${stats.items} items; ${stats.train} train / ${stats.validation} validation / ${stats.test} test`);
      return stats;
    },
  });

  const needsEmbeddings = config.schemes.includes('meta-id');
  if (needsEmbeddings) {
    const external = config.embeddingsFile ? resolve(options.baseDir ?? process.cwd(), config.embeddingsFile) : undefined;
    await runner.run({
      name: 'embed',
      after: ['data'],
      inputs: external ? { file: fileIdentity(external) } : { walks: config.walks, skipgram: config.skipgram, seed: config.seed },
      outputs: ['embeddings.vec', 'stats.json'],
      async run(ctx) {
        if (external) {
          const table = loadEmbeddings(external);
          const bad = table.ids.find((id) => !/^[ui]:/.test(id));
          if (bad !== undefined) throw new MetaIdError(`${external}: entity ids must be u:<raw> or i:<raw> (found ${JSON.stringify(bad)})`);
          ctx.log(`${table.ids.length} vectors of dimension ${table.dim} from ${external}`);
          saveEmbeddings(join(ctx.dir, 'embeddings.vec'), table);
          writeFileAtomic(join(ctx.dir, 'stats.json'), `${JSON.stringify({ source: external, vectors: table.ids.length, dim: table.dim }, null, 2)}\n`);
          return { source: external, vectors: table.ids.length };
        }
        const { threads, ...skipgram } = config.skipgram;
        const { table, stats } = await embedInteractions(split, {
          names: dataset,
          ...config.walks,
          ...skipgram,
          ...(threads === undefined ? {} : { threads }),
          seed: config.seed,
        });
        ctx.log(`${stats.walks.walks} walks, ${stats.walks.tokens} tokens, ${stats.graph.isolatedNodes} isolated nodes; skip-gram ${Math.round(stats.training.wordsPerSecond)} words/s`);
        saveEmbeddings(join(ctx.dir, 'embeddings.vec'), table);
        writeFileAtomic(join(ctx.dir, 'stats.json'), `${JSON.stringify(stats, null, 2)}\n`);
        return { walks: stats.walks.walks, tokens: stats.walks.tokens, wordsPerSecond: stats.training.wordsPerSecond };
      },
    });
  }

  const modelSchemes = config.schemes.filter((s) => s !== 'popularity');
  for (const scheme of modelSchemes) {
    await runner.run({
      name: `codes/${scheme}`,
      after: scheme === 'meta-id' ? ['data', 'embed'] : ['data'],
      inputs: { codes: config.codes, seed: config.seed, custom: scheme === 'meta-id' ? options.codeScheme?.name : undefined },
      outputs: ['codebook.json'],
      async run(ctx) {
        let codebook: TokenCodebook;
        if (scheme === 'meta-id') {
          const table = loadEmbeddings(join(ctx.artifact('embed'), 'embeddings.vec'));
          const fitted = options.codeScheme
            ? await buildCodebook(table, { scheme: options.codeScheme, k: config.codes.k, seed: config.seed })
            : await buildCodebook(table, { scheme: 'meta-id', k: config.codes.k, metric: config.codes.metric, seed: config.seed, printStats: false });
          ctx.log(`${fitted.tokens.length} tokens for ${Object.keys(fitted.codes).length} entities`);
          const coldStart = options.codeScheme ? 0 : codeUnseenEntities(fitted, table, dataset);
          if (coldStart > 0) ctx.log(`${coldStart} users/items have no training interaction: cold-start codes from the mean vector of their type`);
          codebook = fitted;
        } else {
          const idScheme =
            scheme === 'cid'
              ? collaborativeIds({ clustersPerLevel: config.codes.cidClustersPerLevel, leafSize: config.codes.cidLeafSize })
              : scheme === 'sequential'
                ? sequentialIds
                : randomIds;
          codebook = await idScheme.assign({ split, itemIds: dataset.items.ids, seed: config.seed });
        }
        await writeCodebook(join(ctx.dir, 'codebook.json'), codebook);
        return { tokens: codebook.tokens.length, entities: Object.keys(codebook.codes).length };
      },
    });
    await runner.run({
      name: `train/${scheme}`,
      after: [`codes/${scheme}`],
      inputs: { model: config.model, train: config.train, seed: config.seed },
      outputs: ['model', 'tokenizer.json', 'codes.json', 'training.json'],
      async run(ctx) {
        const codebook = await readCodebook(join(ctx.artifact(`codes/${scheme}`), 'codebook.json'));
        const summary = await trainScheme(ctx.dir, scheme, codebook, dataset, split, config, ctx.log);
        return { steps: summary.steps, seconds: summary.seconds, tokensPerSecond: summary.tokensPerSecond, bestValidationNdcg10: summary.bestValidationNdcg10 };
      },
    });
    await runner.run({
      name: `recommend/${scheme}`,
      after: [`train/${scheme}`],
      inputs: { generate: config.generate },
      outputs: ['rankings.jsonl'],
      async run(ctx) {
        const rankings = await recommendScheme(ctx.artifact(`train/${scheme}`), split, config, ctx.log);
        writeFileAtomic(join(ctx.dir, 'rankings.jsonl'), formatRankingsJsonl(rankings));
        return { users: rankings.length };
      },
    });
  }
  if (config.schemes.includes('popularity')) {
    await runner.run({
      name: 'recommend/popularity',
      after: ['data'],
      inputs: { k: config.generate.beamSize },
      outputs: ['rankings.jsonl'],
      async run(ctx) {
        const rankings = popularityRankings(split.train, split.test, dataset.items.size, config.generate.beamSize);
        writeFileAtomic(join(ctx.dir, 'rankings.jsonl'), formatRankingsJsonl(rankings));
        return { users: rankings.length };
      },
    });
  }

  const metrics: Record<string, Record<string, number>> = {};
  const evaluateAfter = config.schemes.map((s) => `recommend/${s}`);
  await runner.run({
    name: 'evaluate',
    after: evaluateAfter,
    inputs: { evaluate: config.evaluate },
    outputs: ['comparison.md', 'comparison.json'],
    async run(ctx) {
      // Reading the trained token embeddings needs a tfjs backend, and when every
      // training stage was cached (a rerun, or --from evaluate) nothing set one up yet.
      if (config.schemes.some((s) => s !== 'popularity')) await initTfjs('auto', { quiet: true });
      const rows: { name: string; metrics: Record<string, number> }[] = [];
      for (const scheme of config.schemes) {
        const rankings = parseRankingsJsonl(readFileSync(join(ctx.artifact(`recommend/${scheme}`), 'rankings.jsonl'), 'utf8'));
        const charts: Record<string, { svg: string; caption: string }> = {};
        let entityVectors;
        let codebook: TokenCodebook | undefined;
        if (scheme !== 'popularity') {
          const trainDir = runner.dirOf(`train/${scheme}`);
          codebook = await readCodebook(join(runner.dirOf(`codes/${scheme}`), 'codebook.json'));
          entityVectors = tokenEntityVectors(trainDir, codebook);
          const training = JSON.parse(readFileSync(join(trainDir, 'training.json'), 'utf8')) as TrainSummary;
          if (training.history.length > 1) {
            charts['validation.svg'] = {
              svg: lineChart({ title: `${LABEL[scheme]}: validation NDCG@10`, xLabel: 'step', yLabel: 'NDCG@10', series: [{ name: scheme, points: training.history }] }),
              caption: 'Validation NDCG@10 during training',
            };
          }
          charts['cluster-sizes.svg'] = { svg: clusterSizeHistogram(codebook, { keyPrefix: 'i:' }), caption: 'Items per first-level token' };
          if (scheme === 'meta-id') {
            const table = loadEmbeddings(join(runner.dirOf('embed'), 'embeddings.vec'));
            charts['embeddings.svg'] = {
              svg: embeddingScatter(table, { codebook, keyPrefix: 'i:', title: 'Item embeddings (PCA), coloured by coarse token', seed: config.seed }).svg,
              caption: 'Skip-gram item embeddings projected to 2-D by PCA, coloured by coarse token',
            };
          }
        }
        const result = evaluate({
          title: `${dataset.name} / ${LABEL[scheme]}`,
          run: { dataset: dataset.name, scheme, seed: config.seed },
          split,
          rankings,
          rankingOptions: { ks: config.evaluate.ks },
          entityVectors,
          users: dataset.users,
          items: dataset.items,
        });
        writeEvaluationReport(join(ctx.dir, scheme), result, { charts });
        metrics[scheme] = flattenMetrics(result);
        rows.push({ name: LABEL[scheme], metrics: metrics[scheme] });
      }
      const keys = config.evaluate.ks.flatMap((k) => [`HR@${k}`, `NDCG@${k}`]);
      const msds = ['MS', 'DS'].filter((k) => rows.some((r) => r.metrics[k] !== undefined));
      const table = compareRunsMarkdown(rows, { metrics: [...keys, ...msds] });
      writeFileAtomic(join(ctx.dir, 'comparison.md'), `# ${dataset.name}: item-id schemes compared\n\n${table}\n`);
      writeFileAtomic(join(ctx.dir, 'comparison.json'), `${JSON.stringify(metrics, null, 2)}\n`);
      writeFileAtomic(
        join(ctx.dir, 'comparison.svg'),
        groupedBarChart({
          title: `${dataset.name}: ranking metrics by item-id scheme`,
          categories: keys,
          series: rows.map((r) => ({ name: r.name, values: keys.map((k) => r.metrics[k] ?? NaN) })),
        }),
      );
      return {};
    },
  });
  const comparisonPath = join(runDir, 'evaluate', 'comparison.json');
  const stored = JSON.parse(readFileSync(comparisonPath, 'utf8')) as Record<string, Record<string, number>>;
  const table = readFileSync(join(runDir, 'evaluate', 'comparison.md'), 'utf8');
  return { runDir, metrics: stored, table, stages: runner.records.map((r) => ({ name: r.name, seconds: r.seconds, cached: r.cached })) };
}

/**
 * Users and items with no training interaction have no walk vector, yet every
 * item must be rankable: they get cold-start codes (nearest centroid, next free
 * fine token) from the mean vector of their type, without reading their
 * validation or test interactions. Returns how many were coded.
 */
function codeUnseenEntities(codebook: ClustererCodebook, table: EmbeddingTable, dataset: Dataset): number {
  const coder = new ColdStartCoder(codebook);
  let coded = 0;
  for (const [type, ids] of [['user', dataset.users.ids], ['item', dataset.items.ids]] as const) {
    const prefix = type === 'user' ? 'u:' : 'i:';
    const mean = new Float32Array(table.dim);
    let n = 0;
    table.ids.forEach((id, r) => {
      if (!id.startsWith(prefix)) return;
      for (let j = 0; j < table.dim; j++) mean[j] += table.vectors[r * table.dim + j];
      n++;
    });
    for (let j = 0; j < table.dim; j++) mean[j] /= Math.max(1, n);
    for (const raw of ids) {
      const key = entityKey(type, raw);
      if (codebook.codes[key]) continue;
      coder.code(key, mean);
      coded++;
    }
  }
  return coded;
}

/** Entity vectors from a trained model: the mean input embedding of the tokens of each entity's code. */
function tokenEntityVectors(trainDir: string, codebook: TokenCodebook) {
  const tokenizerJson = JSON.parse(readFileSync(join(trainDir, 'tokenizer.json'), 'utf8')) as { model?: { vocab?: Record<string, number> }; added_tokens?: { id: number; content: string }[] };
  const ids = new Map<string, number>(Object.entries(tokenizerJson.model?.vocab ?? {}));
  for (const t of tokenizerJson.added_tokens ?? []) ids.set(t.content, t.id);
  const model = loadModel(join(trainDir, 'model'));
  const shared = model.weights.get('shared.weight')!;
  const [, dim] = shared.shape;
  const data = shared.dataSync() as Float32Array;
  model.dispose();
  return entityVectorsFromTokens(codebook, (token) => {
    const id = ids.get(token);
    return id === undefined ? undefined : data.subarray(id * dim, (id + 1) * dim);
  });
}

