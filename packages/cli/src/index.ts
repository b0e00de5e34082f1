/**
 * @meta-id/cli: the `meta-id` command, and the pipeline behind it as a
 * library: `runPipeline(config, { codeScheme })` with a config from
 * `resolveConfig` / `loadConfig`.
 */
export { main, HELP } from './main.js';
export type { CliIO } from './io.js';
export { runPipeline, type RunResult } from './pipeline/run.js';
export { resolveConfig, loadConfig, DEFAULT_CONFIG, SCHEMES, type PipelineConfig, type SchemeName } from './pipeline/config.js';
export { StageRunner, type StageDefinition, type StageContext } from './pipeline/runner.js';
