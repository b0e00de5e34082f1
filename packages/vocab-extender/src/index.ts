/**
 * @meta-id/vocab-extender: OOV tokens into a tokenizer and an embedding
 * matrix (META ID, Huang et al., ICML 2025, §3.2). Tokenizers (a word-level
 * one for models trained from scratch; any Hugging Face tokenizer.json through
 * @huggingface/tokenizers), adding a codebook's tokens as whole tokens,
 * growing the embedding matrix (random / mean / centroid-projection starts),
 * the centroid inputs of the representation augmentation, and safetensors.
 * Browser-safe; files are read and written by `@meta-id/vocab-extender/node`.
 */
export * from './naming.js';
export { AddedTokenMatcher, type TextPiece } from './added-tokens.js';
export * from './tokenizer-json.js';
export {
  WordLevelTokenizer,
  forEachWord,
  WORD_LEVEL_DECODER,
  WORD_LEVEL_PRE_TOKENIZER,
  type WordLevelOptions,
  type SpecialRoleOptions,
} from './word-level.js';
export { HfTokenizer, type HfTokenizerOptions } from './hf-tokenizer.js';
export * from './extend.js';
export * from './embeddings.js';
export * from './safetensors.js';
export * from './meta-id-indexing.js';
export * from './pipeline.js';
