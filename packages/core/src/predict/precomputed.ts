import { NqpError } from "../errors";
import type { Predictor } from "./types";

/**
 * A predictor whose forecasts a host computed beforehand — a user's ONNX model run by packages/kernels over the
 * series' windows, for instance (core runs no model files). `forecasts[t]` must be the forecast of row t + horizon
 * made from rows ≤ t (NaN where there is none); the host owns that promise, this wrapper only replays it in order.
 */
export function createPrecomputedPredictor(
  name: string,
  forecasts: Float64Array,
  horizon: number,
  details: Record<string, unknown> = {},
): Predictor {
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new NqpError("bad-config", `${name}: horizon must be a positive integer, got ${horizon}`);
  let t = 0;
  return {
    name,
    horizon,
    step() {
      const f = t < forecasts.length ? forecasts[t] : Number.NaN;
      t++;
      return f;
    },
    describe: () => details,
  };
}
