/**
 * Prediction intervals by conformal prediction over a sliding window of past nonconformity scores, with adaptive
 * conformal inference on top:
 *
 * - split conformal (Vovk et al., "Algorithmic Learning in a Random World", 2005; Lei et al., JASA 113, 2018): the
 *   half-width is the ⌈(n + 1)(1 − α)⌉-th smallest of n calibration scores, which covers a new exchangeable point
 *   with probability ≥ 1 − α;
 * - scores are normalised residuals |y − ŷ| / σ̂ with σ̂ an exponential mean of recent absolute residuals (locally
 *   weighted conformal, Lei et al. §5.2), so intervals widen where the series gets harder and narrow where it calms;
 * - adaptive conformal inference (Gibbs & Candès, NeurIPS 2021): the level used is αₜ₊₁ = αₜ + γ(α − errₜ), which
 *   restores the long-run coverage 1 − α under drift, where exchangeability fails.
 *
 * The state is plain data (JSON-serialisable) and is updated in place by `updateConformal`.
 */
export interface ConformalOptions {
  /** Nominal coverage 1 − α in (0, 1). */
  coverage: number;
  /** Scores kept (default 1000). */
  window?: number;
  /** γ of adaptive conformal inference (default 0.005; 0 gives plain split conformal). */
  adaptRate?: number;
  /** Weight of the newest |residual| in σ̂ (default 0.02; 0 keeps σ̂ = 1: unnormalised scores). */
  scaleRate?: number;
  /** Lower bound on σ̂ (default 1e-12). */
  scaleFloor?: number;
}

export interface ConformalState {
  coverage: number;
  window: number;
  adaptRate: number;
  scaleRate: number;
  /** The window's scores in arrival order (a ring once full) and sorted. */
  scores: number[];
  sorted: number[];
  head: number;
  /** The current αₜ. */
  alpha: number;
  /** σ̂: the local residual scale (1 when scaleRate is 0). */
  scale: number;
  /** Lower bound on σ̂ (set by the caller from the series' scale, so a flat stretch cannot divide by zero). */
  scaleFloor: number;
  /** Residuals seen. */
  count: number;
}

export function createConformal(options: ConformalOptions): ConformalState {
  return {
    coverage: options.coverage,
    window: options.window ?? 1000,
    adaptRate: options.adaptRate ?? 0.005,
    scaleRate: options.scaleRate ?? 0.02,
    scores: [],
    sorted: [],
    head: 0,
    alpha: 1 - options.coverage,
    scale: options.scaleRate === 0 ? 1 : 0,
    scaleFloor: options.scaleFloor ?? 1e-12,
    count: 0,
  };
}

/** The current normalised quantile q (half-width = q·σ̂); Infinity while no score is known. */
export function conformalQuantile(s: ConformalState): number {
  const n = s.sorted.length;
  if (n === 0) return Number.POSITIVE_INFINITY;
  const alpha = Math.min(1, Math.max(0, s.alpha));
  const rank = Math.ceil((n + 1) * (1 - alpha));
  if (rank <= 0) return 0;
  // Beyond the largest score the finite-sample guarantee needs an infinite interval; the largest score, widened,
  // is the practical stand-in (ACI pushes αₜ back up once the misses stop).
  if (rank > n) return s.sorted[n - 1] * (1 + (rank - n) / n);
  return s.sorted[rank - 1];
}

/** σ̂ now: the scale that normalises the score of a forecast issued now. */
export function conformalScale(s: ConformalState): number {
  return Math.max(s.scale, s.scaleFloor);
}

/** Half-width of the interval to issue now (Infinity until a residual is known). */
export function conformalHalfWidth(s: ConformalState): number {
  return s.count === 0 ? Number.POSITIVE_INFINITY : conformalQuantile(s) * conformalScale(s);
}

/**
 * Records the outcome of a forecast: `residual` = y − ŷ, `scaleAtForecast` = σ̂ when the forecast was issued and
 * `halfWidthIssued` its interval's half-width (for the ACI miss indicator).
 */
export function updateConformal(
  s: ConformalState,
  residual: number,
  scaleAtForecast: number,
  halfWidthIssued: number,
): void {
  const abs = Math.abs(residual);
  if (!Number.isFinite(abs)) return;
  if (s.count > 0 && Number.isFinite(halfWidthIssued))
    s.alpha += s.adaptRate * (1 - s.coverage - (abs > halfWidthIssued ? 1 : 0));
  const score = abs / Math.max(scaleAtForecast, s.scaleFloor);
  insertScore(s, Math.min(score, 1e6));
  if (s.scaleRate > 0) s.scale = s.count === 0 ? abs : s.scale + s.scaleRate * (abs - s.scale);
  s.count++;
}

function insertScore(s: ConformalState, score: number): void {
  if (s.scores.length < s.window) s.scores.push(score);
  else {
    const old = s.scores[s.head];
    s.scores[s.head] = score;
    s.head = (s.head + 1) % s.window;
    s.sorted.splice(lowerBound(s.sorted, old), 1);
  }
  s.sorted.splice(lowerBound(s.sorted, score), 0, score);
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function cloneConformal(s: ConformalState): ConformalState {
  return { ...s, scores: s.scores.slice(), sorted: s.sorted.slice() };
}
