/**
 * Errors that a user can act on. Every error about input data names where the
 * problem is (file, line, column, value) so nobody has to read a stack trace
 * from deep inside a parser.
 */

/** Base class of every error meta-id throws on purpose. */
export class MetaIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where in an input a problem sits. `line` is 1-based. */
export interface SourceLocation {
  /** File path or a label such as `"<string>"` when parsing text in memory. */
  source: string;
  line?: number;
  column?: string | number;
}

function formatLocation(loc: SourceLocation): string {
  let s = loc.source;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.column !== undefined) s += ` (column ${loc.column})`;
  return s;
}

/** Shortens a value for an error message so a 10 MB line does not flood the terminal. */
export function quoteValue(value: unknown, max = 80): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  const shown = s === undefined ? String(value) : s;
  return JSON.stringify(shown.length > max ? `${shown.slice(0, max)}…` : shown);
}

/**
 * Malformed input data: the message reads `file:line (column c): problem: "value"`.
 */
export class DataFormatError extends MetaIdError {
  readonly location: SourceLocation;
  readonly value?: string;
  constructor(location: SourceLocation, problem: string, value?: unknown) {
    super(
      `${formatLocation(location)}: ${problem}${value === undefined ? '' : `: ${quoteValue(value)}`}`,
    );
    this.location = location;
    this.value = value === undefined ? undefined : String(value);
  }
}

/** An option or configuration value that cannot work, with the option's name. */
export class ConfigError extends MetaIdError {
  readonly option: string;
  constructor(option: string, problem: string, value?: unknown) {
    super(`option ${option}: ${problem}${value === undefined ? '' : ` (got ${quoteValue(value)})`}`);
    this.option = option;
  }
}

/** Throws a {@link ConfigError} unless `condition` holds. */
export function requireOption(condition: boolean, option: string, problem: string, value?: unknown): asserts condition {
  if (!condition) throw new ConfigError(option, problem, value);
}
