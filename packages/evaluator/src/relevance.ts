import { DataFormatError, type Interaction, type Split } from '@meta-id/core';

/**
 * What counts as relevant for each user: user index → item indices. Accepts a
 * ready map, a list of interactions (e.g. `split.test`), or a whole core
 * {@link Split} (its `test` part, or `validation` when asked).
 */
export type RelevantInput = ReadonlyMap<number, Iterable<number>> | readonly Interaction[] | Split;

/** Which part of a {@link Split} holds the relevant items. */
export type SplitTarget = 'test' | 'validation';

function isSplit(x: unknown): x is Split {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'test' in x && 'validation' in x && 'train' in x;
}

/**
 * Normalises any {@link RelevantInput} to user → distinct relevant items (in
 * first-seen order). A user whose list is empty is kept (with no items) so
 * that the caller can report it rather than lose it.
 */
export function relevantItems(input: RelevantInput, target: SplitTarget = 'test'): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const add = (user: number, item: number, where: string, index: number) => {
    if (!Number.isInteger(user) || user < 0) throw new DataFormatError({ source: where, line: index + 1 }, 'user must be a non-negative integer index', user);
    if (!Number.isInteger(item) || item < 0) throw new DataFormatError({ source: where, line: index + 1 }, 'item must be a non-negative integer index', item);
    let list = out.get(user);
    if (!list) out.set(user, (list = []));
    if (!list.includes(item)) list.push(item);
  };
  if (input instanceof Map) {
    let i = 0;
    for (const [user, items] of input) {
      if (!out.has(user)) out.set(user, []);
      for (const item of items) add(user, item, 'relevant items', i);
      i++;
    }
    return out;
  }
  const list: readonly Interaction[] = isSplit(input) ? input[target] : (input as readonly Interaction[]);
  const where = isSplit(input) ? `split.${target}` : 'relevant interactions';
  list.forEach((x, i) => add(x.user, x.item, where, i));
  return out;
}

/** User → set of items, from interactions (e.g. everything a user has touched). */
export function itemsByUser(interactions: readonly Interaction[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const x of interactions) {
    let s = out.get(x.user);
    if (!s) out.set(x.user, (s = new Set()));
    s.add(x.item);
  }
  return out;
}
