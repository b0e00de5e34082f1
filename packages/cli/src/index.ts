/** @meta-id/cli: the `meta-id` command as a library (for tests and embedding). */
export { main, HELP } from './main.js';
export type { CliIO } from './io.js';
