/** In-vocabulary item-id schemes that META ID is compared against (Hua et al., 2023; P5). */
export * from './types.js';
export * from './codebook-from-codes.js';
export { randomIds } from './random-ids.js';
export { sequentialIds } from './sequential-ids.js';
export { collaborativeIds, coOccurrenceGraph, type CollaborativeIdOptions } from './collaborative-ids.js';
