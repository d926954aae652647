import { buildEsn, FeatureRunner, type FeatureShape, featureCount, type ReservoirHyper } from "../forecast/features";
import { createReservoirPredictor, type FeatureSource, type ReservoirPredictorOptions } from "./reservoir-predictor";
import type { Predictor } from "./types";

/**
 * The echo-state predictor: a leaky-tanh reservoir (reservoir/esn.ts) driven by the normalised value (and exogenous
 * inputs), its state plus the last `lags` values as the readout's features (forecast/features.ts), and the online
 * ridge readout of reservoir-predictor.ts.
 */
export interface EsnPredictorOptions extends ReservoirPredictorOptions {
  /** Reservoir units (default 100). */
  units?: number;
  /** Direct lagged-value features (default 16). */
  lags?: number;
  /** Lagged features per exogenous input (default 10 when there are exogenous inputs). */
  exogLags?: number;
  /** Quadratic monomials of the last rows (FeatureShape.quadraticLags; default 0). */
  quadraticLags?: number;
  reservoir?: Partial<ReservoirHyper>;
  seed?: number;
}

export const ESN_PREDICTOR_RESERVOIR: ReservoirHyper = {
  spectralRadius: 0.9,
  leak: 0.5,
  inputScaling: 0.5,
  biasScaling: 0.2,
};

export function createEsnPredictor(options: EsnPredictorOptions = {}): Predictor {
  const exogenous = options.exogenous ?? 0;
  const shape: FeatureShape = {
    units: options.units ?? 100,
    exogenous,
    lags: options.lags ?? 16,
    exogLags: exogenous ? (options.exogLags ?? 10) : 0,
    quadraticLags: options.quadraticLags ?? 0,
  };
  const hyper = { ...ESN_PREDICTOR_RESERVOIR, ...options.reservoir };
  const esn = buildEsn(shape.units, 1 + exogenous, hyper, options.seed ?? 1);
  let runner = new FeatureRunner(esn, shape);
  const source: FeatureSource = {
    size: featureCount(shape),
    step: (value, exog) => runner.step(value, exog),
    reset: () => {
      runner = new FeatureRunner(esn, shape);
    },
    describe: () => ({ units: shape.units, lags: shape.lags, ...hyper }),
  };
  return createReservoirPredictor("esn", source, options);
}
