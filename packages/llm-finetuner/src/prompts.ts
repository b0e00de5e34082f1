/**
 * Task prompts for fine-tuning and evaluation, after P5 (Geng et al., RecSys
 * 2022) and META ID (Huang et al., ICML 2025): sequential recommendation
 * (history → next item) and direct recommendation (user → item) with 10
 * paraphrased training templates each and one held-out template for testing;
 * rating, explanation and review tasks when the data has ratings or text.
 *
 * Prompts are built as token ids part by part (template words through the
 * tokenizer, item and user codes as whole tokens), so any tokenizer works and
 * a code such as `<CT38><1049>` is never split by a subword model.
 * Departures from P5: direct recommendation is generative (user → item code)
 * as in META ID, not P5's yes/no and candidate-list variants; the review task
 * is review → rating (P5's review-rating prediction), without summarisation.
 */
import { ConfigError, userSequences, type Split, type TaskExample, type TaskName, type TextTokenizer } from '@meta-id/core';
import { codeIds } from './trie.js';

/** Templates per task: `train` are sampled in training, `test` is held out for evaluation. */
export const TEMPLATES: Record<TaskName, { train: string[]; test: string }> = {
  // Short paraphrases: every template word is a token the encoder pays for on
  // 2 CPU cores, so these keep P5's meaning in 4-9 words instead of P5's 10-25.
  sequential: {
    train: [
      '{user} has purchased {history} , what is next ?',
      'Purchase history of {user} : {history} . Predict the next item .',
      'Given the history {history} of {user} , recommend the next item .',
      '{user} interacted with {history} . Next recommendation ?',
      'What will {user} buy after {history} ?',
      'History of {user} : {history} . Which item comes next ?',
      '{user} bought {history} . Recommend the next item .',
      'After {history} , what should {user} get next ?',
      'Predict the next purchase of {user} given {history} .',
      'Items of {user} : {history} . What to recommend next ?',
    ],
    test: 'Considering {user} has interacted with items {history} . What is the next recommendation for the user ?',
  },
  direct: {
    train: [
      'What is the top recommended item for {user} ?',
      'Which item should we recommend to {user} ?',
      'Pick an item that {user} will like .',
      'Recommend one item to {user} .',
      'What would {user} like to buy ?',
      'Suggest something new for {user} .',
      'Choose the best item for {user} .',
      'Which product fits the taste of {user} ?',
      'Give a recommendation for {user} .',
      'What item is {user} most likely to interact with ?',
    ],
    test: 'Please pick the most suitable item to recommend to {user} .',
  },
  rating: {
    train: [
      'Which star rating will {user} give item {item} ? ( 1 being lowest and 5 being highest )',
      'How will {user} rate this product : {item} ? ( 1 being lowest and 5 being highest )',
      'Predict the rating of {user} for item {item} .',
    ],
    test: 'What star rating do you think {user} will give item {item} ? ( 1 being lowest and 5 being highest )',
  },
  explanation: {
    train: [
      'Generate an explanation for {user} about this product : {item}',
      'Help {user} generate a {rating} star explanation about this product : {item}',
      'What would {user} say about item {item} ?',
    ],
    test: 'Explain why {user} would like item {item} .',
  },
  review: {
    train: [
      'Predict the star rating of this review by {user} on item {item} : {text}',
      'According to the review of {user} on item {item} : {text} how many stars did the user give ?',
      'Here is a review : {text} What rating does it go with ?',
    ],
    test: 'Given the review {text} written by {user} , predict its star rating .',
  },
};

/** One prompt before templating: which task, whose, about what. */
export interface PromptSource {
  task: TaskName;
  user: number;
  /** Earlier items, oldest first (sequential). */
  history?: number[];
  /** The item the prompt asks for (sequential, direct) or is about (rating, explanation, review). */
  item: number;
  rating?: number;
  text?: string;
}

/** A prompt as token ids. */
export interface EncodedExample {
  task: TaskName;
  template: string;
  user: number;
  input: Int32Array;
  /** Answer tokens ending in eos. */
  target: Int32Array;
  /** The item a ranking task's answer names. */
  targetItem?: number;
}

export interface PromptOptions {
  /** Tokenizer that knows every template word and every code token. */
  tokenizer: TextTokenizer;
  /** Code tokens of each item (index = dense item index). */
  itemCodes: readonly (readonly string[])[];
  /** Code tokens of each user (META ID gives users OOV codes). Default: `user_<raw>` text. */
  userCodes?: readonly (readonly string[])[];
  /** Raw user ids (for `user_<raw>`). Default: `String(index + 1)`. */
  userIds?: readonly string[];
  /** Most recent history items in a sequential prompt. Default 10. */
  maxHistory?: number;
  /** Text between history items. Default `,`. */
  historySeparator?: string;
}

/** Every text a tokenizer must know to encode the prompts (template words, separator, rating digits). */
export function promptTexts(options: { historySeparator?: string } = {}): string[] {
  const out: string[] = [];
  for (const t of Object.values(TEMPLATES)) out.push(...t.train, t.test);
  out.push(options.historySeparator ?? ',', '1 2 3 4 5');
  return out.map((s) => s.replace(/\{\w+\}/g, ' '));
}

type Part = { text: number[] } | { slot: 'user' | 'history' | 'item' | 'rating' | 'text' };

/** Turns sources into token ids with a given template, caching template words. */
export class PromptEncoder {
  readonly options: Required<Omit<PromptOptions, 'userCodes' | 'userIds'>> & Pick<PromptOptions, 'userCodes' | 'userIds'>;
  private readonly itemIds: number[][];
  private readonly userIdCache = new Map<number, number[]>();
  private readonly separatorIds: number[];
  private readonly parsed = new Map<string, Part[]>();

  constructor(options: PromptOptions) {
    this.options = { maxHistory: 10, historySeparator: ',', ...options };
    const { tokenizer, itemCodes, maxHistory } = this.options;
    if (!(Number.isInteger(maxHistory) && maxHistory >= 1)) throw new ConfigError('maxHistory', 'must be an integer ≥ 1', maxHistory);
    this.itemIds = itemCodes.map((code, i) => codeIds(code, tokenizer, `itemCodes[${i}]`));
    this.separatorIds = tokenizer.encode(this.options.historySeparator);
  }

  get eosId(): number {
    return this.options.tokenizer.vocabulary.eosId;
  }

  /** Token ids of an item's code. */
  itemTokens(item: number): number[] {
    const ids = this.itemIds[item];
    if (!ids) throw new ConfigError('itemCodes', `no code for item ${item} (have ${this.itemIds.length})`);
    return ids;
  }

  /** Token ids standing for a user: its code, or `user_<raw>`. */
  userTokens(user: number): number[] {
    let ids = this.userIdCache.get(user);
    if (!ids) {
      const { userCodes, userIds, tokenizer } = this.options;
      if (userCodes) {
        const code = userCodes[user];
        if (!code) throw new ConfigError('userCodes', `no code for user ${user}`);
        ids = codeIds(code, tokenizer, `userCodes[${user}]`);
      } else {
        ids = tokenizer.encode(`user_${userIds ? userIds[user] : String(user + 1)}`);
      }
      this.userIdCache.set(user, ids);
    }
    return ids;
  }

  private parts(template: string): Part[] {
    let parts = this.parsed.get(template);
    if (!parts) {
      parts = [];
      for (const piece of template.split(/(\{\w+\})/)) {
        const slot = /^\{(\w+)\}$/.exec(piece)?.[1];
        if (slot) {
          if (!['user', 'history', 'item', 'rating', 'text'].includes(slot)) throw new ConfigError('template', `unknown slot {${slot}}`, template);
          parts.push({ slot: slot as 'user' });
        } else if (piece.trim()) parts.push({ text: this.options.tokenizer.encode(piece.trim()) });
      }
      this.parsed.set(template, parts);
    }
    return parts;
  }

  /** Encodes one source with template `templateIndex` of its task (-1 = the held-out test template). */
  encode(source: PromptSource, templateIndex: number): EncodedExample {
    const set = TEMPLATES[source.task];
    const template = templateIndex < 0 ? set.test : set.train[templateIndex];
    if (template === undefined) throw new ConfigError('templateIndex', `task ${source.task} has ${set.train.length} training templates`, templateIndex);
    const { tokenizer } = this.options;
    const input: number[] = [];
    for (const part of this.parts(template)) {
      if ('text' in part) input.push(...part.text);
      else if (part.slot === 'user') input.push(...this.userTokens(source.user));
      else if (part.slot === 'item') input.push(...this.itemTokens(source.item));
      else if (part.slot === 'rating') input.push(...tokenizer.encode(String(Math.round(source.rating ?? 0))));
      else if (part.slot === 'text') input.push(...tokenizer.encode(source.text ?? ''));
      else {
        const history = (source.history ?? []).slice(-this.options.maxHistory);
        history.forEach((item, i) => {
          if (i > 0) input.push(...this.separatorIds);
          input.push(...this.itemTokens(item));
        });
      }
    }
    let target: number[];
    if (source.task === 'sequential' || source.task === 'direct') target = this.itemTokens(source.item);
    else if (source.task === 'explanation') target = tokenizer.encode(source.text ?? '');
    else target = tokenizer.encode(String(Math.round(source.rating ?? 0)));
    return {
      task: source.task,
      template: `${source.task}-${templateIndex < 0 ? 'test' : templateIndex + 1}`,
      user: source.user,
      input: Int32Array.from(input),
      target: Int32Array.from([...target, this.eosId]),
      targetItem: source.task === 'sequential' || source.task === 'direct' ? source.item : undefined,
    };
  }

  /** The prompt as text (core's {@link TaskExample}), for inspection and export. */
  render(source: PromptSource, templateIndex: number): TaskExample {
    const e = this.encode(source, templateIndex);
    const tk = this.options.tokenizer;
    const show = (ids: Int32Array) => [...ids].map((id) => tk.vocabulary.tokens[id] ?? '?').filter((t, i, a) => !(i === a.length - 1 && ids[i] === this.eosId)).join(' ');
    return { task: e.task, template: e.template, user: e.user, input: show(e.input), target: show(e.target), targetItem: e.targetItem };
  }
}

/** Which tasks to build sources for. */
export interface TaskSelection {
  /** Default ['sequential']. Rating/explanation/review need ratings/text in the split. */
  tasks?: TaskName[];
  /** Most recent history items kept per sequential source. Default 10. */
  maxHistory?: number;
}

/**
 * Training sources, from `split.train` only: sequential = every prefix of a
 * user's training items (history → next training item); direct = every
 * training item; rating / explanation / review = every training interaction
 * with a rating / text. Never reads `split.validation` or `split.test`.
 */
export function trainingSources(split: Pick<Split, 'train' | 'numUsers'>, selection: TaskSelection = {}): PromptSource[] {
  const tasks = selection.tasks ?? ['sequential'];
  const maxHistory = selection.maxHistory ?? 10;
  const out: PromptSource[] = [];
  if (tasks.includes('sequential') || tasks.includes('direct')) {
    const seqs = userSequences(split.train, split.numUsers);
    seqs.forEach((seq, user) => {
      if (tasks.includes('sequential')) {
        for (let t = 1; t < seq.length; t++) out.push({ task: 'sequential', user, history: seq.slice(Math.max(0, t - maxHistory), t), item: seq[t] });
      }
      if (tasks.includes('direct')) for (const item of seq) out.push({ task: 'direct', user, item });
    });
  }
  for (const x of split.train) {
    if (tasks.includes('rating') && x.rating !== undefined) out.push({ task: 'rating', user: x.user, item: x.item, rating: x.rating });
    if (tasks.includes('explanation') && x.text) out.push({ task: 'explanation', user: x.user, item: x.item, rating: x.rating, text: x.text });
    if (tasks.includes('review') && x.text && x.rating !== undefined) out.push({ task: 'review', user: x.user, item: x.item, rating: x.rating, text: x.text });
  }
  return out;
}

/**
 * Ranking sources for evaluation of a leave-one-out split: `validation` asks
 * for the second-last item from the training items; `test` asks for the last
 * item from training + validation items. Only `test` reads `split.test`.
 */
export function evaluationSources(
  split: Pick<Split, 'train' | 'validation' | 'test' | 'numUsers'>,
  part: 'validation' | 'test',
  options: { task?: 'sequential' | 'direct'; maxHistory?: number } = {},
): PromptSource[] {
  const task = options.task ?? 'sequential';
  const maxHistory = options.maxHistory ?? 10;
  const seqs = userSequences(split.train, split.numUsers);
  if (part === 'test') for (const x of split.validation) seqs[x.user].push(x.item);
  const targets = part === 'test' ? split.test : split.validation;
  return targets.map((x) => ({ task, user: x.user, history: seqs[x.user].slice(-maxHistory), item: x.item }));
}
