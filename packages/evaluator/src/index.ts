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
