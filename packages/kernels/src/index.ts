/**
 * @meta-id/kernels: the hot loops of meta-id behind one interface with
 * several backends, and the run-time choice of the tfjs backend.
 */
export * from './tfjs-backend.js';
export * from './select.js';
export * from './distance/index.js';
export * from './skipgram/index.js';
