/**
 * Prefix trie over item codes as token ids: constrained decoding only ever
 * follows a path of the trie, so every generated code names a real item
 * (P5 / META ID's `prefix_allowed_tokens_fn`).
 */
import { ConfigError } from '@meta-id/core';
import type { TextTokenizer } from '@meta-id/core';

export interface TrieNode {
  /** Next token id → child. */
  children: Map<number, TrieNode>;
  /** Item whose code ends here, if any. */
  item: number;
}

export class ItemTrie {
  readonly root: TrieNode = { children: new Map(), item: -1 };
  /** Token ids of each item's code (index = item). */
  readonly codes: Int32Array[];
  /** Longest code, in tokens. */
  readonly maxLength: number;

  /** `codes[item]` = token ids of the item's code; every code must be non-empty and distinct. */
  constructor(codes: ArrayLike<number>[]) {
    this.codes = [];
    let maxLength = 0;
    for (let item = 0; item < codes.length; item++) {
      const code = Int32Array.from(codes[item]);
      if (code.length === 0) throw new ConfigError('itemCodes', `item ${item} has an empty code`);
      let node = this.root;
      for (const t of code) {
        let next = node.children.get(t);
        if (!next) node.children.set(t, (next = { children: new Map(), item: -1 }));
        node = next;
      }
      if (node.item >= 0) throw new ConfigError('itemCodes', `items ${node.item} and ${item} have the same code`, [...code]);
      node.item = item;
      this.codes.push(code);
      maxLength = Math.max(maxLength, code.length);
    }
    this.maxLength = maxLength;
  }

  /**
   * Builds the trie from token strings (`itemCodes[item]`, e.g. `['<CT38>', '<1049>']`),
   * naming the first token the tokenizer does not know.
   */
  static fromTokens(itemCodes: readonly (readonly string[])[], tokenizer: TextTokenizer): ItemTrie {
    return new ItemTrie(itemCodes.map((code, item) => codeIds(code, tokenizer, `itemCodes[${item}]`)));
  }

  /** The node reached by `prefix`, or undefined when no item code starts with it. */
  find(prefix: ArrayLike<number>): TrieNode | undefined {
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < prefix.length && node; i++) node = node.children.get(prefix[i]);
    return node;
  }

  /** Tokens allowed after `prefix` (empty when the prefix is invalid or complete). */
  allowedNext(prefix: ArrayLike<number>): number[] {
    const node = this.find(prefix);
    return node ? [...node.children.keys()] : [];
  }

  /** The item whose full code is `ids`, or -1. */
  itemOf(ids: ArrayLike<number>): number {
    return this.find(ids)?.item ?? -1;
  }
}

/** Token ids of a code, with an error naming the unknown token. */
export function codeIds(code: readonly string[], tokenizer: TextTokenizer, where: string): number[] {
  return code.map((token) => {
    const id = tokenizer.tokenId(token);
    if (id === undefined) throw new ConfigError(where, 'token not in the tokenizer vocabulary (extend the tokenizer with the codebook first)', token);
    return id;
  });
}
