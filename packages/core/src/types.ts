/**
 * The typed interfaces every meta-id package speaks. Entities are addressed by
 * dense 0-based indices inside a {@link Dataset}; raw ids (Amazon ASINs,
 * reviewer ids, ...) live in the dataset's id maps and in every file written
 * for other tools.
 */

/** One user-item event. `user` and `item` index into the dataset's id maps. */
export interface Interaction {
  user: number;
  item: number;
  /** Timestamp or any increasing order key; absent in P5 files, whose line order is the time order. */
  time?: number;
  rating?: number;
  /** Review or explanation text, when the source has it. */
  text?: string;
}

/** Raw id ↔ dense index, in order of first registration. */
export class IdMap {
  readonly ids: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Index of `id`, registering it if new. */
  add(id: string): number {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.index.set(id, i);
    }
    return i;
  }

  /** Index of `id`, or undefined when unknown. */
  get(id: string): number | undefined {
    return this.index.get(id);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Raw id of index `i`. */
  id(i: number): string {
    const id = this.ids[i];
    if (id === undefined) throw new RangeError(`IdMap: no entity with index ${i} (size ${this.ids.length})`);
    return id;
  }
}

/**
 * A set of interactions with its id maps. Interactions are grouped by user and
 * in time order inside each user (readers guarantee it), so a user's history is
 * a contiguous run.
 */
export interface Dataset {
  name: string;
  users: IdMap;
  items: IdMap;
  interactions: Interaction[];
  /** What a reader dropped by a rule the caller asked for, and why; never silent. */
  dropped?: DropReport[];
  /** Columns of the source that no field was mapped to (reported, not silently lost). */
  ignoredColumns?: string[];
  /** Ground truth of a synthetic dataset (planted communities and categories). */
  truth?: PlantedStructure;
}

/** Records removed on purpose by a rule the caller chose. */
export interface DropReport {
  rule: string;
  users: number;
  items: number;
  interactions: number;
}

/** The structure a synthetic dataset was generated from, for checking recovery. */
export interface PlantedStructure {
  userCommunity: Int32Array;
  itemCategory: Int32Array;
}

/** Which split scheme produced a {@link Split}. */
export type SplitKind = 'leave-one-out' | 'ratio';

/**
 * Train / validation / test interactions. For leave-one-out every user has
 * exactly one validation and one test interaction, in user order.
 */
export interface Split {
  kind: SplitKind;
  numUsers: number;
  numItems: number;
  train: Interaction[];
  validation: Interaction[];
  test: Interaction[];
}

/** Kind of a node in the joint user-item space. */
export type EntityType = 'user' | 'item';

/**
 * Dense vectors for a list of named entities, row-major. Names follow
 * {@link entityKey} when users and items share one table.
 */
export interface EmbeddingTable {
  ids: string[];
  dim: number;
  /** `ids.length * dim` values, row i at `[i*dim, (i+1)*dim)`. */
  vectors: Float32Array;
}

/** Metadata of one OOV token in a codebook. */
export interface TokenInfo {
  /** The token text, e.g. `<CT38>` or `<1049>`. */
  token: string;
  /** 0 = coarsest. */
  level: number;
  /** How many entities' codes use this token. */
  members: number;
  /** Centroid the token stands for in embedding space, when it has one. */
  centroid?: number[];
}

/**
 * Entity → OOV token code, and token → what it stands for. Codes are unique per
 * entity. Keys of `codes` are {@link entityKey}s.
 */
export interface TokenCodebook {
  /** Name of the scheme that produced it (e.g. `meta-id`, `hierarchical`). */
  scheme: string;
  /** Embedding dimension of the centroids. */
  dim: number;
  tokens: TokenInfo[];
  codes: Record<string, string[]>;
  /** Free-form statistics the scheme reports (tokens per level, cluster sizes, collisions). */
  stats?: Record<string, unknown>;
}

/** A token vocabulary: index = token id. */
export interface Vocabulary {
  tokens: string[];
  padId: number;
  eosId: number;
  unkId: number;
}

/** Tasks a prompt can pose. */
export type TaskName = 'sequential' | 'direct' | 'rating' | 'explanation' | 'review';

/** One prompt/answer pair for fine-tuning or evaluation. */
export interface TaskExample {
  task: TaskName;
  /** Template id, e.g. `sequential-3`, so results can be broken down by template. */
  template: string;
  user: number;
  input: string;
  target: string;
  /** The item the target names, for ranking tasks. */
  targetItem?: number;
}

/** A ranked list of items for one user, best first. */
export interface Ranking {
  user: number;
  items: number[];
  scores?: number[];
}

/** Metric name (e.g. `NDCG@10`) → value, with what it was computed over. */
export interface MetricReport {
  metrics: Record<string, number>;
  /** Number of users / examples each metric averages over. */
  count: number;
  meta?: Record<string, unknown>;
}

/** Node name of an entity in a joint user-item space: `u:<raw>` or `i:<raw>`. */
export function entityKey(type: EntityType, rawId: string): string {
  return `${type === 'user' ? 'u' : 'i'}:${rawId}`;
}

/** Inverse of {@link entityKey}. */
export function parseEntityKey(key: string): { type: EntityType; rawId: string } {
  const kind = key.slice(0, 2);
  if (kind === 'u:') return { type: 'user', rawId: key.slice(2) };
  if (kind === 'i:') return { type: 'item', rawId: key.slice(2) };
  throw new RangeError(`not an entity key (want "u:<id>" or "i:<id>"): ${JSON.stringify(key)}`);
}

/**
 * What a model needs of a tokenizer. @meta-id/vocab-extender provides
 * implementations (word-level, Hugging Face tokenizer.json); the fine-tuner
 * only speaks this interface, so any tokenizer can be swapped in.
 */
export interface TextTokenizer {
  vocabulary: Vocabulary;
  /** Token ids of a text, without special tokens such as end-of-sequence. */
  encode(text: string): number[];
  /** Text of token ids; special tokens are skipped. */
  decode(ids: readonly number[]): string;
  /** Id of one whole token, or undefined when it is not in the vocabulary. */
  tokenId(token: string): number | undefined;
}
