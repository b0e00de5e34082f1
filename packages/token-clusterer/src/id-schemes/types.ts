import type { Split, TokenCodebook } from '@meta-id/core';

/** What an item-id scheme may look at: the training interactions only. */
export interface ItemIdInput {
  split: Split;
  /** Raw item ids (index = item), e.g. `dataset.items.ids`. */
  itemIds: readonly string[];
  seed?: number;
}

/**
 * An in-vocabulary item-id scheme of the kind META ID is compared against:
 * each item gets a code of ordinary vocabulary tokens (decimal digits and
 * small numbers), not new OOV tokens.
 */
export interface ItemIdScheme {
  name: string;
  assign(input: ItemIdInput): Promise<TokenCodebook>;
}

/**
 * Decimal digits of n as separate tokens, zero-padded to `width` (`1234`,
 * width 5 → `0 1 2 3 4`): how a subword tokenizer sees a number, padded so
 * that no item's code is a prefix of another's (constrained decoding stops
 * when it reaches a complete code).
 */
export function digitTokens(n: number, width = 1): string[] {
  return String(n).padStart(width, '0').split('');
}
