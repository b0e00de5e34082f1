/**
 * Leftmost-longest matching of whole tokens in raw text: the rule Hugging Face
 * tokenizers apply to `added_tokens` before any normalisation or
 * pre-tokenisation (Rust: Aho-Corasick with LeftmostLongest; tokenizers.js:
 * a trie scanned from each position). A code such as `<CT38><1049>` therefore
 * comes out as its tokens whatever surrounds it, e.g. `item_<CT38><1049>`.
 */

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Token that ends here, when one does. */
  token?: string;
  /** Value stored with that token (a token id for tokenizers). */
  value: number;
}

/** One piece of a text: either plain text or a whole added token. */
export interface TextPiece {
  text: string;
  /** True when `text` is an added token. */
  added: boolean;
}

/** A set of whole tokens and the splitter that finds them in text. */
export class AddedTokenMatcher {
  private readonly root: TrieNode = { next: new Map(), value: -1 };
  private count = 0;
  /** 1 for UTF-16 code units that start some token: most text positions are rejected with one array read. */
  private readonly starts = new Uint8Array(65536);
  /** Value of the token found by the last successful {@link longestAt}. */
  lastValue = -1;

  constructor(tokens: Iterable<string> = []) {
    for (const t of tokens) this.add(t);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `token` (again: updates its value). */
  add(token: string, value = -1): void {
    if (token.length === 0) throw new RangeError('an added token cannot be empty');
    this.starts[token.charCodeAt(0)] = 1;
    let node = this.root;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      let child = node.next.get(c);
      if (!child) {
        child = { next: new Map(), value: -1 };
        node.next.set(c, child);
      }
      node = child;
    }
    if (node.token === undefined) this.count++;
    node.token = token;
    node.value = value;
  }

  /**
   * Length of the longest token starting at `start` (0 when none); its value
   * is left in {@link lastValue}. The allocation-free form of {@link matchAt}.
   */
  longestAt(text: string, start: number): number {
    if (this.starts[text.charCodeAt(start)] === 0) return 0;
    let node: TrieNode | undefined = this.root;
    let len = 0;
    for (let j = start; j < text.length; j++) {
      node = node.next.get(text.charCodeAt(j));
      if (node === undefined) break;
      if (node.token !== undefined) {
        len = j - start + 1;
        this.lastValue = node.value;
      }
    }
    return len;
  }

  /** Longest added token starting at `start`, or undefined. */
  matchAt(text: string, start: number): string | undefined {
    let node: TrieNode | undefined = this.root;
    let match: string | undefined;
    for (let j = start; j < text.length; j++) {
      node = node.next.get(text.charCodeAt(j));
      if (!node) break;
      if (node.token !== undefined) match = node.token;
    }
    return match;
  }

  /** Splits `text` into plain sections and whole added tokens, in order; no empty pieces. */
  split(text: string): TextPiece[] {
    const out: TextPiece[] = [];
    if (this.count === 0) {
      if (text.length > 0) out.push({ text, added: false });
      return out;
    }
    let start = 0;
    let i = 0;
    const n = text.length;
    while (i < n) {
      // Fast reject: most positions start no token.
      if (this.starts[text.charCodeAt(i)] === 0) {
        i++;
        continue;
      }
      const m = this.matchAt(text, i);
      if (m === undefined) {
        i++;
        continue;
      }
      if (i > start) out.push({ text: text.slice(start, i), added: false });
      out.push({ text: m, added: true });
      i += m.length;
      start = i;
    }
    if (start < n) out.push({ text: text.slice(start), added: false });
    return out;
  }
}
