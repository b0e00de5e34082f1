/**
 * Which distance kernels a k-means run uses. Small problems run on the
 * hand-tuned TypeScript loop (a tfjs call or a backend race costs more than
 * the whole job); larger ones race the backends once per process through
 * @meta-id/kernels and use the fastest that agrees with the reference.
 */
import {
  chooseDistanceMatrixKernel,
  chooseNearestKernel,
  createDistanceMatrixKernel,
  createNearestKernel,
  createWasmSimdSeeding,
  distanceMatrixTypescript,
  seedingFromMatrix,
  nearestTypescript,
  type DistanceMatrixBackend,
  type DistanceMatrixKernel,
  type NearestBackend,
  type NearestKernel,
  type SeedingKernel,
} from '@meta-id/kernels';

/** `auto`, a backend name, or a kernel function of your own. */
export type NearestChoice = 'auto' | NearestBackend | NearestKernel;

/** Below this many multiply-adds per assignment pass, `auto` uses the TypeScript loop without racing. */
export const SMALL_PROBLEM = 2e7;

export async function resolveNearest(choice: NearestChoice, n: number, k: number, dim: number, quiet: boolean): Promise<{ backend: string; run: NearestKernel }> {
  if (typeof choice === 'function') return { backend: 'custom', run: choice };
  if (choice === 'auto') {
    if (n * k * dim < SMALL_PROBLEM) return { backend: 'typescript', run: nearestTypescript };
    const sel = await chooseNearestKernel({ quiet });
    return { backend: sel.backend, run: sel.run };
  }
  return { backend: choice, run: await createNearestKernel(choice) };
}

/** Matrix kernels made by name, kept per process (each holds compiled code and its resident points). */
const matrixKernels = new Map<DistanceMatrixBackend, Promise<DistanceMatrixKernel>>();

export async function resolveMatrix(choice: NearestChoice, n: number, dim: number, quiet: boolean): Promise<{ backend: string; run: DistanceMatrixKernel }> {
  if (typeof choice === 'function' || n * dim * 8 < SMALL_PROBLEM / 16) return { backend: 'typescript', run: distanceMatrixTypescript };
  if (choice === 'auto') {
    const sel = await chooseDistanceMatrixKernel({ quiet });
    return { backend: sel.backend, run: sel.run };
  }
  const matrixBackends: DistanceMatrixBackend[] = ['typescript-reference', 'typescript', 'wasm-simd', 'tfjs-tensorflow', 'tfjs-wasm'];
  const b = (matrixBackends as string[]).includes(choice) ? (choice as DistanceMatrixBackend) : 'typescript';
  let made = matrixKernels.get(b);
  if (!made) {
    made = createDistanceMatrixKernel(b);
    matrixKernels.set(b, made);
    made.catch(() => matrixKernels.delete(b));
  }
  return { backend: b, run: await made };
}

let wasmSeeding: Promise<SeedingKernel> | undefined;

/**
 * The k-means++ seeding step on a chosen matrix backend: fused into one pass on `wasm-simd`, else the matrix
 * kernel with the sums taken in JavaScript. The wasm-simd one is made once per process and kept: it holds the
 * last points it saw (copied again only when they change) and its compiled code.
 */
export async function resolveSeeding(matrix: { backend: string; run: DistanceMatrixKernel }): Promise<SeedingKernel> {
  if (matrix.backend !== 'wasm-simd') return seedingFromMatrix(matrix.run, matrix.backend);
  wasmSeeding ??= createWasmSimdSeeding();
  wasmSeeding.catch(() => (wasmSeeding = undefined));
  return wasmSeeding;
}
