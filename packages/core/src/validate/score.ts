import type { ValidationMetrics } from "./metrics";

/**
 * The composite validation score out of 100, computed from the backtest's metrics only (so anyone can recompute it
 * from a report). Five components, each in [0, 1]:
 *
 *   accuracy    = mean( 1/(1 + MASE), 1/(1 + NRMSE), 1 − sMAPE/200 )
 *   calibration = max(0, 1 − |coverage − nominal| / (1 − nominal))      (0 once the miss rate is off by α itself)
 *   sharpness   = 1 / (1 + Winkler / (4·σ))                             σ = standard deviation of the values scored
 *   skill       = clamp(0.5 + (1 − RMSE / RMSE of the best baseline), 0, 1)   (0.5: as good as the baseline)
 *   events      = clamp(NAB standard score / 100, 0, 1)                 (only when labels were given)
 *
 *   score = 100 · (0.35·accuracy + 0.25·calibration + 0.20·sharpness + 0.20·skill)            without labels
 *   score = 100 · (0.8·(0.35·accuracy + 0.25·calibration + 0.20·sharpness + 0.20·skill) + 0.2·events)  with labels
 *
 * Why these: MASE, NRMSE and sMAPE judge accuracy on three different scales (the naive forecast's error, the series'
 * spread, relative error); a Gaussian forecaster with calibrated 90 % intervals has Winkler ≈ 4·σₑ, so sharpness ≈
 * 1/(1 + NRMSE) for an honest interval and less for a needlessly wide or often-missing one; skill asks whether the
 * model earns its complexity over the seasonal-naive and exponential-smoothing baselines.
 */
export interface ScoreComponents {
  accuracy: number;
  calibration: number;
  sharpness: number;
  skill: number;
  events: number | null;
}

export interface ValidationScore {
  /** 0 … 100. */
  total: number;
  components: ScoreComponents;
  weights: Record<keyof ScoreComponents, number>;
  formula: string;
}

export const SCORE_FORMULA =
  "100·(0.35·accuracy + 0.25·calibration + 0.20·sharpness + 0.20·skill), times 0.8 plus 20·events when labels are " +
  "given; accuracy = mean(1/(1+MASE), 1/(1+NRMSE), 1−sMAPE/200); calibration = max(0, 1−|coverage−nominal|/(1−nominal)); " +
  "sharpness = 1/(1+Winkler/(4σ)); skill = clamp(1.5 − RMSE/RMSE_best_baseline, 0, 1); events = clamp(NAB standard/100, 0, 1)";

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/**
 * The score of forecast `metrics` at `nominal` coverage, against the baselines' RMSEs, with the NAB standard score
 * when labels were scored (null otherwise). Non-finite inputs count as the worst value of their component.
 */
export function validationScore(
  metrics: ValidationMetrics,
  nominal: number,
  baselineRmse: readonly number[],
  nabStandard: number | null = null,
): ValidationScore {
  const inv = (x: number) => (Number.isFinite(x) && x >= 0 ? 1 / (1 + x) : 0);
  const accuracy = (inv(metrics.mase) + inv(metrics.nrmse) + clamp01(1 - metrics.smape / 200)) / 3;
  const calibration = metrics.coverage === null ? 0 : clamp01(1 - Math.abs(metrics.coverage - nominal) / (1 - nominal));
  // σ of the scored values is RMSE / NRMSE; a series with no spread (σ = 0) is scored on its Winkler score alone.
  const sigma = metrics.nrmse > 0 ? metrics.rmse / metrics.nrmse : 0;
  const sharpness =
    metrics.winkler === null ? 0 : metrics.winkler === 0 ? 1 : sigma > 0 ? inv(metrics.winkler / (4 * sigma)) : 0;
  const best = Math.min(...baselineRmse.filter((x) => Number.isFinite(x)));
  const skill = Number.isFinite(best) && best > 0 ? clamp01(1.5 - metrics.rmse / best) : metrics.rmse === 0 ? 1 : 0.5;
  const events = nabStandard === null ? null : clamp01(nabStandard / 100);
  const weights = { accuracy: 0.35, calibration: 0.25, sharpness: 0.2, skill: 0.2, events: 0 };
  let total =
    weights.accuracy * accuracy +
    weights.calibration * calibration +
    weights.sharpness * sharpness +
    weights.skill * skill;
  if (events !== null) {
    for (const k of ["accuracy", "calibration", "sharpness", "skill"] as const) weights[k] *= 0.8;
    weights.events = 0.2;
    total = 0.8 * total + 0.2 * events;
  }
  return {
    total: Math.round(1000 * total) / 10,
    components: { accuracy, calibration, sharpness, skill, events },
    weights,
    formula: SCORE_FORMULA,
  };
}
