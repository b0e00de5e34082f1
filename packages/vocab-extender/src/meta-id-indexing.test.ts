import { DataFormatError } from '@meta-id/core';
import { describe, expect, it } from 'vitest';
import { codebookFromIndexing, parseMetaIdIndexing } from './meta-id-indexing.js';

describe('META ID indexing files', () => {
  it('parses `raw_id <CTa><b>` lines into entity keys and tokens', () => {
    const items = parseMetaIdIndexing('B007ZBUQ1A <CT79><1220>\r\nB007ZGM6A4 <CT37><1521>\n\n', 'item');
    expect(items).toEqual([
      { key: 'i:B007ZBUQ1A', tokens: ['<CT79>', '<1220>'] },
      { key: 'i:B007ZGM6A4', tokens: ['<CT37>', '<1521>'] },
    ]);
    const users = parseMetaIdIndexing('A3IAU6ZPVF2R5K <CT21><1383>', 'user');
    const cb = codebookFromIndexing([...items, ...users]);
    expect(cb.codes['u:A3IAU6ZPVF2R5K']).toEqual(['<CT21>', '<1383>']);
    // Level first, then natural order of the spelling.
    expect(cb.tokens.map((t) => [t.token, t.level, t.members])).toEqual([
      ['<CT21>', 0, 1], ['<CT37>', 0, 1], ['<CT79>', 0, 1], ['<1220>', 1, 1], ['<1383>', 1, 1], ['<1521>', 1, 1],
    ]);
    expect(codebookFromIndexing(parseMetaIdIndexing('a <CT2><1>\nb <CT10><1>', 'item')).tokens.map((t) => [t.token, t.members])).toEqual([['<CT2>', 1], ['<CT10>', 1], ['<1>', 2]]);
  });

  it('names file and line of malformed or duplicate entries', () => {
    expect(() => parseMetaIdIndexing('a <CT1><2>\nb <CT1>x', 'item', 'codes.txt')).toThrow(/codes.txt:2 \(column 2\)/);
    expect(() => parseMetaIdIndexing('a <CT1><2> extra', 'item', 'codes.txt')).toThrow(DataFormatError);
    expect(() => parseMetaIdIndexing('a <CT1><2>\na <CT1><3>', 'item', 'codes.txt')).toThrow(/codes.txt:2.*listed twice/);
    expect(() => codebookFromIndexing(parseMetaIdIndexing('a <CT1><2>\nb <CT1><2>', 'item'))).toThrow(/also the code of i:a/);
  });
});
