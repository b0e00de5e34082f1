/**
 * @meta-id/evaluator: ranking, rating and text metrics, the META ID
 * memorization (MS) and diversity (DS) scores, and reports (JSON, Markdown,
 * SVG charts as strings). Browser-safe; writing files lives in
 * `@meta-id/evaluator/node`. Definitions of every metric: docs/metrics.md.
 */
export * from './relevance.js';
export * from './ranking.js';
export * from './sampled-ranking.js';
export * from './rating.js';
export * from './text/normalize.js';
export * from './text/bleu.js';
export * from './text/rouge.js';
export * from './text/text-metrics.js';
export * from './stats.js';
export * from './entity-vectors.js';
export * from './memorization.js';
export * from './diversity.js';
export * from './pca.js';
export * from './report.js';
export * from './svg/svg-core.js';
export * from './svg/line-chart.js';
export * from './svg/histogram.js';
export * from './svg/scatter.js';
export * from './svg/bar-chart.js';
export * from './svg/embedding-scatter.js';
export * from './svg/codebook-charts.js';
export * from './rankings-io.js';
export * from './evaluate.js';
