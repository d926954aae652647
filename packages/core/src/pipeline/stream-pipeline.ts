import type { AnomalyDetector, DetectorSnapshot } from "../detect";
import { createDetector } from "../detect";
import { NqpError } from "../errors";
import {
  type ConformalState,
  conformalHalfWidth,
  conformalScale,
  createConformal,
  updateConformal,
} from "../forecast/conformal";
import {
  accumulateColumns,
  accumulateSample,
  createGram,
  type Gram,
  predictReadout,
  type RidgeReadout,
  ridgeScale,
  scaleGram,
  solveRidges,
} from "../readout";
import { advanceEsn, createEsn, type EsnParams } from "../reservoir";
import { packNumbers, unpackNumbers } from "../snapshot";
import {
  cloneSpikePatternState,
  createSpikePatternState,
  type SpikePatternOptions,
  type SpikePatternState,
  stepSpikePatterns,
} from "./spike-patterns";
import type { PatternEvent, PipelineRecord, PipelineSnapshot, StreamPipeline, StreamPipelineConfig } from "./types";

/**
 * The per-stream processor (see types.ts for the contract). Per sample, in this order:
 *
 * 1. the sample is scored by the anomaly detector `nqp detect` runs (createDetector: shape, fine and time-of-day
 *    channels, anomaly likelihood, range check; it sees the sample's timestamp); the forecast issued `horizon`
 *    samples ago for this sample is resolved: its residual feeds the conformal interval, and its features (kept since
 *    then) become one training row for the readout;
 * 2. the value, normalised by the warm-up's mean and standard deviation, drives an echo-state reservoir; the readout
 *    (ridge on reservoir state + the last `lags` values) predicts the change over the next `horizon` samples, so a
 *    readout with nothing to say falls back to persistence;
 * 3. the forecast for `horizon` samples ahead is issued with its conformal interval;
 * 4. the send-on-delta spike train of the value yields motif and change-point events.
 *
 * Learning: the first fit happens after `warmup` samples; the readout statistics then accumulate every sample and
 * the readout is re-solved every `refitEvery` samples, with old statistics decayed by `FORGET` per refit (online
 * adaptation with a memory of a few refits). Three ridge strengths are solved at each refit; every sample, the one
 * whose recent out-of-sample forecasts were best is combined with persistence by inverse recent squared errors, so
 * noise-like streams and regime changes fall back to persistence within a few dozen samples: no per-stream tuning.
 *
 * Robustness: non-finite values are held at the last value and teach nothing; values are clamped to ±CLAMP standard
 * deviations in the features; a level that stays beyond ±REBASE deviations re-centres the stream and restarts its
 * model (persistence until refitted), so a huge level shift cannot leave a saturated reservoir behind; forecasts
 * are kept within MAX_STEP deviations of the last value.
 */
const DEFAULTS = { horizon: 1, coverage: 0.9, warmup: 200, refitEvery: 500, units: 64, seed: 1, lags: 4 };
const RIDGES = [1e-5, 1e-3, 1e-1];
/** Candidates: one readout per ridge strength, and persistence (no change) as the last. */
const CANDIDATES = RIDGES.length + 1;
const FORGET = 0.8;
const CLAMP = 50;
const REBASE = 20;
const REBASE_AFTER = 30;
const MAX_STEP = 20;
/** Weight of the newest squared error in each candidate's running error (a memory of about 20 samples). */
const ERROR_RATE = 0.05;
const SNAPSHOT_VERSION = 2;
const PATTERNS: SpikePatternOptions = {};
/** Training rows gathered before they enter the Gram as one block (tiled, ~3× cheaper per row than rank-one). */
const BLOCK = 8;

interface PipelineState {
  samples: number;
  lastTimeMs: number;
  warmupValues: number[];
  fitted: boolean;
  center: number;
  scale: number;
  lastValue: number;
  outside: number;
  activations: Float64Array;
  /** Last `lags` normalised values, newest first. */
  history: Float64Array;
  /** Ring of the last `horizon` feature vectors (horizon × features). */
  featureRing: Float64Array;
  /** Per ring slot: forecast issued, its half-width, σ̂ then, the normalised value then, and each ridge's prediction. */
  pendingForecast: Float64Array;
  pendingHalf: Float64Array;
  pendingScale: Float64Array;
  pendingBase: Float64Array;
  pendingCandidates: Float64Array;
  gram: Gram;
  /** Training rows not yet in the Gram: feature-major (features × BLOCK) with their targets. */
  trainBlock: Float64Array;
  trainTargets: Float64Array;
  trainFill: number;
  readouts: RidgeReadout[] | null;
  chosen: number;
  /** Running mean squared error of each candidate's forecasts (normalised units). */
  candidateError: Float64Array;
  errorsSeen: number;
  /** Largest |change| trained on (normalised): bounds the readouts' predictions. */
  maxTarget: number;
  sinceRefit: number;
  conformal: ConformalState;
  patterns: SpikePatternState;
}

export function createStreamPipeline(config: StreamPipelineConfig = {}, snapshot?: PipelineSnapshot): StreamPipeline {
  const asked = { ...DEFAULTS, ...stripUndefined(config) };
  validate(asked);
  // A fit needs a few targets beyond the horizon: shorter warm-ups are lengthened to 2·horizon + 10 samples.
  const c = { ...asked, warmup: Math.max(asked.warmup, 2 * asked.horizon + 10) };
  const { horizon, units, lags } = c;
  const f = units + lags;
  const esn = sharedReservoir(units, c.seed);
  const s: PipelineState = snapshot ? restoreState(snapshot, c) : freshState(c, f);
  // The detector is the one `nqp detect` runs, so the agent's anomaly scores are the ones scored on NAB (75.89 /
  // 68.77 / 80.48); the reservoir's forecast-error likelihood scored 57.81 / 54.46 / 60.66 there.
  const detector: AnomalyDetector = createDetector({}, snapshot ? (snapshot.detector as DetectorSnapshot) : undefined);
  const next = new Float64Array(units);
  const input = new Float64Array(1);
  const out = new Float64Array(1);

  const features = (u: number, slot: number) => {
    input[0] = Math.max(-CLAMP, Math.min(CLAMP, u));
    advanceEsn(esn, s.activations, input, next);
    s.activations.set(next);
    s.history.copyWithin(1, 0, lags - 1);
    s.history[0] = input[0];
    const x = s.featureRing.subarray(slot * f, (slot + 1) * f);
    x.set(s.activations);
    x.set(s.history, units);
    return x;
  };

  const flushTraining = () => {
    if (s.trainFill) accumulateColumns(s.gram, s.trainBlock, s.trainTargets, s.trainFill, BLOCK);
    s.trainFill = 0;
  };

  const train = (x: Float64Array, target: number) => {
    const col = s.trainFill;
    for (let i = 0; i < f; i++) s.trainBlock[i * BLOCK + col] = x[i];
    s.trainTargets[col] = target;
    if (++s.trainFill === BLOCK) flushTraining();
  };

  const refit = () => {
    flushTraining();
    const scale = ridgeScale(s.gram);
    s.readouts = solveRidges(
      s.gram,
      RIDGES.map((r) => r * scale),
    );
    scaleGram(s.gram, FORGET);
    s.sinceRefit = 0;
  };

  /** Issues the forecast for `horizon` samples after the current one from feature vector x. */
  const issue = (slot: number, x: Float64Array, u: number, value: number) => {
    let delta = 0;
    const o = slot * CANDIDATES;
    if (s.readouts) {
      // The ridge readout with the smallest recent error, combined with persistence by inverse recent squared
      // errors (Bates & Granger 1969): a readout that stops working hands over to persistence within a few dozen
      // samples instead of waiting for the next refit. Predicted changes are bounded by twice the largest change
      // trained on, so a readout never extrapolates far beyond what it has seen.
      const bound = Math.min(MAX_STEP, Math.max(1, 2 * s.maxTarget));
      let best = 0;
      for (let k = 0; k < RIDGES.length; k++) {
        const d = Math.max(-bound, Math.min(bound, predictReadout(s.readouts[k], x, out)[0]));
        s.pendingCandidates[o + k] = d;
        if (s.candidateError[k] < s.candidateError[best]) best = k;
      }
      if (s.errorsSeen === 0) best = 1;
      s.chosen = best;
      const model = s.candidateError[best];
      const persistence = s.candidateError[RIDGES.length];
      const weight = s.errorsSeen === 0 || model + persistence === 0 ? 1 : persistence / (model + persistence);
      delta = weight * s.pendingCandidates[o + best];
    } else s.pendingCandidates.fill(0, o, o + RIDGES.length);
    s.pendingCandidates[o + RIDGES.length] = 0;
    const forecast = value + delta * s.scale;
    const half = conformalHalfWidth(s.conformal);
    s.pendingForecast[slot] = forecast;
    s.pendingHalf[slot] = half;
    s.pendingScale[slot] = conformalScale(s.conformal);
    s.pendingBase[slot] = u;
    return Number.isFinite(half)
      ? { forecast, lower: forecast - half, upper: forecast + half }
      : { forecast, lower: forecast, upper: forecast };
  };

  /** The end of the warm-up: normalise, replay the warm-up through the reservoir, fit, calibrate. */
  const initialise = () => {
    const xs = s.warmupValues;
    let m = 0;
    for (const x of xs) m += x;
    m /= xs.length;
    let v = 0;
    for (const x of xs) v += (x - m) ** 2;
    const sd = Math.sqrt(v / xs.length);
    s.center = m;
    s.scale = scaleWithFloor(sd, m);
    const us = xs.map((x) => (x - s.center) / s.scale);
    const rows: Float64Array[] = [];
    // Ring slots follow sample numbers, so that the last warm-up value's features sit in the current sample's slot.
    const offset = s.samples - us.length;
    for (let t = 0; t < us.length; t++) {
      const x = features(us[t], (t + offset) % horizon);
      rows.push(x.slice());
      if (t >= horizon) {
        const target = us[t] - us[t - horizon];
        accumulateSample(s.gram, rows[t - horizon], [target]);
        s.maxTarget = Math.max(s.maxTarget, Math.abs(target));
      }
    }
    s.conformal.scaleFloor = 1e-9 * s.scale;
    refit();
    // Seed the interval with the fit's residuals on the warm-up (in-sample, so adaptive conformal inference
    // widens it within a few dozen samples if it proves too narrow).
    let sum = 0;
    const residuals: number[] = [];
    for (let t = horizon; t < us.length; t++) {
      const d = predictReadout((s.readouts as RidgeReadout[])[s.chosen], rows[t - horizon], out)[0];
      const r = (us[t] - us[t - horizon] - d) * s.scale;
      residuals.push(r);
      sum += Math.abs(r);
    }
    s.conformal.scale = residuals.length ? sum / residuals.length : 0;
    for (const r of residuals) updateConformal(s.conformal, r, conformalScale(s.conformal), Number.NaN);
    for (let t = 0; t < us.length; t++) stepSpikePatterns(PATTERNS, s.patterns, us[t]);
    s.fitted = true;
    s.warmupValues = [];
    s.sinceRefit = 0;
  };

  const rebase = (value: number) => {
    s.center = value;
    s.activations.fill(0);
    s.history.fill(0);
    s.gram = createGram(f);
    s.trainFill = 0;
    s.readouts = null;
    s.chosen = 1;
    s.candidateError.fill(0);
    s.errorsSeen = 0;
    s.sinceRefit = 0;
    s.outside = 0;
    s.pendingForecast.fill(Number.NaN);
    s.patterns = createSpikePatternState();
  };

  return {
    get samples() {
      return s.samples;
    },
    step(timeMs: number, raw: number): PipelineRecord {
      if (!Number.isFinite(timeMs))
        throw new NqpError("bad-time", `sample time ${timeMs} is not a finite number of epoch milliseconds`);
      if (timeMs < s.lastTimeMs)
        throw new NqpError(
          "out-of-order",
          `sample at ${timeMs} ms is earlier than the previous one at ${s.lastTimeMs} ms (samples must arrive in time order)`,
        );
      s.lastTimeMs = timeMs;
      const missing = !Number.isFinite(raw);
      const value = missing ? s.lastValue : raw;
      const slot = s.samples % horizon;
      s.samples++;

      if (!s.fitted) {
        const anomalyScore = missing ? 0 : detector.update(value, Number.NaN, timeMs);
        if (!missing) {
          s.lastValue = value;
          s.warmupValues.push(value);
          if (s.warmupValues.length >= c.warmup) initialise();
        }
        const nextForecast = s.fitted
          ? issue(slot, s.featureRing.subarray(slot * f, (slot + 1) * f), (value - s.center) / s.scale, value)
          : null;
        return {
          forecast: null,
          lower: null,
          upper: null,
          anomalyScore,
          isAnomaly: anomalyScore >= detector.threshold,
          next: nextForecast,
          patterns: [],
        };
      }

      const u = (value - s.center) / s.scale;
      const issued = s.pendingForecast[slot];
      const hasForecast = Number.isFinite(issued);
      const half = s.pendingHalf[slot];
      const record: PipelineRecord = {
        forecast: hasForecast ? issued : null,
        lower: hasForecast ? issued - (Number.isFinite(half) ? half : 0) : null,
        upper: hasForecast ? issued + (Number.isFinite(half) ? half : 0) : null,
        anomalyScore: 0,
        isAnomaly: false,
        next: null,
        patterns: [],
      };
      if (!missing) {
        record.anomalyScore = detector.update(value, hasForecast ? issued : Number.NaN, timeMs);
        record.isAnomaly = record.anomalyScore >= detector.threshold;
        if (hasForecast) {
          updateConformal(s.conformal, value - issued, s.pendingScale[slot], half);
          const target = Math.max(-CLAMP, Math.min(CLAMP, u)) - s.pendingBase[slot];
          const rate = s.errorsSeen === 0 ? 1 : ERROR_RATE;
          for (let k = 0; k < CANDIDATES; k++)
            s.candidateError[k] +=
              rate * ((target - s.pendingCandidates[slot * CANDIDATES + k]) ** 2 - s.candidateError[k]);
          s.errorsSeen++;
          s.maxTarget = Math.max(s.maxTarget, Math.abs(target));
          train(s.featureRing.subarray(slot * f, (slot + 1) * f), target);
          s.sinceRefit++;
        }
        s.outside = Math.abs(u) > REBASE ? s.outside + 1 : 0;
      }
      s.lastValue = value;
      if (s.outside >= REBASE_AFTER) {
        rebase(value);
        record.patterns = [{ kind: "change-point", strength: 1 }];
      }
      const un = (value - s.center) / s.scale;
      const x = features(un, slot);
      if (
        s.sinceRefit >= c.refitEvery ||
        (!s.readouts && s.gram.count + s.trainFill >= Math.min(c.warmup, c.refitEvery))
      )
        refit();
      record.next = issue(slot, x, Math.max(-CLAMP, Math.min(CLAMP, un)), value);
      if (!missing && record.patterns.length === 0) record.patterns = stepSpikePatterns(PATTERNS, s.patterns, un);
      return record;
    },
    snapshot(): PipelineSnapshot {
      return {
        version: SNAPSHOT_VERSION,
        config: c,
        state: serialiseState(s, f),
        detector: detector.snapshot(),
      };
    },
  };
}

/**
 * Reservoir weights are a pure function of (units, seed) and never change after creation, so every stream with the
 * same shape and seed shares one copy: an edge agent runs its streams with one config (1 000 streams would
 * otherwise hold 1 000 identical sets, 28 KB each at 200 units, and pay the spectral-radius estimate 1 000 times).
 * A memo of immutable values, not state: results do not depend on it. Bounded to the most recent configs.
 */
const RESERVOIRS = new Map<string, Readonly<EsnParams>>();
const RESERVOIRS_KEPT = 32;

function sharedReservoir(units: number, seed: number): Readonly<EsnParams> {
  const key = `${units}/${seed}`;
  let esn = RESERVOIRS.get(key);
  if (!esn) {
    esn = Object.freeze(createEsn({ units, inputs: 1, spectralRadius: 0.9, leak: 0.5, inputScaling: 0.5, seed }));
    if (RESERVOIRS.size >= RESERVOIRS_KEPT) RESERVOIRS.delete(RESERVOIRS.keys().next().value as string);
    RESERVOIRS.set(key, esn);
  }
  return esn;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validate(c: typeof DEFAULTS): void {
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new NqpError("bad-config", `pipeline config: ${what}`);
  };
  check(
    Number.isInteger(c.horizon) && c.horizon >= 1 && c.horizon <= 10_000,
    `horizon must be an integer in [1, 10000], got ${c.horizon}`,
  );
  check(c.coverage > 0 && c.coverage < 1, `coverage must be in (0, 1), got ${c.coverage}`);
  check(Number.isInteger(c.warmup) && c.warmup >= 1, `warmup must be a positive integer, got ${c.warmup}`);
  check(
    Number.isInteger(c.refitEvery) && c.refitEvery >= 1,
    `refitEvery must be a positive integer, got ${c.refitEvery}`,
  );
  check(
    Number.isInteger(c.units) && c.units >= 1 && c.units <= 10_000,
    `units must be an integer in [1, 10000], got ${c.units}`,
  );
  check(Number.isInteger(c.lags) && c.lags >= 1 && c.lags <= 256, `lags must be an integer in [1, 256], got ${c.lags}`);
}

function scaleWithFloor(sd: number, center: number): number {
  const floor = Math.max(1e-9 * Math.abs(center), 1e-12);
  return sd > floor ? sd : Math.max(floor, 1e-6 * Math.abs(center), 1e-12);
}

function freshState(c: typeof DEFAULTS, f: number): PipelineState {
  const h = c.horizon;
  return {
    samples: 0,
    lastTimeMs: Number.NEGATIVE_INFINITY,
    warmupValues: [],
    fitted: false,
    center: 0,
    scale: 1,
    lastValue: 0,
    outside: 0,
    activations: new Float64Array(c.units),
    history: new Float64Array(c.lags),
    featureRing: new Float64Array(h * f),
    pendingForecast: new Float64Array(h).fill(Number.NaN),
    pendingHalf: new Float64Array(h).fill(Number.NaN),
    pendingScale: new Float64Array(h),
    pendingBase: new Float64Array(h),
    pendingCandidates: new Float64Array(h * CANDIDATES),
    gram: createGram(f),
    trainBlock: new Float64Array(f * BLOCK),
    trainTargets: new Float64Array(BLOCK),
    trainFill: 0,
    readouts: null,
    chosen: 1,
    candidateError: new Float64Array(CANDIDATES),
    errorsSeen: 0,
    maxTarget: 0,
    sinceRefit: 0,
    conformal: createConformal({ coverage: c.coverage, window: 500 }),
    patterns: createSpikePatternState(),
  };
}

// Snapshots are JSON with every numeric array packed as base64 float64 (exact, NaN and ±Infinity included; see
// snapshot/codec.ts); state that can be rebuilt exactly is left out: the conformal window's sorted copy, the training
// block's unused columns.
const enc = (x: number) =>
  Number.isNaN(x) ? null : x === Number.POSITIVE_INFINITY ? "inf" : x === Number.NEGATIVE_INFINITY ? "-inf" : x;
const dec = (x: unknown) =>
  x === null
    ? Number.NaN
    : x === "inf"
      ? Number.POSITIVE_INFINITY
      : x === "-inf"
        ? Number.NEGATIVE_INFINITY
        : (x as number);

function serialiseState(s: PipelineState, f: number): Record<string, unknown> {
  const filled = new Float64Array(f * s.trainFill);
  for (let i = 0; i < f; i++)
    for (let col = 0; col < s.trainFill; col++) filled[i * s.trainFill + col] = s.trainBlock[i * BLOCK + col];
  const { sorted: _sorted, scores, ...conformal } = s.conformal;
  return {
    samples: s.samples,
    lastTimeMs: enc(s.lastTimeMs),
    warmupValues: packNumbers(s.warmupValues),
    fitted: s.fitted,
    center: s.center,
    scale: s.scale,
    lastValue: s.lastValue,
    outside: s.outside,
    activations: packNumbers(s.activations),
    history: packNumbers(s.history),
    featureRing: packNumbers(s.featureRing),
    pendingForecast: packNumbers(s.pendingForecast),
    pendingHalf: packNumbers(s.pendingHalf),
    pendingScale: packNumbers(s.pendingScale),
    pendingBase: packNumbers(s.pendingBase),
    pendingCandidates: packNumbers(s.pendingCandidates),
    gram: {
      count: s.gram.count,
      xtx: packNumbers(s.gram.xtx),
      xty: packNumbers(s.gram.xty),
      sumX: packNumbers(s.gram.sumX),
      sumY: packNumbers(s.gram.sumY),
      yty: packNumbers(s.gram.yty),
    },
    trainBlock: packNumbers(filled),
    trainTargets: packNumbers(s.trainTargets.subarray(0, s.trainFill)),
    trainFill: s.trainFill,
    readouts:
      s.readouts?.map((r) => ({
        weights: packNumbers(r.weights),
        intercept: packNumbers(r.intercept),
        ridge: r.ridge,
      })) ?? null,
    chosen: s.chosen,
    candidateError: packNumbers(s.candidateError),
    errorsSeen: s.errorsSeen,
    maxTarget: s.maxTarget,
    sinceRefit: s.sinceRefit,
    conformal: { ...conformal, scale: enc(conformal.scale), scores: packNumbers(scores) },
    patterns: cloneSpikePatternState(s.patterns),
  };
}

function restoreState(snapshot: PipelineSnapshot, c: typeof DEFAULTS): PipelineState {
  if (snapshot.version !== SNAPSHOT_VERSION)
    throw new NqpError(
      "bad-snapshot",
      `pipeline snapshot version ${snapshot.version} is not supported (expected ${SNAPSHOT_VERSION})`,
    );
  const saved = snapshot.config as typeof DEFAULTS;
  for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[])
    if (saved?.[key] !== c[key])
      throw new NqpError(
        "bad-snapshot",
        `pipeline snapshot was taken with ${key} = ${saved?.[key]}, the config says ${c[key]}`,
      );
  const st = snapshot.state as Record<string, unknown>;
  const g = st.gram as Record<string, unknown>;
  const f = c.units + c.lags;
  const num = (key: string) => unpackNumbers(st[key], key);
  const gram: Gram = {
    features: f,
    targets: 1,
    count: g.count as number,
    xtx: unpackNumbers(g.xtx, "gram.xtx"),
    xty: unpackNumbers(g.xty, "gram.xty"),
    sumX: unpackNumbers(g.sumX, "gram.sumX"),
    sumY: unpackNumbers(g.sumY, "gram.sumY"),
    yty: unpackNumbers(g.yty, "gram.yty"),
  };
  if (gram.xtx.length !== (f * (f + 1)) / 2)
    throw new NqpError(
      "bad-snapshot",
      `pipeline snapshot's gram.xtx has ${gram.xtx.length} entries, expected ${(f * (f + 1)) / 2}`,
    );
  const readouts = (st.readouts as Array<Record<string, unknown>> | null)?.map((r) => ({
    features: f,
    targets: 1,
    weights: unpackNumbers(r.weights, "readouts.weights"),
    intercept: unpackNumbers(r.intercept, "readouts.intercept"),
    ridge: r.ridge as number,
  }));
  const trainFill = st.trainFill as number;
  const filled = num("trainBlock");
  const trainBlock = new Float64Array(f * BLOCK);
  for (let i = 0; i < f; i++)
    for (let col = 0; col < trainFill; col++) trainBlock[i * BLOCK + col] = filled[i * trainFill + col];
  const trainTargets = new Float64Array(BLOCK);
  trainTargets.set(num("trainTargets"));
  const savedConformal = st.conformal as Record<string, unknown>;
  const scores = Array.from(unpackNumbers(savedConformal.scores, "conformal.scores"));
  const conformal = {
    ...(savedConformal as unknown as ConformalState),
    scale: dec(savedConformal.scale),
    scores,
    sorted: scores.slice().sort((a, b) => a - b),
  };
  return {
    samples: st.samples as number,
    lastTimeMs: dec(st.lastTimeMs),
    warmupValues: Array.from(num("warmupValues")),
    fitted: st.fitted as boolean,
    center: st.center as number,
    scale: st.scale as number,
    lastValue: st.lastValue as number,
    outside: st.outside as number,
    activations: num("activations"),
    history: num("history"),
    featureRing: num("featureRing"),
    pendingForecast: num("pendingForecast"),
    pendingHalf: num("pendingHalf"),
    pendingScale: num("pendingScale"),
    pendingBase: num("pendingBase"),
    pendingCandidates: num("pendingCandidates"),
    gram,
    trainBlock,
    trainTargets,
    trainFill,
    readouts: readouts ?? null,
    chosen: st.chosen as number,
    candidateError: num("candidateError"),
    errorsSeen: st.errorsSeen as number,
    maxTarget: st.maxTarget as number,
    sinceRefit: st.sinceRefit as number,
    conformal,
    patterns: cloneSpikePatternState(st.patterns as SpikePatternState),
  };
}

export type { PatternEvent };
