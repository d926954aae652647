import { NqpError } from "../errors";
import { choleskyInPlace, choleskySolveInPlace } from "../readout";

/**
 * Online weights for combining K predictors' forecasts from their recent errors.
 *
 * Every method works from exponentially weighted second moments of the predictors' errors, Σᵢⱼ = EW mean of eᵢ·eⱼ
 * (half-life `halfLife` rows; each pair only over rows where both forecast):
 *
 * - `inverse-loss`: wᵢ ∝ 1 / Σᵢᵢ (Bates & Granger, Operational Research Quarterly 20, 1969, their weighting that
 *   ignores correlation; the "exponentially weighted inverse loss" of the forecasting literature);
 * - `stacked` (default): the optimal linear combination under squared loss with weights summing to one, w ∝ Σ⁻¹·1
 *   (Bates & Granger's full solution; Granger & Ramanathan, J. Forecasting 3, 1984, for the constrained regression),
 *   estimated with a ridge penalty that shrinks it towards the inverse-loss weights and with weights kept ≥ 0 —
 *   shrinkage and non-negativity are what make estimated combination weights beat the simple ones in practice
 *   (Timmermann, "Forecast combinations", Handbook of Economic Forecasting, 2006, §4 and §7):
 *
 *     minimise wᵀΣw + ρ‖w − w_inv‖²  subject to  Σwᵢ = 1, wᵢ ≥ 0,  ρ = shrinkage · minᵢ Σᵢᵢ
 *
 *   solved in closed form on the active set (a predictor whose weight would go negative is dropped and the rest
 *   solved again; K is small).
 * - `equal`: the plain average, the classic hard-to-beat benchmark (Clemen, Int. J. Forecasting 5, 1989).
 *
 * A predictor enters the combination once it has `minCount` scored forecasts.
 */
export type CombinerMethod = "stacked" | "inverse-loss" | "equal";

export const COMBINER_METHODS: readonly CombinerMethod[] = ["stacked", "inverse-loss", "equal"];

export interface CombinerOptions {
  method?: CombinerMethod;
  /** Rows after which an error's weight has halved (default 500). */
  halfLife?: number;
  /** ρ relative to the smallest error variance (default 0.1). */
  shrinkage?: number;
  /** Scored forecasts a predictor needs before it is weighted (default 10). */
  minCount?: number;
}

export interface CombinerState {
  k: number;
  method: CombinerMethod;
  decay: number;
  shrinkage: number;
  minCount: number;
  /** Σ: k × k EW sums of eᵢeⱼ and their EW weights (bias-corrected means are sums / weights). */
  moments: Float64Array;
  weightSums: Float64Array;
  /** Scored forecasts per predictor. */
  counts: Float64Array;
  /** Working memory of the weight solve (k × k + 2k), so a row's weights allocate nothing. */
  scratch: Float64Array;
}

export function createCombiner(k: number, options: CombinerOptions = {}): CombinerState {
  const method = options.method ?? "stacked";
  if (!COMBINER_METHODS.includes(method))
    throw new NqpError("bad-config", `fusion method must be one of ${COMBINER_METHODS.join(", ")}, got '${method}'`);
  const halfLife = options.halfLife ?? 500;
  if (!(halfLife > 0)) throw new NqpError("bad-config", `fusion half-life must be > 0 rows, got ${halfLife}`);
  return {
    k,
    method,
    decay: 2 ** (-1 / halfLife),
    shrinkage: options.shrinkage ?? 0.1,
    minCount: options.minCount ?? 10,
    moments: new Float64Array(k * k),
    weightSums: new Float64Array(k * k),
    counts: new Float64Array(k),
    scratch: new Float64Array(k * k + 2 * k),
  };
}

/** Records one row's errors (yᵢ − ŷᵢ; NaN where a predictor had no forecast). */
export function updateCombiner(s: CombinerState, errors: ArrayLike<number>): void {
  const { k, decay, moments, weightSums } = s;
  for (let i = 0; i < k; i++) {
    const ei = errors[i];
    if (!Number.isFinite(ei)) continue;
    s.counts[i]++;
    for (let j = 0; j < k; j++) {
      const ej = errors[j];
      if (!Number.isFinite(ej)) continue;
      const p = i * k + j;
      moments[p] = decay * moments[p] + ei * ej;
      weightSums[p] = decay * weightSums[p] + 1;
    }
  }
}

/**
 * Weights for a forecast whose predictors' forecasts are `available` (1/0 per predictor), into `out`. Predictors
 * not available, or not yet scored often enough, get 0; when none is scored yet, the available ones share equally.
 */
export function combinerWeights(s: CombinerState, available: ArrayLike<number>, out = new Float64Array(s.k)) {
  const k = s.k;
  out.fill(0);
  const active: number[] = [];
  for (let i = 0; i < k; i++) if (available[i] && s.counts[i] >= s.minCount) active.push(i);
  if (active.length === 0) {
    let c = 0;
    for (let i = 0; i < k; i++) if (available[i]) c++;
    for (let i = 0; i < k; i++) if (available[i]) out[i] = 1 / c;
    return out;
  }
  if (s.method === "equal") {
    for (const i of active) out[i] = 1 / active.length;
    return out;
  }
  const variance = (i: number) => s.moments[i * k + i] / s.weightSums[i * k + i];
  let largest = 0;
  for (const i of active) largest = Math.max(largest, variance(i));
  // A predictor that has been exact gets a floor, so its weight is large but finite.
  const floor = Math.max(largest * 1e-12, 1e-300);
  let sum = 0;
  for (const i of active) {
    out[i] = 1 / Math.max(variance(i), floor);
    sum += out[i];
  }
  for (const i of active) out[i] /= sum;
  if (s.method === "inverse-loss" || active.length === 1) return out;
  return stackedWeights(s, active, out, floor);
}

function stackedWeights(s: CombinerState, active: number[], prior: Float64Array, floor: number): Float64Array {
  const k = s.k;
  let smallest = Number.POSITIVE_INFINITY;
  for (const i of active) smallest = Math.min(smallest, s.moments[i * k + i] / s.weightSums[i * k + i]);
  const rho = s.shrinkage * Math.max(smallest, floor);
  const set = active.slice();
  for (;;) {
    const m = set.length;
    const a = s.scratch.subarray(0, m * m);
    const rhs = s.scratch.subarray(k * k, k * k + 2 * m);
    for (let p = 0; p < m; p++) {
      const i = set[p];
      for (let q = 0; q <= p; q++) {
        const j = set[q];
        const w = s.weightSums[i * k + j];
        a[p * m + q] = w > 0 ? s.moments[i * k + j] / w : 0;
      }
      a[p * m + p] += rho;
      rhs[p * 2] = rho * prior[i];
      rhs[p * 2 + 1] = 1;
    }
    if (!choleskyInPlace(a, m)) return prior;
    choleskySolveInPlace(a, m, rhs, 2);
    // w = A⁻¹ρw₀ + μ·A⁻¹1 with μ chosen so that the weights sum to one.
    let sumPrior = 0;
    let sumOnes = 0;
    for (let p = 0; p < m; p++) {
      sumPrior += rhs[p * 2];
      sumOnes += rhs[p * 2 + 1];
    }
    if (!(sumOnes > 0)) return prior;
    const mu = (1 - sumPrior) / sumOnes;
    let worst = -1;
    let worstValue = 0;
    for (let p = 0; p < m; p++) {
      const w = rhs[p * 2] + mu * rhs[p * 2 + 1];
      if (w < worstValue) {
        worstValue = w;
        worst = p;
      }
    }
    if (worst < 0) {
      prior.fill(0);
      for (let p = 0; p < m; p++) prior[set[p]] = rhs[p * 2] + mu * rhs[p * 2 + 1];
      return prior;
    }
    set.splice(worst, 1);
  }
}
