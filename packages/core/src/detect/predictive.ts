import { NqpError } from "../errors";
import {
  type AnomalyLikelihoodOptions,
  type AnomalyLikelihoodState,
  initialLikelihoodState,
  LIKELIHOOD_DEFAULTS,
  noteAlarm,
  stepLikelihood,
} from "./likelihood";
import { initialRangeState, type RangeState, stepRange } from "./range";
import type { AnomalyDetector, DetectorSnapshot } from "./types";

/**
 * A detector driven by a forecaster's prediction error (the pipeline's reservoir forecasts): the raw surprise is
 * r = e / (e + 2·ē), with e the absolute error and ē its running mean (horizon ≈ 1000 samples), so r is 1/3 for a
 * typical error and tends to 1 for errors far beyond it; the anomaly likelihood and the range check follow as in
 * createDetector.
 */
export interface LikelihoodDetectorOptions {
  likelihood?: AnomalyLikelihoodOptions;
  rangeTolerance?: number;
  threshold?: number;
}

interface PredictiveState {
  n: number;
  errorScale: number;
  likelihood: AnomalyLikelihoodState;
  range: RangeState;
}

export function createLikelihoodDetector(
  options: LikelihoodDetectorOptions = {},
  snapshot?: DetectorSnapshot,
): AnomalyDetector {
  const likelihood = { ...LIKELIHOOD_DEFAULTS, ...options.likelihood };
  const rangeTolerance = options.rangeTolerance ?? 0.05;
  const threshold = options.threshold ?? 0.5;
  let s: PredictiveState;
  if (snapshot) {
    // v3: the likelihood keeps block summaries instead of v2's 8 640 scores.
    if (snapshot.kind !== "prediction-likelihood" || snapshot.version !== 3)
      throw new NqpError("bad-snapshot", `cannot resume a '${snapshot.kind}' v${snapshot.version} detector state`);
    s = JSON.parse(JSON.stringify(snapshot.state)) as PredictiveState;
  } else s = { n: 0, errorScale: 0, likelihood: initialLikelihoodState(), range: initialRangeState() };
  return {
    threshold,
    update(value, forecast) {
      const error = Number.isFinite(forecast) ? Math.abs(value - forecast) : 0;
      s.n++;
      s.errorScale += (error - s.errorScale) * Math.max(1 / s.n, 0.001);
      const raw = error / (error + 2 * s.errorScale + 1e-12);
      const score = stepLikelihood(likelihood, s.likelihood, raw);
      if (!stepRange(rangeTolerance, s.range, value)) return score;
      noteAlarm(s.likelihood);
      return 1;
    },
    snapshot: () => ({
      kind: "prediction-likelihood",
      version: 3,
      options: { likelihood, rangeTolerance, threshold },
      state: JSON.parse(JSON.stringify(s)),
    }),
  };
}
