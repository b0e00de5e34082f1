import { describe, expect, it } from 'vitest';
import { clusterToken, codeText, fineToken, levelToken, splitBracketedCode } from './naming.js';

describe('naming scheme', () => {
  it('spells tokens and codes as documented', () => {
    expect(clusterToken(38)).toBe('<CT38>');
    expect(fineToken(1049)).toBe('<1049>');
    expect(levelToken(0, 5)).toBe('<L1_5>');
    expect(levelToken(2, 0)).toBe('<L3_0>');
    expect(codeText(['<CT38>', '<1049>'])).toBe('<CT38><1049>');
  });

  it('splits bracketed code texts and refuses anything else', () => {
    expect(splitBracketedCode('<CT38><1049>')).toEqual(['<CT38>', '<1049>']);
    expect(splitBracketedCode('<L0_1><L1_5><L2_0>')).toEqual(['<L0_1>', '<L1_5>', '<L2_0>']);
    expect(splitBracketedCode('x<CT38>')).toBeUndefined();
    expect(splitBracketedCode('<CT38> <1>')).toBeUndefined();
    expect(splitBracketedCode('')).toBeUndefined();
  });
});
