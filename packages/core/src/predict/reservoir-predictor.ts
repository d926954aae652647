import { NqpError } from "../errors";
import { OnlineRidge } from "./online-ridge";
import type { Predictor } from "./types";

/**
 * What a reservoir predictor's readout sees at a row: a reservoir's state after the row's (normalised) inputs and
 * whatever direct features the source adds. The state is the source's own; `reset` forgets it.
 */
export interface FeatureSource {
  readonly size: number;
  /** Consumes the row's normalised value and exogenous inputs; returns its feature vector (a view reused per call). */
  step(value: number, exogenous: ArrayLike<number>): Float64Array;
  reset(): void;
  describe(): Record<string, unknown>;
}

export interface ReservoirPredictorOptions {
  horizon?: number;
  /** Rows before the first forecast: they set the normalisation and the first fit (default 200). */
  warmup?: number;
  /** Fewest rows between refits (default 250); the gap grows with the rows seen, to `maxRefitEvery`. */
  refitEvery?: number;
  /** Most rows between refits (default 4 000). */
  maxRefitEvery?: number;
  /** Exogenous inputs per row (default 0). */
  exogenous?: number;
  ridges?: readonly number[];
}

// Normalised inputs are clamped here (a wild value must not saturate the reservoir for long), forecasts stay within
// MAX_STEP deviations of the last value, and a level beyond ±REBASE deviations for REBASE_AFTER rows restarts the
// predictor around it (the same rules as the stream pipeline, pipeline/stream-pipeline.ts).
const CLAMP = 50;
const MAX_STEP = 20;
const REBASE = 20;
const REBASE_AFTER = 30;

/**
 * A forecaster from a reservoir's features with an online ridge readout (online-ridge.ts) predicting the normalised
 * change u(t + h) − u(t): direct multi-step forecasting, one readout per horizon, shrinking to persistence under
 * regularisation. The warm-up's mean and standard deviation normalise value and exogenous inputs.
 */
export function createReservoirPredictor(
  name: string,
  source: FeatureSource,
  options: ReservoirPredictorOptions = {},
): Predictor {
  const horizon = options.horizon ?? 1;
  const warmup = options.warmup ?? 200;
  const refitEvery = options.refitEvery ?? 250;
  const maxRefitEvery = options.maxRefitEvery ?? 4000;
  const e = options.exogenous ?? 0;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new NqpError("bad-config", `${name}: horizon must be a positive integer, got ${horizon}`);
  if (!Number.isInteger(warmup) || warmup < 2 * horizon + 20)
    throw new NqpError("bad-config", `${name}: warmup must be an integer ≥ 2·horizon + 20, got ${warmup}`);
  const f = source.size;
  const ridge = new OnlineRidge({ features: f, ridges: options.ridges });
  const k = ridge.candidates;
  // Per pending forecast (ring of `horizon` slots): its features, the normalised value it started from, and every
  // candidate's predicted change.
  const ring = new Float64Array(horizon * f);
  const base = new Float64Array(horizon);
  const pending = new Uint8Array(horizon);
  const predictions = new Float64Array(horizon * k);
  const exRow = new Float64Array(e);
  const warmValues: number[] = [];
  const warmExog: number[][] = [];
  let center = 0;
  let scale = 1;
  const exCenter = new Float64Array(e);
  const exScale = new Float64Array(e).fill(1);
  let samples = 0;
  let ready = false;
  let last = Number.NaN;
  let outside = 0;
  let nextRefit = 0;
  let rebases = 0;

  const normalise = (v: number) => Math.max(-CLAMP, Math.min(CLAMP, (v - center) / scale));
  const normaliseExog = (x: ArrayLike<number> | undefined) => {
    for (let j = 0; j < e; j++) {
      const raw = x?.[j];
      exRow[j] = Number.isFinite(raw)
        ? Math.max(-CLAMP, Math.min(CLAMP, ((raw as number) - exCenter[j]) / exScale[j]))
        : 0;
    }
    return exRow;
  };

  /** One row after the warm-up: resolve its pending forecast, step the reservoir, refit when due, forecast. */
  const advance = (v: number, known: boolean, exog: ArrayLike<number> | undefined, t: number): number => {
    const u = normalise(v);
    const slot = t % horizon;
    if (pending[slot] && known) {
      const target = u - base[slot];
      if (ridge.fitted) ridge.score(predictions.subarray(slot * k, (slot + 1) * k), target);
      ridge.add(ring.subarray(slot * f, (slot + 1) * f), target);
    }
    const x = source.step(u, normaliseExog(exog));
    ring.set(x, slot * f);
    base[slot] = u;
    pending[slot] = 1;
    if (t + 1 >= nextRefit && ridge.pending > 0) {
      ridge.refit();
      nextRefit = t + 1 + Math.min(maxRefitEvery, Math.max(refitEvery, Math.floor((t + 1) / 4)));
    }
    const out = ridge.predictAll(x, predictions.subarray(slot * k, (slot + 1) * k));
    const delta = Math.max(-MAX_STEP, Math.min(MAX_STEP, ridge.chosenPrediction(out)));
    return ridge.fitted ? v + delta * scale : Number.NaN;
  };

  const initialise = () => {
    const n = warmValues.length;
    let m = 0;
    for (const v of warmValues) m += v;
    m /= n;
    let s2 = 0;
    for (const v of warmValues) s2 += (v - m) ** 2;
    center = m;
    scale = scaleWithFloor(Math.sqrt(s2 / n), m);
    for (let j = 0; j < e; j++) {
      let mj = 0;
      for (const row of warmExog) mj += row[j];
      mj /= n;
      let vj = 0;
      for (const row of warmExog) vj += (row[j] - mj) ** 2;
      exCenter[j] = mj;
      exScale[j] = scaleWithFloor(Math.sqrt(vj / n), mj);
    }
    nextRefit = n;
    let f0 = Number.NaN;
    for (let t = 0; t < n; t++) f0 = advance(warmValues[t], true, warmExog[t], t);
    warmValues.length = 0;
    warmExog.length = 0;
    ready = true;
    return f0;
  };

  const rebase = (v: number) => {
    center = v;
    source.reset();
    ridge.reset();
    pending.fill(0);
    outside = 0;
    nextRefit = samples + refitEvery;
    rebases++;
  };

  return {
    name,
    horizon,
    step(value, exogenous) {
      const known = Number.isFinite(value);
      const v = known ? value : last;
      if (Number.isNaN(v)) return Number.NaN;
      last = v;
      const t = samples++;
      if (!ready) {
        warmValues.push(v);
        warmExog.push(Array.from({ length: e }, (_, j) => Number(exogenous?.[j] ?? 0)));
        return warmValues.length >= warmup ? initialise() : Number.NaN;
      }
      if (known) {
        outside = Math.abs((v - center) / scale) > REBASE ? outside + 1 : 0;
        if (outside >= REBASE_AFTER) rebase(v);
      }
      const forecast = advance(v, known, exogenous, t);
      // Until the first refit after a rebase: persistence.
      return Number.isNaN(forecast) ? v : forecast;
    },
    describe: () => ({ ...source.describe(), ...ridge.describe(), rebases }),
  };
}

function scaleWithFloor(sd: number, center: number): number {
  const floor = Math.max(1e-9 * Math.abs(center), 1e-12);
  return sd > floor ? sd : Math.max(floor, 1e-6 * Math.abs(center), 1e-12);
}
