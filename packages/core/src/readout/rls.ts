/**
 * Recursive least squares with exponential forgetting (Haykin, "Adaptive Filter Theory", 5th ed., §10.3), the
 * online readout: each sample updates the weights in O(f²) with no refit.
 *
 *   k = P·x / (λ + xᵀ·P·x),   w ← w + k·(y − w·x),   P ← (P − k·xᵀ·P) / λ,   P₀ = I/δ
 *
 * With λ = 1 the weights after n samples are exactly the ridge solution (XᵀX + δI)⁻¹Xᵀy (no intercept), which is
 * what the tests check; λ < 1 forgets old samples with a memory of about 1/(1 − λ) samples.
 */
export interface RlsState {
  features: number;
  weights: Float64Array;
  /** The inverse correlation matrix P (f × f, row-major, symmetric). */
  inverse: Float64Array;
  forgetting: number;
  count: number;
}

export interface RlsOptions {
  /** λ in (0, 1] (default 1: no forgetting). */
  forgetting?: number;
  /** δ of P₀ = I/δ: the equivalent ridge penalty (default 1e-2). */
  delta?: number;
  /** Start from these weights instead of zero (e.g. a ridge fit), with P₀ = I/δ. */
  weights?: ArrayLike<number>;
}

export function createRls(features: number, options: RlsOptions = {}): RlsState {
  const delta = options.delta ?? 1e-2;
  const inverse = new Float64Array(features * features);
  for (let i = 0; i < features; i++) inverse[i * features + i] = 1 / delta;
  const weights = new Float64Array(features);
  if (options.weights) weights.set(Array.from(options.weights));
  return { features, weights, inverse, forgetting: options.forgetting ?? 1, count: 0 };
}

export function predictRls(s: RlsState, x: ArrayLike<number>): number {
  let y = 0;
  for (let i = 0; i < s.features; i++) y += s.weights[i] * x[i];
  return y;
}

/** Updates the state in place with one sample; `scratch` (length f) avoids an allocation per call. */
export function updateRls(
  s: RlsState,
  x: ArrayLike<number>,
  y: number,
  scratch: Float64Array = new Float64Array(s.features),
): void {
  const f = s.features;
  const p = s.inverse;
  const px = scratch;
  let denominator = s.forgetting;
  for (let i = 0; i < f; i++) {
    let v = 0;
    for (let j = 0; j < f; j++) v += p[i * f + j] * x[j];
    px[i] = v;
    denominator += x[i] * v;
  }
  const error = y - predictRls(s, x);
  const inv = 1 / denominator;
  const lambdaInv = 1 / s.forgetting;
  for (let i = 0; i < f; i++) {
    const ki = px[i] * inv;
    s.weights[i] += ki * error;
    // P is symmetric, so xᵀP = (Px)ᵀ; update both halves from the upper one to keep it exactly symmetric.
    for (let j = i; j < f; j++) {
      const v = (p[i * f + j] - ki * px[j]) * lambdaInv;
      p[i * f + j] = v;
      p[j * f + i] = v;
    }
  }
  s.count++;
}
