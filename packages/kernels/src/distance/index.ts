export * from './types.js';
export * from './reference.js';
export * from './typescript-fast.js';
export * from './tfjs.js';
export * from './gpujs.js';
export * from './wasm-simd.js';
export * from './elkan.js';
export * from './choose.js';
