import { ConfigError, MetaIdError } from './errors.js';
import { Rng } from './random.js';
import type { Dataset, Interaction, Split } from './types.js';

/**
 * Leave-one-out per user, as P5 and META ID evaluate sequential
 * recommendation: the last interaction is the test target, the second last
 * the validation target, the rest is training. Needs ≥ 3 interactions per user;
 * a shorter history is an error unless `dropShortUsers` is set, in which case
 * those users are left out of every part and counted in `droppedUsers`.
 */
export function leaveOneOutSplit(
  dataset: Dataset,
  options: { dropShortUsers?: boolean } = {},
): Split & { droppedUsers: number } {
  const train: Interaction[] = [];
  const validation: Interaction[] = [];
  const test: Interaction[] = [];
  let droppedUsers = 0;
  const xs = dataset.interactions;
  let start = 0;
  while (start < xs.length) {
    let end = start;
    while (end < xs.length && xs[end].user === xs[start].user) end++;
    const n = end - start;
    if (n < 3) {
      if (!options.dropShortUsers) {
        throw new MetaIdError(
          `leave-one-out needs at least 3 interactions per user; user ${JSON.stringify(
            dataset.users.id(xs[start].user),
          )} has ${n} (set dropShortUsers to leave such users out)`,
        );
      }
      droppedUsers++;
    } else {
      for (let i = start; i < end - 2; i++) train.push(xs[i]);
      validation.push(xs[end - 2]);
      test.push(xs[end - 1]);
    }
    start = end;
  }
  return {
    kind: 'leave-one-out',
    numUsers: dataset.users.size,
    numItems: dataset.items.size,
    train,
    validation,
    test,
    droppedUsers,
  };
}

/**
 * Random ratio split (80/10/10 by default) for rating, explanation and review
 * tasks, keeping every user and every item in training: in a seeded shuffle,
 * the first interaction of each user and of each item goes to training, then
 * the rest fill validation and test up to their shares.
 */
export function ratioSplit(
  dataset: Dataset,
  options: { ratios?: [number, number, number]; seed?: number } = {},
): Split {
  const [a, b, c] = options.ratios ?? [0.8, 0.1, 0.1];
  if ([a, b, c].some((r) => !(r >= 0)) || Math.abs(a + b + c - 1) > 1e-9) {
    throw new ConfigError('ratios', 'must be three non-negative numbers that sum to 1', options.ratios);
  }
  const rng = new Rng(options.seed ?? 42);
  const order = rng.shuffle(dataset.interactions.map((_, i) => i));
  const userSeen = new Uint8Array(dataset.users.size);
  const itemSeen = new Uint8Array(dataset.items.size);
  const part = new Uint8Array(dataset.interactions.length); // 0 train, 1 validation, 2 test
  const rest: number[] = [];
  for (const i of order) {
    const x = dataset.interactions[i];
    if (!userSeen[x.user] || !itemSeen[x.item]) {
      userSeen[x.user] = 1;
      itemSeen[x.item] = 1;
    } else rest.push(i);
  }
  const n = dataset.interactions.length;
  const nVal = Math.min(rest.length, Math.round(n * b));
  const nTest = Math.min(rest.length - nVal, Math.round(n * c));
  for (let k = 0; k < nVal; k++) part[rest[k]] = 1;
  for (let k = nVal; k < nVal + nTest; k++) part[rest[k]] = 2;
  const split: Split = {
    kind: 'ratio',
    numUsers: dataset.users.size,
    numItems: dataset.items.size,
    train: [],
    validation: [],
    test: [],
  };
  // Keep each part in the dataset's (user, time) order.
  dataset.interactions.forEach((x, i) => {
    (part[i] === 0 ? split.train : part[i] === 1 ? split.validation : split.test).push(x);
  });
  return split;
}
