/** Where a command writes; tests pass their own to capture output. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** 22363 → "22,363". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
