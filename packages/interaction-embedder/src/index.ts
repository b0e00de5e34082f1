/**
 * @meta-id/interaction-embedder: the bipartite user-item graph of training
 * interactions (CSR), meta-path random walks, skip-gram with negative
 * sampling on worker threads, and embedding I/O (word2vec text/binary, .npy).
 */
export * from './graph.js';
export * from './walks.js';
export * from './corpus-io.js';
export * from './skipgram/trainer.js';
export { trainSlice, type SliceContext, type SliceJob, type SliceResult } from './skipgram/sgns-slice.js';
export { skipGramWasmBytes, skipGramWasmModule, sigmoidTable } from './skipgram/wasm-simd.js';
export * from './embedding-io.js';
export * from './embed.js';
