import { NqpError } from "../errors";
import type { Predictor } from "../predict";
import { createRng } from "../random";
import { type CombinerOptions, type CombinerState, combinerWeights, createCombiner, updateCombiner } from "./combiner";
import {
  createIntervalState,
  type IntervalOptions,
  type IntervalState,
  type IssuedInterval,
  intervalCovers,
  issueInterval,
  setIntervalScaleFloor,
  updateInterval,
} from "./interval";

/**
 * Several predictors of one stream fused into one forecast with a calibrated interval. Per row t, in this order:
 *
 * 1. the forecasts made `horizon` rows ago for row t meet its value: each predictor's error updates the combiner
 *    (combiner.ts), the fused forecast's residual updates the interval (interval.ts);
 * 2. every predictor consumes row t and forecasts row t + horizon;
 * 3. the combiner's current weights fuse those forecasts, and the interval is issued around the fused forecast.
 *
 * A safeguard (`guard`) follows the leader: it keeps exponentially weighted squared errors (half-life
 * `guard.halfLife`) of the combination and of every predictor, and while a single predictor has done better than the
 * combination over that memory, the fused forecast is that predictor's (its weight 1, the others 0). With hysteresis:
 * the one followed is replaced only by one whose loss is lower by `guard.margin` (2 %), so that near-ties — common
 * right after a spike every predictor missed — do not make the fused forecast flip. Combinations
 * usually beat their members, but not always — on a series dominated by rare spikes the combination's weights, learned
 * in the calm between them, can be worse than the steadiest member — and selection by recent performance caps that
 * loss (Kourentzes, Barrow & Petropoulos, Int. J. Production Economics 209, 2019, on selecting vs combining).
 *
 * Everything is causal: a forecast for row t + h is fixed, with its weights and interval, from rows ≤ t.
 */
export interface FusionOptions {
  horizon?: number;
  /** Nominal interval coverage (default 0.9). */
  coverage?: number;
  combiner?: CombinerOptions;
  interval?: Omit<IntervalOptions, "coverage">;
  /** Seed of the interval's tie-breaking (default 1). */
  seed?: number;
  /**
   * The follow-the-leader safeguard (default on: half-life 2 000 rows, margin 0.02 — the one followed is replaced
   * only by one whose loss is 2 % lower); false turns it off.
   */
  guard?: { halfLife?: number; margin?: number } | false;
}

/** The outcome of one row (arrays are views reused by the next call: copy what you keep). */
export interface FusionRow {
  /** Fused forecast made `horizon` rows ago for this row, and its interval; NaN where there was none. */
  forecast: number;
  lower: number;
  upper: number;
  /** False when the interval's edge is excluded (see interval.ts); with lower = upper the interval is empty. */
  closed: boolean;
  /** Whether this row's value fell inside its interval (false with no interval or no value). */
  covered: boolean;
  /** Each predictor's forecast for this row (NaN where it had none). */
  predictions: Float64Array;
  /** The weights that made this row's fused forecast (one-hot where the safeguard followed a single predictor). */
  weights: Float64Array;
  /** The combination's own forecast for this row (equal to `forecast` unless the safeguard followed a predictor). */
  combination: number;
  /** Whether this row's fused forecast came from learned weights (every predictor forecasting then had been scored
   * `minCount` times) rather than the equal split of the first rows. */
  ready: boolean;
  /** The fused forecast for row t + horizon, issued now, with its interval (NaN while no predictor forecasts). */
  next: { forecast: number; lower: number; upper: number; closed: boolean };
}

export interface Fusion {
  readonly predictors: readonly Predictor[];
  readonly horizon: number;
  step(value: number, exogenous?: ArrayLike<number>): FusionRow;
  /** The weights a forecast issued now would get (copy). */
  currentWeights(): Float64Array;
  /** The predictor the safeguard follows now (its index), or -1 while the combination leads. */
  readonly leader: number;
  readonly combiner: CombinerState;
  readonly interval: IntervalState;
}

export function createFusion(predictors: readonly Predictor[], options: FusionOptions = {}): Fusion {
  const k = predictors.length;
  if (k === 0) throw new NqpError("bad-config", "fusion needs at least one predictor");
  const horizon = options.horizon ?? 1;
  for (const p of predictors)
    if (p.horizon !== horizon)
      throw new NqpError(
        "bad-config",
        `predictor '${p.name}' forecasts ${p.horizon} rows ahead, the fusion ${horizon}: they must agree`,
      );
  const combiner = createCombiner(k, options.combiner);
  const interval = createIntervalState({ coverage: options.coverage ?? 0.9, ...options.interval });
  const rng = createRng(options.seed ?? 1);
  // Pending per ring slot (row mod horizon): each predictor's forecast, the weights, the fused forecast, its interval.
  const pendingPredictions = new Float64Array(horizon * k).fill(Number.NaN);
  const pendingWeights = new Float64Array(horizon * k);
  const pendingForecast = new Float64Array(horizon).fill(Number.NaN);
  const pendingCombination = new Float64Array(horizon).fill(Number.NaN);
  // Whether the combination's weights were learned (every available predictor scored minCount times) when issued.
  const pendingReady = new Uint8Array(horizon);
  const guardOn = options.guard !== false;
  const guardDecay = 2 ** (-1 / ((options.guard ? options.guard.halfLife : undefined) ?? 2000));
  // EW squared errors: predictors 0…k−1, the combination at k.
  const guardLoss = new Float64Array(k + 1);
  const guardMargin = (options.guard ? options.guard.margin : undefined) ?? 0.02;
  let leader = -1;
  const pendingIssued: (IssuedInterval | null)[] = new Array(horizon).fill(null);
  const errors = new Float64Array(k);
  const available = new Uint8Array(k);
  const fresh = new Float64Array(k);
  const weightsNow = new Float64Array(k);
  const row: FusionRow = {
    forecast: Number.NaN,
    lower: Number.NaN,
    upper: Number.NaN,
    closed: true,
    covered: false,
    predictions: new Float64Array(k),
    weights: new Float64Array(k),
    combination: Number.NaN,
    ready: false,
    next: { forecast: Number.NaN, lower: Number.NaN, upper: Number.NaN, closed: true },
  };
  let rows = 0;
  let scaleSeen = false;
  let firstValue = Number.NaN;

  return {
    predictors,
    horizon,
    combiner,
    interval,
    currentWeights: () => weightsNow.slice(),
    get leader() {
      return leader;
    },
    step(value, exogenous) {
      const slot = rows % horizon;
      rows++;
      const known = Number.isFinite(value);
      if (known && Number.isNaN(firstValue)) firstValue = value;
      const f = pendingForecast[slot];
      const issued = pendingIssued[slot];
      row.predictions.set(pendingPredictions.subarray(slot * k, (slot + 1) * k));
      row.weights.set(pendingWeights.subarray(slot * k, (slot + 1) * k));
      row.forecast = f;
      row.combination = pendingCombination[slot];
      row.ready = pendingReady[slot] === 1;
      row.closed = issued?.closed ?? true;
      const half = issued && Number.isFinite(f) ? issued.halfWidth : Number.NaN;
      row.lower = f - half;
      row.upper = f + half;
      row.covered = false;
      if (known) {
        for (let i = 0; i < k; i++) errors[i] = value - row.predictions[i];
        updateCombiner(combiner, errors);
        if (guardOn && pendingReady[slot] && Number.isFinite(row.combination)) {
          let all = true;
          for (let i = 0; i < k; i++) if (!Number.isFinite(errors[i])) all = false;
          if (all) {
            for (let i = 0; i < k; i++) guardLoss[i] = guardDecay * guardLoss[i] + errors[i] * errors[i];
            guardLoss[k] = guardDecay * guardLoss[k] + (value - row.combination) ** 2;
          }
        }
        if (Number.isFinite(f) && issued) {
          row.covered = Number.isFinite(issued.halfWidth) && intervalCovers(issued, value - f);
          updateInterval(interval, value - f, issued);
        }
      }

      for (let i = 0; i < k; i++) {
        fresh[i] = predictors[i].step(value, exogenous);
        available[i] = Number.isFinite(fresh[i]) ? 1 : 0;
      }
      combinerWeights(combiner, available, weightsNow);
      let combination = Number.NaN;
      let any = false;
      let sum = 0;
      let ready = true;
      for (let i = 0; i < k; i++) {
        if (available[i] && combiner.counts[i] < combiner.minCount) ready = false;
        if (available[i] && weightsNow[i] !== 0) {
          sum += weightsNow[i] * fresh[i];
          any = true;
        }
      }
      if (any) combination = sum;
      let fused = combination;
      if (!(guardOn && ready && any) || (leader >= 0 && !available[leader])) leader = -1;
      if (guardOn && ready && any) {
        // Hysteresis: the one followed now (a predictor, or the combination at index k) is only replaced by one
        // whose loss is lower by the margin, so near-ties do not make the fused forecast flip back and forth.
        const current = leader >= 0 ? leader : k;
        let best = current;
        for (let i = 0; i <= k; i++) if ((i === k || available[i]) && guardLoss[i] < guardLoss[best]) best = i;
        if (best !== current && guardLoss[best] < (1 - guardMargin) * guardLoss[current])
          leader = best === k ? -1 : best;
        if (leader >= 0) {
          fused = fresh[leader];
          weightsNow.fill(0);
          weightsNow[leader] = 1;
        }
      }
      if (!scaleSeen && known && Number.isFinite(fused)) {
        // σ̂'s floor in the series' units: a flat series must not give zero-width scores a zero divisor.
        setIntervalScaleFloor(interval, 1e-12 * Math.max(1, Math.abs(firstValue)));
        scaleSeen = true;
      }
      pendingPredictions.set(fresh, slot * k);
      pendingWeights.set(weightsNow, slot * k);
      pendingForecast[slot] = fused;
      pendingCombination[slot] = combination;
      pendingReady[slot] = ready && any ? 1 : 0;
      const next = Number.isFinite(fused) ? issueInterval(interval, rng) : null;
      pendingIssued[slot] = next;
      row.next.forecast = fused;
      row.next.lower = next ? fused - next.halfWidth : Number.NaN;
      row.next.upper = next ? fused + next.halfWidth : Number.NaN;
      row.next.closed = next?.closed ?? true;
      return row;
    },
  };
}
