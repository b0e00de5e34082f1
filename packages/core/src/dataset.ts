import { ConfigError } from './errors.js';
import { IdMap, type Dataset, type Interaction } from './types.js';

/** The item sequence of every user, in time order (index = user). */
export function userSequences(interactions: readonly Interaction[], numUsers: number): number[][] {
  const seqs: number[][] = Array.from({ length: numUsers }, () => []);
  for (const x of interactions) seqs[x.user].push(x.item);
  return seqs;
}

/** Counts and sequence-length summary of a dataset. */
export interface DatasetStats {
  users: number;
  items: number;
  interactions: number;
  sequenceLength: { min: number; median: number; mean: number; max: number };
  /** Fraction of the user × item matrix that is observed. */
  density: number;
  hasRatings: boolean;
  hasTimestamps: boolean;
  hasText: boolean;
}

export function datasetStats(dataset: Dataset): DatasetStats {
  const lengths = new Array<number>(dataset.users.size).fill(0);
  const itemSeen = new Uint8Array(dataset.items.size);
  let hasRatings = false;
  let hasTimestamps = false;
  let hasText = false;
  for (const x of dataset.interactions) {
    lengths[x.user]++;
    itemSeen[x.item] = 1;
    hasRatings ||= x.rating !== undefined;
    hasTimestamps ||= x.time !== undefined;
    hasText ||= x.text !== undefined;
  }
  const active = lengths.filter((n) => n > 0).sort((a, b) => a - b);
  const n = active.length;
  const median = n === 0 ? 0 : n % 2 ? active[(n - 1) / 2] : (active[n / 2 - 1] + active[n / 2]) / 2;
  const items = itemSeen.reduce((a, b) => a + b, 0);
  return {
    users: n,
    items,
    interactions: dataset.interactions.length,
    sequenceLength: {
      min: n ? active[0] : 0,
      median,
      mean: n ? dataset.interactions.length / n : 0,
      max: n ? active[n - 1] : 0,
    },
    density: n && items ? dataset.interactions.length / (n * items) : 0,
    hasRatings,
    hasTimestamps,
    hasText,
  };
}

/**
 * Keeps users with at least `minInteractions` interactions (and, with
 * `minItemInteractions`, items with at least that many, iterated to a fixed
 * point: a k-core). Dropped counts are appended to `dataset.dropped`; ids are
 * re-indexed densely.
 */
export function filterByActivity(
  dataset: Dataset,
  options: { minInteractions?: number; minItemInteractions?: number },
): Dataset {
  const minU = options.minInteractions ?? 1;
  const minI = options.minItemInteractions ?? 1;
  if (!Number.isInteger(minU) || minU < 1) throw new ConfigError('minInteractions', 'must be an integer ≥ 1', minU);
  if (!Number.isInteger(minI) || minI < 1) throw new ConfigError('minItemInteractions', 'must be an integer ≥ 1', minI);
  let xs = dataset.interactions;
  for (;;) {
    const uc = new Int32Array(dataset.users.size);
    const ic = new Int32Array(dataset.items.size);
    for (const x of xs) {
      uc[x.user]++;
      ic[x.item]++;
    }
    const kept = xs.filter((x) => uc[x.user] >= minU && ic[x.item] >= minI);
    if (kept.length === xs.length) break;
    xs = kept;
  }
  const users = new IdMap();
  const items = new IdMap();
  const interactions = xs.map((x) => ({
    ...x,
    user: users.add(dataset.users.id(x.user)),
    item: items.add(dataset.items.id(x.item)),
  }));
  const before = datasetStats(dataset);
  const rule = `users with ≥ ${minU} and items with ≥ ${minI} interactions`;
  return {
    ...dataset,
    users,
    items,
    interactions,
    dropped: [
      ...(dataset.dropped ?? []),
      {
        rule,
        users: before.users - users.size,
        items: before.items - items.size,
        interactions: dataset.interactions.length - interactions.length,
      },
    ],
  };
}
