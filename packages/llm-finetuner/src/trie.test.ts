import { describe, expect, it } from 'vitest';
import { ItemTrie } from './trie.js';
import { TestWordTokenizer } from './test-support/word-tokenizer.js';

describe('ItemTrie', () => {
  const codes = [[5, 7], [5, 8], [6, 7], [9]];
  const trie = new ItemTrie(codes);

  it('allows exactly the continuations of valid prefixes', () => {
    expect(trie.allowedNext([]).sort()).toEqual([5, 6, 9]);
    expect(trie.allowedNext([5]).sort()).toEqual([7, 8]);
    expect(trie.allowedNext([6])).toEqual([7]);
    expect(trie.allowedNext([7])).toEqual([]); // not a prefix of any code
    expect(trie.allowedNext([5, 7])).toEqual([]); // complete
    expect(trie.find([6, 8])).toBeUndefined();
  });

  it('maps full codes to items and nothing else', () => {
    codes.forEach((c, item) => expect(trie.itemOf(c)).toBe(item));
    expect(trie.itemOf([5])).toBe(-1);
    expect(trie.itemOf([5, 7, 1])).toBe(-1);
    expect(trie.maxLength).toBe(2);
  });

  it('every path from the root spells a real code (enumeration equals the code list)', () => {
    const found: string[] = [];
    const walk = (node: typeof trie.root, path: number[]) => {
      if (node.item >= 0) found.push(`${node.item}:${path.join(',')}`);
      for (const [t, child] of node.children) walk(child, [...path, t]);
    };
    walk(trie.root, []);
    expect(found.sort()).toEqual(codes.map((c, i) => `${i}:${c.join(',')}`).sort());
  });

  it('rejects duplicate and empty codes', () => {
    expect(() => new ItemTrie([[1, 2], [1, 2]])).toThrow(/same code/);
    expect(() => new ItemTrie([[1], []])).toThrow(/empty code/);
  });

  it('builds from token strings and names an unknown token', () => {
    const tk = new TestWordTokenizer([], ['<CT1>', '<1001>']);
    expect(ItemTrie.fromTokens([['<CT1>', '<1001>']], tk).itemOf([tk.tokenId('<CT1>')!, tk.tokenId('<1001>')!])).toBe(0);
    expect(() => ItemTrie.fromTokens([['<CT1>', '<9999>']], tk)).toThrow(/<9999>/);
  });
});
