import { describe, expect, it } from 'vitest';
import { checkWellFormedXml } from './xml.js';

describe('the XML checker used by the SVG tests', () => {
  it('accepts well-formed documents and rejects broken ones', () => {
    expect(checkWellFormedXml('<?xml version="1.0"?>\n<a x="1"><b/>t &amp; u<c y=\'2\'></c></a>\n')).toEqual(['a', 'b', 'c']);
    for (const bad of ['<a><b></a></b>', '<a>', '<a x=1/>', '<a x="1" x="2"/>', '<a>&nbsp;</a>', '<a/><b/>', 'text<a/>', '<a title="<"/>', '<a x="a & b"/>']) {
      expect(() => checkWellFormedXml(bad), bad).toThrow(/not well-formed/);
    }
  });
});
