import { NqpError } from "../errors";
import { type ConformalState, conformalScale, createConformal, updateConformal } from "../forecast/conformal";
import type { Rng } from "../random";

/**
 * Online conformal prediction intervals for a stream of forecasts, built to keep their nominal coverage on drifting
 * data:
 *
 * - scores are residuals normalised by a local scale σ̂ (an exponential mean of recent |residuals|; Lei et al.,
 *   JASA 113, 2018, §5.2), kept over a sliding window (forecast/conformal.ts holds the window and σ̂);
 * - the level follows adaptive conformal inference (Gibbs & Candès, "Adaptive conformal inference under
 *   distribution shift", NeurIPS 2021): αₜ₊₁ = αₜ + γ·(α − missₜ). Whatever the data do, the long-run miss rate
 *   then stays within (max(α₁, 1 − α₁) + γ)/(γ·T) of α after T forecasts (their Proposition 4.1), provided the
 *   interval is the whole line when αₜ ≤ 0 and empty when αₜ ≥ 1 — which this module does (the whole line is
 *   represented by the largest score in the window, widened);
 * - ties are broken at random, as smoothed conformal predictors do (Vovk, Gammerman & Shafer, "Algorithmic Learning
 *   in a Random World", 2005, §2.2): a new score equal to the interval's edge score q is inside with the probability
 *   that makes the coverage exact. Without it a series whose forecasts are often exactly right (a flat line, counts
 *   that rarely change) would be covered far above the nominal rate by a zero-width interval: with ties, some
 *   intervals are then empty (`closed` false and half-width 0). With `ties: "closed"` the edge is always inside and
 *   no interval is empty (conservative: coverage may exceed the nominal rate on such series, and αₜ stops at 1).
 */
export interface IntervalOptions {
  /** Nominal coverage 1 − α in (0, 1). */
  coverage: number;
  /** Scores kept (default 1 000). */
  window?: number;
  /** γ of adaptive conformal inference (default 0.01). */
  adaptRate?: number;
  /** Weight of the newest |residual| in σ̂ (default 0.02). */
  scaleRate?: number;
  /** Tie handling at the interval's edge (default "random"). */
  ties?: "random" | "closed";
}

/** What was issued with a forecast, needed when its outcome arrives. */
export interface IssuedInterval {
  halfWidth: number;
  /** False: the edge itself is outside (an open interval; with half-width 0 the interval is empty). */
  closed: boolean;
  /** σ̂ when issued (the score's normaliser). */
  scale: number;
}

export interface IntervalState {
  alphaTarget: number;
  adaptRate: number;
  ties: "random" | "closed";
  /** αₜ now. */
  alpha: number;
  conformal: ConformalState;
  /** Intervals scored and missed. */
  scored: number;
  missed: number;
}

export function createIntervalState(options: IntervalOptions): IntervalState {
  const { coverage } = options;
  if (!(coverage > 0 && coverage < 1))
    throw new NqpError("bad-config", `interval coverage must be in (0, 1), got ${coverage}`);
  return {
    alphaTarget: 1 - coverage,
    adaptRate: options.adaptRate ?? 0.01,
    ties: options.ties ?? "random",
    alpha: 1 - coverage,
    // The window and σ̂ only: αₜ is kept here, so the conformal state's own adaptation is off.
    conformal: createConformal({
      coverage,
      window: options.window ?? 1000,
      adaptRate: 0,
      scaleRate: options.scaleRate,
    }),
    scored: 0,
    missed: 0,
  };
}

/** Sets the floor on σ̂ (call once the series' scale is known, so a flat stretch cannot divide by zero). */
export function setIntervalScaleFloor(s: IntervalState, floor: number): void {
  s.conformal.scaleFloor = floor;
}

/** The interval to issue with a forecast made now; `rng` breaks ties. Half-width Infinity until a score is known. */
export function issueInterval(s: IntervalState, rng: Rng): IssuedInterval {
  const c = s.conformal;
  const scale = conformalScale(c);
  const n = c.sorted.length;
  const tau = rng.next();
  if (n === 0) return { halfWidth: Number.POSITIVE_INFINITY, closed: true, scale };
  if (s.alpha >= 1) return { halfWidth: 0, closed: s.ties === "closed", scale };
  const sorted = c.sorted;
  if (s.alpha <= 0) return { halfWidth: sorted[n - 1] * (1 + 1 / n) * scale, closed: true, scale };
  const rank = Math.ceil((n + 1) * (1 - s.alpha));
  if (rank > n) return { halfWidth: sorted[n - 1] * (1 + (rank - n) / n) * scale, closed: true, scale };
  const q = sorted[rank - 1];
  let closed = true;
  if (s.ties === "random") {
    // A = #{scores > q}, T = #{scores = q}: a new score equal to q is inside iff A + τ·(T + 1) > α·(n + 1).
    const above = n - upperBound(sorted, q);
    const equal = n - above - lowerBound(sorted, q);
    closed = above + tau * (equal + 1) > s.alpha * (n + 1);
  }
  return { halfWidth: q * scale, closed, scale };
}

/** Whether the outcome with this residual falls inside the issued interval. */
export function intervalCovers(issued: IssuedInterval, residual: number): boolean {
  const a = Math.abs(residual);
  return issued.closed ? a <= issued.halfWidth : a < issued.halfWidth;
}

/** Records a forecast's outcome: its residual y − ŷ and the interval it was issued with. */
export function updateInterval(s: IntervalState, residual: number, issued: IssuedInterval): void {
  if (!Number.isFinite(residual)) return;
  if (Number.isFinite(issued.halfWidth) || s.conformal.count > 0) {
    const miss = intervalCovers(issued, residual) ? 0 : 1;
    if (Number.isFinite(issued.halfWidth)) {
      s.scored++;
      s.missed += miss;
      // ACI keeps αₜ within [−γ, 1 + γ] by itself when misses are possible at αₜ ≥ 1; the conservative tie rule
      // never misses there, so αₜ is held at 1 (otherwise it would drift up without bound on a flat stretch and
      // take as long to come back once the series moves).
      s.alpha += s.adaptRate * (s.alphaTarget - miss);
      if (s.ties === "closed" && s.alpha > 1) s.alpha = 1;
    }
  }
  // The first residual sets σ̂: forecasts issued before it had no scale to normalise by, so it scores 1.
  const normaliser = s.conformal.count === 0 ? Math.abs(residual) : issued.scale;
  updateConformal(s.conformal, residual, normaliser, Number.NaN);
}

function lowerBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
