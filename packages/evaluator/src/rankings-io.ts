/**
 * rankings.jsonl: one JSON object per line, `{"user": 12, "items": [5, 9, 3], "scores": [-0.1, -0.7, -1.2]}`,
 * the core Ranking shape (dense user / item indices, best first, scores
 * optional). Blank lines are ignored; anything else that is not a ranking is
 * an error naming the line.
 */
import { DataFormatError, type Ranking } from '@meta-id/core';

/** Parses rankings.jsonl text. */
export function parseRankingsJsonl(text: string, source = '<rankings.jsonl>'): Ranking[] {
  const out: Ranking[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new DataFormatError({ source, line: i + 1 }, 'not a JSON object', line);
    }
    const r = v as Partial<Ranking>;
    if (!r || typeof r !== 'object' || !Number.isInteger(r.user) || (r.user as number) < 0) {
      throw new DataFormatError({ source, line: i + 1, column: 'user' }, 'want a non-negative integer user index', r?.user);
    }
    if (!Array.isArray(r.items) || !r.items.every((x) => Number.isInteger(x) && x >= 0)) {
      throw new DataFormatError({ source, line: i + 1, column: 'items' }, 'want an array of non-negative integer item indices', r.items);
    }
    if (r.scores !== undefined && (!Array.isArray(r.scores) || r.scores.length !== r.items.length || !r.scores.every((x) => typeof x === 'number'))) {
      throw new DataFormatError({ source, line: i + 1, column: 'scores' }, 'scores must be numbers, one per item', r.scores);
    }
    out.push(r.scores ? { user: r.user!, items: r.items, scores: r.scores } : { user: r.user!, items: r.items });
  });
  return out;
}

/** rankings.jsonl text of rankings (one line each, trailing newline). */
export function formatRankingsJsonl(rankings: readonly Ranking[]): string {
  return rankings.map((r) => JSON.stringify(r.scores ? { user: r.user, items: r.items, scores: r.scores } : { user: r.user, items: r.items })).join('\n') + (rankings.length ? '\n' : '');
}
