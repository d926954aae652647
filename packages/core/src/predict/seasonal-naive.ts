import { NqpError } from "../errors";
import { History } from "./history";
import { detectSeason } from "./season";
import type { Predictor } from "./types";

/**
 * The seasonal-naive forecast (Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §5.2):
 * ŷ(t + h) = y(t + h − k·m), k = ⌈h/m⌉, the value one season back from the target; with no season (m = 1) it is
 * persistence, ŷ(t + h) = y(t). The season m is detected on the first `warmup` rows (see season.ts) and detected
 * again whenever the rows seen have doubled, on the latest `detectWindow` rows, so a weekly season too long to show
 * in the warm-up is found once enough of the series has passed. A season that does worse than persistence over the
 * rows since it was detected (at least 200, and two seasons) is dropped until the next detection.
 */
export interface SeasonalNaiveOptions {
  horizon?: number;
  /** Rows before the first forecast, on which the season is first detected (default 200). */
  warmup?: number;
  /** A fixed season in rows (skips detection); 1 is plain persistence. */
  period?: number;
  /** Rows the detection looks at (default 8 192). */
  detectWindow?: number;
}

export function createSeasonalNaive(options: SeasonalNaiveOptions = {}): Predictor {
  const horizon = options.horizon ?? 1;
  const warmup = options.warmup ?? 200;
  const detectWindow = options.detectWindow ?? 8192;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new NqpError("bad-config", `naive: horizon must be a positive integer, got ${horizon}`);
  if (options.period !== undefined && (!Number.isInteger(options.period) || options.period < 1))
    throw new NqpError("bad-config", `naive: period must be a positive integer, got ${options.period}`);
  const history = new History(Math.max(detectWindow, (options.period ?? 1) + horizon + 1));
  let period = options.period ?? 1;
  let samples = 0;
  let nextDetection = options.period === undefined ? warmup : Number.POSITIVE_INFINITY;
  let last = Number.NaN;
  let seasonError = 0;
  let persistenceError = 0;
  let scored = 0;
  return {
    name: "naive",
    horizon,
    step(value) {
      const v = Number.isFinite(value) ? value : last;
      if (Number.isNaN(v)) return Number.NaN;
      last = v;
      history.push(v);
      samples++;
      if (period > 1) {
        // How the season and persistence would have done on this row: a season that keeps losing to persistence
        // (a chance recurrence of a chaotic series, a pattern that stopped) is dropped until the next detection.
        seasonError += Math.abs(v - history.back(period * Math.ceil(horizon / period)));
        persistenceError += Math.abs(v - history.back(horizon));
        if (++scored >= Math.max(200, 2 * period) && persistenceError < seasonError) period = 1;
      }
      if (samples >= nextDetection) {
        period = detectSeason(history.latest(detectWindow), { horizon });
        nextDetection = 2 * samples;
        seasonError = 0;
        persistenceError = 0;
        scored = 0;
      }
      if (samples < warmup) return Number.NaN;
      // y(t + h − k·m) is k·m − h rows before the newest row; k = ⌈h/m⌉ keeps that ≥ 0 (never a future row).
      const back = period * Math.ceil(horizon / period) - horizon;
      const f = history.back(back);
      return Number.isNaN(f) ? v : f;
    },
    describe: () => ({ period, samples }),
  };
}
