/**
 * The walk corpus as a text file for peer tools (gensim `LineSentence` /
 * `corpus_file`, fastText, Spark): one walk per line, node names separated by
 * single spaces, LF endings. Reading it back builds a vocabulary in order of
 * first appearance and a flat token array, parsed from bytes so a corpus of
 * millions of tokens is never held as one string.
 */
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { DataFormatError, MetaIdError } from '@meta-id/core';
import type { WalkChunk, WalkCorpus } from './walks.js';

/**
 * Writes walks as text, chunk by chunk (atomically: to a temporary file, then
 * renamed). Returns the number of walks and tokens written.
 *
 * @example
 * const walker = new MetaPathWalker(graph);
 * writeWalkCorpus('walks.txt', walker.chunks(), graph.names);
 */
export function writeWalkCorpus(
  path: string,
  chunks: Iterable<WalkChunk>,
  names: readonly string[],
): { walks: number; tokens: number } {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let walks = 0;
  let tokens = 0;
  try {
    for (const chunk of chunks) {
      const lines: string[] = new Array(chunk.count);
      for (let w = 0; w < chunk.count; w++) {
        const parts: string[] = [];
        for (let k = chunk.offsets[w]; k < chunk.offsets[w + 1]; k++) {
          const name = names[chunk.tokens[k]];
          if (name === undefined) throw new MetaIdError(`writeWalkCorpus: node id ${chunk.tokens[k]} has no name`);
          parts.push(name);
        }
        lines[w] = parts.join(' ');
        tokens += parts.length;
      }
      walks += chunk.count;
      if (chunk.count > 0) writeSync(fd, lines.join('\n') + '\n');
    }
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
  return { walks, tokens };
}

/** A corpus read from text: `corpus.names` is the vocabulary in order of first appearance. */
export interface TextCorpus extends WalkCorpus {
  /** Occurrences of each vocabulary entry. */
  counts: Int32Array;
}

/**
 * Reads a whitespace-separated corpus (one sentence per line). Tokens are
 * mapped to ids in order of first appearance. With `shared`, the token arrays
 * live on SharedArrayBuffers (for worker threads).
 */
export function readWalkCorpus(path: string, options: { shared?: boolean } = {}): TextCorpus {
  if (!existsSync(path)) throw new MetaIdError(`corpus file not found: ${path}`);
  const fd = openSync(path, 'r');
  const index = new Map<string, number>();
  const names: string[] = [];
  let counts = new Int32Array(1024);
  let tokens = new Int32Array(1 << 20);
  let offsets = new Int32Array(1 << 14);
  let nTok = 0;
  let nLines = 0;
  let lineNo = 1;
  const buf = Buffer.allocUnsafe(1 << 22);
  let carry: Buffer = Buffer.alloc(0);
  const pushToken = (word: string) => {
    let id = index.get(word);
    if (id === undefined) {
      id = names.length;
      index.set(word, id);
      names.push(word);
      if (id >= counts.length) {
        const c = new Int32Array(counts.length * 2);
        c.set(counts);
        counts = c;
      }
    }
    counts[id]++;
    if (nTok === tokens.length) {
      const t = new Int32Array(tokens.length * 2);
      t.set(tokens);
      tokens = t;
    }
    tokens[nTok++] = id;
  };
  const endLine = () => {
    // Blank lines are not sentences (gensim's LineSentence skips them too).
    if (nTok > (nLines === 0 ? 0 : offsets[nLines])) {
      if (nLines + 2 > offsets.length) {
        const o = new Int32Array(offsets.length * 2);
        o.set(offsets);
        offsets = o;
      }
      offsets[++nLines] = nTok;
    }
    lineNo++;
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const eof = n === 0;
      let start = -1;
      let lastBoundary = 0;
      for (let p = 0; p < data.length; p++) {
        const c = data[p];
        const space = c === 32 || c === 9 || c === 10 || c === 13;
        if (space) {
          if (start >= 0) {
            pushToken(data.toString('utf8', start, p));
            start = -1;
          }
          if (c === 10) endLine();
          lastBoundary = p + 1;
        } else if (start < 0) start = p;
      }
      if (eof) {
        if (start >= 0) pushToken(data.toString('utf8', start, data.length));
        endLine();
        break;
      }
      // Keep the unfinished token for the next block (copy: buf is reused).
      carry = Buffer.from(data.subarray(lastBoundary));
      if (carry.length > 1 << 20) {
        throw new DataFormatError({ source: path, line: lineNo }, 'token longer than 1 MiB (is this a text corpus?)');
      }
    }
  } finally {
    closeSync(fd);
  }
  const alloc = (n: number) => (options.shared ? new Int32Array(new SharedArrayBuffer(Math.max(4, n * 4))) : new Int32Array(n));
  const outTokens = alloc(nTok);
  outTokens.set(tokens.subarray(0, nTok));
  const outOffsets = alloc(nLines + 1);
  outOffsets.set(offsets.subarray(0, nLines + 1));
  return {
    tokens: outTokens.subarray(0, nTok),
    offsets: outOffsets.subarray(0, nLines + 1),
    numWalks: nLines,
    names,
    counts: counts.slice(0, names.length),
  };
}
