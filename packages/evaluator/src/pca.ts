/**
 * Principal component analysis by power iteration with deflation: enough for
 * a 2-D picture of entity embeddings without a linear-algebra dependency, and
 * browser-safe. The start vectors come from the core Rng, so a projection is
 * reproducible from its seed; each component's sign is fixed so that its
 * largest-magnitude loading is positive.
 */
import { ConfigError, Rng } from '@meta-id/core';

export interface PcaOptions {
  /** Number of components. Default 2. */
  components?: number;
  /** Seed of the start vectors. Default 42. */
  seed?: number;
  /** Iteration cap per component. Default 500. */
  maxIterations?: number;
  /** Stop when the component moves less than this (L2). Default 1e-10. */
  tolerance?: number;
}

export interface PcaResult {
  /** n × components projections of the centred rows, row-major. */
  points: Float64Array;
  /** Unit principal axes, one Float64Array(dim) each. */
  components: Float64Array[];
  /** Variance along each axis (eigenvalues of the covariance, divisor n). */
  variances: number[];
  /** variances / total variance. */
  explainedVarianceRatio: number[];
  mean: Float64Array;
  /** Iterations used per component. */
  iterations: number[];
}

/**
 * PCA of `n` rows of length `dim` (row-major), by power iteration on the
 * covariance applied implicitly as Xᵀ(X v) / n, so memory stays O(n·dim).
 *
 * @example
 * const { points } = pca(Float64Array.from(table.vectors), table.ids.length, table.dim);
 * // points[2*i], points[2*i+1]: the 2-D position of entity i
 */
export function pca(data: ArrayLike<number>, n: number, dim: number, options: PcaOptions = {}): PcaResult {
  const k = options.components ?? 2;
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(dim) || dim < 1) throw new ConfigError('n/dim', 'must be positive integers', [n, dim]);
  if (data.length !== n * dim) throw new ConfigError('data', `has ${data.length} values, expected n × dim = ${n * dim}`);
  if (!Number.isInteger(k) || k < 1 || k > dim) throw new ConfigError('components', `must be an integer in 1..${dim}`, k);
  const maxIt = options.maxIterations ?? 500;
  const tol = options.tolerance ?? 1e-10;
  const rng = new Rng(options.seed ?? 42);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const X = new Float64Array(n * dim);
  let total = 0;
  for (let i = 0; i < n * dim; i++) {
    X[i] = data[i] - mean[i % dim];
    total += X[i] * X[i];
  }
  total /= n;
  const components: Float64Array[] = [];
  const variances: number[] = [];
  const iterations: number[] = [];
  const xv = new Float64Array(n);
  const orthogonalize = (w: Float64Array) => {
    for (const u of components) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += w[j] * u[j];
      for (let j = 0; j < dim; j++) w[j] -= d * u[j];
    }
  };
  const normalize = (w: Float64Array) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += w[j] * w[j];
    const norm = Math.sqrt(s);
    if (norm > 0) for (let j = 0; j < dim; j++) w[j] /= norm;
    return norm;
  };
  for (let c = 0; c < k; c++) {
    let v = Float64Array.from({ length: dim }, () => rng.normal());
    orthogonalize(v);
    normalize(v);
    let lambda = 0;
    let it = 0;
    for (; it < maxIt; it++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += X[i * dim + j] * v[j];
        xv[i] = s;
      }
      const w = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        const s = xv[i];
        if (s !== 0) for (let j = 0; j < dim; j++) w[j] += X[i * dim + j] * s;
      }
      for (let j = 0; j < dim; j++) w[j] /= n;
      orthogonalize(w); // deflation: stay orthogonal to the components already found
      lambda = normalize(w);
      if (lambda === 0) break; // no variance left in this direction
      let diff = 0;
      for (let j = 0; j < dim; j++) diff += (w[j] - v[j]) ** 2;
      v = w;
      if (Math.sqrt(diff) < tol) {
        it++;
        break;
      }
    }
    let big = 0;
    for (let j = 0; j < dim; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
    if (v[big] < 0) for (let j = 0; j < dim; j++) v[j] = -v[j];
    components.push(v);
    variances.push(lambda);
    iterations.push(it);
  }
  const points = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      const u = components[c];
      for (let j = 0; j < dim; j++) s += X[i * dim + j] * u[j];
      points[i * k + c] = s;
    }
  }
  return { points, components, variances, explainedVarianceRatio: variances.map((v) => (total > 0 ? v / total : 0)), mean, iterations };
}
