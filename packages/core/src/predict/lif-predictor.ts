import { encodePopulation, type PopulationEncoderParams } from "../encode";
import { advanceLif, createLif, createLifState, type LifOptions } from "../reservoir";
import { createReservoirPredictor, type FeatureSource, type ReservoirPredictorOptions } from "./reservoir-predictor";
import type { Predictor } from "./types";

/**
 * The spiking predictor: the normalised value is population-coded by Gaussian receptive fields (encode/population.ts,
 * Bohte et al. 2002) into input currents of a LIF reservoir (reservoir/lif.ts); the readout sees the units' low-pass
 * spike traces — the usual reading of a liquid-state machine (Maass et al. 2002) — plus the last `lags` values, and
 * learns online as in reservoir-predictor.ts. Exogenous inputs enter as further (analog) input currents.
 */
export interface LifPredictorOptions extends ReservoirPredictorOptions {
  /** LIF units (default 100). */
  units?: number;
  /** Direct lagged-value features (default 16). */
  lags?: number;
  /** Receptive fields of the population code (default 8, spread over ±3 standard deviations). */
  population?: number;
  lif?: Partial<Omit<LifOptions, "units" | "inputs" | "seed">>;
  seed?: number;
}

export function createLifPredictor(options: LifPredictorOptions = {}): Predictor {
  const units = options.units ?? 100;
  const lags = options.lags ?? 16;
  const e = options.exogenous ?? 0;
  const code: PopulationEncoderParams = { min: -3, max: 3, size: options.population ?? 8, width: 1 };
  const inputs = code.size + e;
  const params = createLif({ units, inputs, seed: options.seed ?? 1, ...options.lif });
  const input = new Float64Array(inputs);
  const population = new Float64Array(code.size);
  const features = new Float64Array(units + lags);
  let state = createLifState(units);
  let previous = new Uint8Array(units);
  const source: FeatureSource = {
    size: units + lags,
    step(value, exog) {
      encodePopulation(code, value, population);
      input.set(population);
      for (let j = 0; j < e; j++) input[code.size + j] = exog[j];
      previous.set(state.spikes);
      advanceLif(params, previous, input, state);
      features.copyWithin(units + 1, units, units + lags - 1);
      features[units] = value;
      features.set(state.trace);
      return features;
    },
    reset() {
      state = createLifState(units);
      previous = new Uint8Array(units);
      features.fill(0);
    },
    describe: () => ({ units, lags, population: code.size }),
  };
  return createReservoirPredictor("lif", source, options);
}
