/**
 * Whether a k-means run uses the Elkan assignment kernel of @meta-id/kernels
 * (see `bounds` in kmeans.ts), and which backend of it.
 */
import { chooseElkanKernel, type ElkanKernel } from '@meta-id/kernels';
import { SMALL_PROBLEM, type NearestChoice } from './backends.js';

/** Largest n·k·4 bytes of Elkan lower bounds `auto` accepts. */
export const ELKAN_MAX_BYTES = 1 << 30;

/**
 * The Elkan kernel for this run, or undefined for the kernels of plain or Hamerly Lloyd: used by `auto` on
 * problems of at least {@link SMALL_PROBLEM} multiply-adds per pass whose bounds fit in {@link ELKAN_MAX_BYTES},
 * and by `elkan` whenever the bounds fit; never with a custom nearest kernel (the caller asked for it).
 */
export async function resolveElkan(
  bounds: boolean | 'auto' | 'elkan',
  choice: NearestChoice,
  n: number,
  k: number,
  dim: number,
  quiet: boolean,
): Promise<{ backend: string; kernel: ElkanKernel } | undefined> {
  if (typeof choice === 'function' || bounds === true || bounds === false) return undefined;
  if (n * k * 4 > ELKAN_MAX_BYTES) return undefined;
  if (bounds === 'auto' && (n * k * dim < SMALL_PROBLEM || (choice !== 'auto' && choice !== 'wasm-simd'))) return undefined;
  try {
    const sel = await chooseElkanKernel({ quiet });
    if (sel.backend === 'typescript-reference' && bounds === 'auto') return undefined; // brute force: plain Lloyd's kernels are faster
    return { backend: sel.backend, kernel: sel.kernel };
  } catch (e) {
    if (bounds === 'elkan') throw e;
    return undefined;
  }
}
