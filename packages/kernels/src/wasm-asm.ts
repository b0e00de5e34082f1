/**
 * `@meta-id/kernels/wasm-asm`: the WebAssembly byte-code writer behind the
 * wasm-simd kernels, on its own entry so that a package assembling its own
 * loop (the embedder's skip-gram) does not load tfjs to get it.
 */
export * from './distance/wasm-asm.js';
