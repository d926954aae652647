import { NqpError } from "../errors";
import { createEsnPredictor } from "./esn-predictor";
import { createEts } from "./ets";
import { createLifPredictor } from "./lif-predictor";
import { createSeasonalNaive } from "./seasonal-naive";
import { PREDICTOR_KINDS, type Predictor, type PredictorKind } from "./types";

/** Settings shared by the predictors core builds by name. */
export interface PredictorSettings {
  horizon?: number;
  warmup?: number;
  /** Exogenous inputs per row (the reservoir predictors use them; the baselines ignore them). */
  exogenous?: number;
  /** Units of the reservoir predictors (default 100). */
  units?: number;
  seed?: number;
}

export function isPredictorKind(name: string): name is PredictorKind {
  return (PREDICTOR_KINDS as readonly string[]).includes(name);
}

/** Builds one of core's predictors by name: "esn", "lif", "naive" (seasonal-naive) or "ets". */
export function createPredictor(kind: PredictorKind, settings: PredictorSettings = {}): Predictor {
  const { horizon, warmup, exogenous, units, seed } = settings;
  switch (kind) {
    case "esn":
      return createEsnPredictor({ horizon, warmup, exogenous, units, seed });
    case "lif":
      return createLifPredictor({ horizon, warmup, exogenous, units, seed });
    case "naive":
      return createSeasonalNaive({ horizon, warmup });
    case "ets":
      return createEts({ horizon, warmup });
    default:
      throw new NqpError(
        "bad-predictor",
        `unknown predictor '${kind as string}' (expected ${PREDICTOR_KINDS.join(", ")} or onnx:PATH)`,
      );
  }
}
