/**
 * @meta-id/llm-finetuner: a T5-layout encoder-decoder on tfjs, multi-task
 * recommendation prompts, training with exact resume, and trie-constrained
 * beam search.
 */
export * from './config.js';
export * from './model.js';
export * from './safetensors.js';
export * from './trie.js';
export * from './prompts.js';
export * from './batching.js';
export * from './adamw.js';
export * from './checkpoint.js';
export * from './generate.js';
export * from './train.js';
export * from './hf.js';
