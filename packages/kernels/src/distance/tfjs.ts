/**
 * tfjs backend of the distance kernels: ‖x‖² − 2x·c + ‖c‖² with one matMul
 * per chunk of points on the device, the arg-min scan in JS. The points are
 * uploaded once and kept resident while the caller passes the same array
 * (Lloyd iterations only change the centroids); centroids are transposed
 * before the matMul because tfjs-backend-wasm is 10-20x slower on a
 * transposed operand.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initTfjs } from '../tfjs-backend.js';
import { rowNorms } from './typescript-fast.js';
import { checkNearestArgs, rowCount, type DistanceMatrixKernel, type NearestKernel } from './types.js';

export type TfjsDistanceBackend = 'tensorflow' | 'wasm' | 'cpu';

/** Cells of the chunk × k distance block held at once (16 MB of float32). */
const BLOCK_CELLS = 1 << 22;

async function useBackend(backend: TfjsDistanceBackend): Promise<void> {
  const info = await initTfjs(backend, { quiet: true });
  if (info.backend !== backend) {
    throw new Error(`tfjs backend ${backend} unavailable (got ${info.backend}${process.env.META_ID_TFJS_BACKEND ? `, META_ID_TFJS_BACKEND=${process.env.META_ID_TFJS_BACKEND}` : ''})`);
  }
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/** A cheap fingerprint, so a caller that rewrites the same array in place is noticed. */
function fingerprint(a: Float32Array, len: number): number {
  let s = len;
  const step = Math.max(1, Math.floor(len / 64));
  for (let i = 0; i < len; i += step) s = (s * 31 + a[i] * 1e3) % 1e9;
  return s;
}

/** The points, resident on the tfjs device, plus their squared norms in JS. */
class ResidentPoints {
  private source?: Float32Array;
  private key = '';
  tensor?: tf.Tensor2D;
  norms = new Float64Array(0);

  /** With `augment`, rows are [x, 1], so one matMul against [−2c; ‖c‖²] gives ‖c‖² − 2x·c directly. */
  constructor(
    private readonly augment = false,
    private readonly onUpload: () => void = () => {},
  ) {}

  release(): void {
    this.tensor?.dispose();
    this.tensor = undefined;
    this.source = undefined;
    this.key = '';
  }

  get(points: Float32Array, n: number, dim: number): tf.Tensor2D {
    const len = n * dim;
    const key = `${n}x${dim}:${fingerprint(points, len)}`;
    if (this.source !== points || this.key !== key || !this.tensor) {
      this.tensor?.dispose();
      this.onUpload();
      if (this.augment) {
        const w = augmentedWidth(dim);
        const a = new Float32Array(n * w);
        for (let i = 0; i < n; i++) {
          a.set(points.subarray(i * dim, i * dim + dim), i * w);
          a[i * w + dim] = 1;
        }
        this.tensor = tf.tensor2d(a, [n, w]);
      } else {
        this.tensor = tf.tensor2d(points.subarray(0, len), [n, dim]);
      }
      this.source = points;
      this.key = key;
      this.norms = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += points[i * dim + d] * points[i * dim + d];
        this.norms[i] = s;
      }
    }
    return this.tensor;
  }
}

/**
 * Resident copies per tfjs backend: [x, 1] rows for the nearest-centroid kernel (k centroids: one matMul
 * gives ‖c‖² − 2x·c), plain rows for the distance-matrix kernel (a few centres, k-means++: libtensorflow's
 * slice + matMul on 65-float rows into a skinny output ran 6-8x slower than on 64-float rows at 1M rows,
 * and zero-padding to 72 did not help). Only one of the two stays alive per backend: k-means++ then Lloyd
 * on the same points would otherwise keep 512 MB at 1M x 64.
 */
const residents = new Map<string, ResidentPoints>();
function residentFor(backend: TfjsDistanceBackend, augment: boolean): ResidentPoints {
  const key = `${backend}:${augment}`;
  let r = residents.get(key);
  if (!r) {
    r = new ResidentPoints(augment, () => residents.get(`${backend}:${!augment}`)?.release());
    residents.set(key, r);
  }
  return r;
}

/** Columns of the resident [x, 1] rows. */
function augmentedWidth(dim: number): number {
  return dim + 1;
}

/** Augmented centres for one matMul against resident [x, 1, 0…] rows: [−2cᵀ; ‖c‖²; 0…], width × m. */
function augmentedCenters(c: Float32Array, m: number, dim: number): tf.Tensor2D {
  const cn = rowNorms(c, m, dim);
  const aug = new Float32Array(augmentedWidth(dim) * m);
  for (let j = 0; j < m; j++) {
    for (let d = 0; d < dim; d++) aug[d * m + j] = -2 * c[j * dim + d];
    aug[dim * m + j] = cn[j];
  }
  return tf.tensor2d(aug, [augmentedWidth(dim), m]);
}

function chunkRows(x: tf.Tensor2D, start: number, size: number, rows?: Int32Array): tf.Tensor2D {
  if (!rows) return tf.slice(x, [start, 0], [size, -1]);
  return tf.gather(x, tf.tensor1d(rows.subarray(start, start + size), 'int32'));
}

/** Nearest-centroid kernel on one tfjs backend; throws when that backend cannot start here. */
export async function createTfjsNearest(backend: TfjsDistanceBackend): Promise<NearestKernel> {
  await useBackend(backend);
  const resident = residentFor(backend, true);
  return async (args) => {
    const { n, dim, k, rows } = args;
    checkNearestArgs(args, args.centroids, k);
    await useBackend(backend);
    const x = resident.get(args.points, n, dim);
    const count = rowCount(args);
    const labels = new Int32Array(count);
    const distances = new Float32Array(count);
    const second = args.second ? new Float32Array(count) : undefined;
    // [−2cᵀ; ‖c‖²] against rows [x, 1]: the matMul yields ‖c‖² − 2x·c, the scan is comparisons only.
    // Only the matMul runs on the device: tfjs-node's elementwise ops and topk on a [rows, k] block cost
    // more than reading it back and scanning it here; argMin/min on the device win when no second
    // distance is wanted (measured in CPU time at 34464 x 100: matMul + argMin + min 19 ms, + read-back
    // and scan 32 ms, topk 49 ms).
    const ct = augmentedCenters(args.centroids, k, dim);
    const chunk = Math.max(256, Math.floor(BLOCK_CELLS / k));
    let inertia = 0;
    try {
      for (let start = 0; start < count; start += chunk) {
        const size = Math.min(chunk, count - start);
        if (!second) {
          const [mn, am] = tf.tidy(() => {
            const d = tf.matMul(chunkRows(x, start, size, rows), ct);
            return [tf.min(d, 1), tf.argMin(d, 1)];
          });
          const mv = mn.dataSync() as Float32Array;
          const av = am.dataSync() as Int32Array;
          mn.dispose();
          am.dispose();
          for (let i = 0; i < size; i++) {
            const b = Math.max(0, mv[i] + resident.norms[rows ? rows[start + i] : start + i]);
            labels[start + i] = av[i];
            distances[start + i] = b;
            inertia += b;
          }
          continue;
        }
        const dots = tf.tidy(() => tf.matMul(chunkRows(x, start, size, rows), ct));
        const v = dots.dataSync() as Float32Array;
        dots.dispose();
        for (let i = 0; i < size; i++) {
          const o = i * k;
          let best = Infinity;
          let next = Infinity;
          let arg = 0;
          for (let j = 0; j < k; j++) {
            const s = v[o + j];
            if (s < next) {
              if (s < best) {
                next = best;
                best = s;
                arg = j;
              } else {
                next = s;
              }
            }
          }
          const xn = resident.norms[rows ? rows[start + i] : start + i];
          const b = Math.max(0, best + xn);
          labels[start + i] = arg;
          distances[start + i] = b;
          inertia += b;
          second[start + i] = k >= 2 ? Math.max(0, next + xn) : Infinity;
        }
      }
    } finally {
      ct.dispose();
    }
    return { labels, distances, second, inertia };
  };
}

/** Distance-matrix kernel on one tfjs backend. */
export async function createTfjsDistanceMatrix(backend: TfjsDistanceBackend): Promise<DistanceMatrixKernel> {
  await useBackend(backend);
  const resident = residentFor(backend, false);
  return async (args) => {
    const { n, dim, m, rows } = args;
    checkNearestArgs(args, args.centers, m, 'centers');
    await useBackend(backend);
    const x = resident.get(args.points, n, dim);
    const count = rowCount(args);
    const out = new Float32Array(count * m);
    const ct = tf.tidy(() => tf.transpose(tf.tensor2d(args.centers.subarray(0, m * dim), [m, dim])));
    const cn = rowNorms(args.centers, m, dim);
    const chunk = Math.max(256, Math.floor(BLOCK_CELLS / m));
    try {
      for (let start = 0; start < count; start += chunk) {
        const size = Math.min(chunk, count - start);
        const d = tf.tidy(() => tf.matMul(chunkRows(x, start, size, rows), ct));
        const v = d.dataSync() as Float32Array;
        d.dispose();
        for (let i = 0; i < size; i++) {
          const xn = resident.norms[rows ? rows[start + i] : start + i];
          const o = (start + i) * m;
          for (let j = 0; j < m; j++) out[o + j] = Math.max(0, xn + cn[j] - 2 * v[i * m + j]);
        }
      }
    } finally {
      ct.dispose();
    }
    return out;
  };
}
