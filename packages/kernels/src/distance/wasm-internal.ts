/**
 * Small helpers the WebAssembly SIMD kernels share (wasm-simd.ts, elkan.ts); not part of the package's API
 * (distance/index.ts does not export this file).
 */

/** Points of the synthetic warm-up runs (warmSeeding; elkan.ts): enough to use up V8's tiering budget. */
export const WARM_UP_POINTS = 4096;

/**
 * Points for a warm-up whose rows hold `floatsPerPoint` floats: WARM_UP_POINTS, fewer for wide rows (each point
 * then runs more code, and the warm-up stays within ~8 MB), never under 256.
 */
export function warmUpPoints(floatsPerPoint: number): number {
  return Math.max(256, Math.min(WARM_UP_POINTS, Math.floor(2 ** 21 / Math.max(1, floatsPerPoint))) & ~3);
}

/** Whether two float arrays hold the same bits (memcmp through Buffer where there is one). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  if (typeof Buffer !== 'undefined') return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
