import { requireOption } from './errors.js';
import { Rng } from './random.js';
import { DatasetBuilder } from './dataset-builder.js';
import type { Dataset } from './types.js';

/** Options of {@link generateSyntheticDataset}; every field has a documented default. */
export interface SyntheticOptions {
  /** Seed of everything random. Default 42. */
  seed?: number;
  /** Number of users. Default 1000. */
  users?: number;
  /** Number of items. Default 400. */
  items?: number;
  /** Planted user communities; community k prefers item category k mod categories. Default 8. */
  communities?: number;
  /** Planted item categories. Default 8. */
  categories?: number;
  /** Shortest history. Default 5 (P5's 5-core minimum). */
  minLength?: number;
  /** Longest history. Default 20. */
  maxLength?: number;
  /** Chance that the next pick comes from the user's own community's category. Default 0.85. */
  communityAffinity?: number;
  /** Chance that the next item is the previous item's successor in its category (a sequential habit). Default 0.5. */
  sequentialHabit?: number;
  /** Zipf exponent of item popularity inside a category. Default 1.0. */
  popularitySkew?: number;
  /** Add 1-5 ratings that are higher inside the user's own category. Default true. */
  ratings?: boolean;
  /** Add short review texts whose words depend on category and rating. Default true. */
  reviews?: boolean;
  /** Dataset name. Default `synthetic`. */
  name?: string;
}

const CATEGORY_NOUNS = [
  ['serum', 'moisturizer', 'cleanser', 'toner'],
  ['shampoo', 'conditioner', 'hair mask', 'hair oil'],
  ['nail polish', 'top coat', 'nail file', 'cuticle oil'],
  ['perfume', 'body mist', 'cologne', 'scented lotion'],
  ['brush', 'sponge', 'curler', 'tweezers'],
  ['sunscreen', 'after-sun gel', 'tanning oil', 'sun spray'],
  ['lipstick', 'lip balm', 'lip liner', 'lip gloss'],
  ['mascara', 'eyeliner', 'eye shadow', 'brow pencil'],
];
const RATING_WORDS = ['awful', 'poor', 'okay', 'good', 'excellent'];

/**
 * A dataset with planted structure, deterministic from its seed: users belong
 * to communities that prefer one item category each, items have a popularity
 * skew inside their category, and each item has a likely successor (a
 * sequential habit). A recommender that learns this structure scores far
 * above chance, which makes it the embedded default for demos and tests.
 * The planted communities and categories are returned in `truth`.
 *
 * @example
 * const data = generateSyntheticDataset({ seed: 7, users: 200, items: 100 });
 * console.log(data.users.size, data.items.size); // 200 100
 */
export function generateSyntheticDataset(options: SyntheticOptions = {}): Dataset {
  const o = {
    seed: 42,
    users: 1000,
    items: 400,
    communities: 8,
    categories: 8,
    minLength: 5,
    maxLength: 20,
    communityAffinity: 0.85,
    sequentialHabit: 0.5,
    popularitySkew: 1.0,
    ratings: true,
    reviews: true,
    name: 'synthetic',
    ...options,
  };
  requireOption(Number.isInteger(o.users) && o.users >= 1, 'users', 'must be an integer ≥ 1', o.users);
  requireOption(Number.isInteger(o.categories) && o.categories >= 1, 'categories', 'must be an integer ≥ 1', o.categories);
  requireOption(Number.isInteger(o.communities) && o.communities >= 1, 'communities', 'must be an integer ≥ 1', o.communities);
  requireOption(
    Number.isInteger(o.items) && o.items >= o.categories * 2,
    'items',
    `must be an integer ≥ 2 × categories (${o.categories * 2})`,
    o.items,
  );
  requireOption(
    Number.isInteger(o.minLength) && o.minLength >= 1 && o.maxLength >= o.minLength,
    'minLength/maxLength',
    'need 1 ≤ minLength ≤ maxLength',
    [o.minLength, o.maxLength],
  );
  requireOption(o.maxLength <= o.items, 'maxLength', `must be ≤ items (${o.items}) so histories need not repeat items`, o.maxLength);
  for (const k of ['communityAffinity', 'sequentialHabit'] as const) {
    requireOption(o[k] >= 0 && o[k] <= 1, k, 'must be a probability in [0, 1]', o[k]);
  }
  const rng = new Rng(o.seed);

  // Items are spread over categories in a random order, so ids carry no hint.
  const itemCategory = new Int32Array(o.items);
  const order = rng.shuffle(Array.from({ length: o.items }, (_, i) => i));
  const members: number[][] = Array.from({ length: o.categories }, () => []);
  order.forEach((item, rank) => {
    const c = rank % o.categories;
    itemCategory[item] = c;
    members[c].push(item);
  });
  const positionInCategory = new Int32Array(o.items);
  members.forEach((list) => list.forEach((item, p) => (positionInCategory[item] = p)));
  // Zipf popularity by position inside each category.
  const popularity = members.map((list) => list.map((_, p) => 1 / Math.pow(p + 1, o.popularitySkew)));
  const successor = (item: number) => {
    const list = members[itemCategory[item]];
    return list[(positionInCategory[item] + 1) % list.length];
  };

  const userCommunity = new Int32Array(o.users);
  const builder = new DatasetBuilder(o.name);
  for (let u = 0; u < o.users; u++) {
    const community = rng.int(o.communities);
    userCommunity[u] = community;
    const home = community % o.categories;
    const length = o.minLength + Math.min(o.maxLength - o.minLength, Math.floor(-Math.log(1 - rng.next()) * 4));
    const seen = new Set<number>();
    let prev = -1;
    let day = 1000 + rng.int(2000);
    for (let t = 0; t < length; t++) {
      let item = -1;
      for (let attempt = 0; attempt < 50 && (item < 0 || seen.has(item)); attempt++) {
        if (prev >= 0 && attempt === 0 && rng.next() < o.sequentialHabit) {
          item = successor(prev);
        } else {
          const c = rng.next() < o.communityAffinity ? home : rng.int(o.categories);
          item = members[c][rng.weighted(popularity[c])];
        }
      }
      if (seen.has(item)) {
        // Fall back to the first unseen item of the home category, else of the catalogue (maxLength ≤ items).
        item = members[home].find((i) => !seen.has(i)) ?? order.find((i) => !seen.has(i))!;
      }
      seen.add(item);
      prev = item;
      day += 1 + rng.int(30);
      const affinity = itemCategory[item] === home ? 1 : 0;
      const rating = o.ratings
        ? Math.max(1, Math.min(5, Math.round(2.6 + 1.6 * affinity + 0.8 * rng.normal())))
        : undefined;
      let text: string | undefined;
      if (o.reviews) {
        const nouns = CATEGORY_NOUNS[itemCategory[item] % CATEGORY_NOUNS.length];
        const word = RATING_WORDS[(rating ?? 3 + affinity) - 1];
        text = `this ${rng.pick(nouns)} is ${word}`;
      }
      builder.add({ user: `U${u + 1}`, item: `I${item + 1}`, time: day, rating, text });
    }
  }
  // Items never drawn still exist in the catalogue; register them so ids stay 1..items.
  for (let i = 0; i < o.items; i++) builder.items.add(`I${i + 1}`);
  const dataset = builder.finish();
  // Builder registered items in order of first use; map the truth to that order.
  const truthCategory = new Int32Array(dataset.items.size);
  dataset.items.ids.forEach((raw, idx) => (truthCategory[idx] = itemCategory[Number(raw.slice(1)) - 1]));
  return { ...dataset, truth: { userCommunity, itemCategory: truthCategory } };
}
