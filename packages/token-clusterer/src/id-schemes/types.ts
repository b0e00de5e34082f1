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

/** Decimal digits of n as separate tokens: how a subword tokenizer sees a number (`1234` → `1 2 3 4`). */
export function digitTokens(n: number): string[] {
  return String(n).split('');
}
