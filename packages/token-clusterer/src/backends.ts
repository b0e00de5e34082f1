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
 * The k-means++ seeding step. `auto` and `wasm-simd` on problems past the small size: the fused WebAssembly
 * step of @meta-id/kernels (distances, min with D(x) and the potentials in one pass on two threads), which
 * beats every distance-matrix kernel with the sums in JavaScript whichever wins their race (1M × 64, 8
 * candidates: 35 ms a step against 700 ms for the race's pick, `typescript`, there). It is made once per process
 * and kept: it holds the last points it saw and its compiled code. Elsewhere (small problems, another backend
 * asked for, no WebAssembly SIMD): that matrix kernel, sums in JavaScript.
 */
export async function resolveSeeding(choice: NearestChoice, n: number, dim: number, quiet: boolean): Promise<SeedingKernel> {
  const small = typeof choice !== 'function' && n * dim * 8 < SMALL_PROBLEM / 16;
  if ((choice === 'auto' || choice === 'wasm-simd') && !small) {
    wasmSeeding ??= createWasmSimdSeeding();
    wasmSeeding.catch(() => (wasmSeeding = undefined));
    try {
      return await wasmSeeding;
    } catch (e) {
      if (choice === 'wasm-simd') throw e;
    }
  }
  const matrix = await resolveMatrix(choice, n, dim, quiet);
  return seedingFromMatrix(matrix.run, matrix.backend);
}
