import { createEsn, createEsnKernel, type EsnKernel, type EsnParams } from "../reservoir";

/**
 * What the readout sees at row t: the reservoir's state after row t's inputs, plus the last `lags` normalised values
 * (and `exogLags` of each exogenous input) as direct linear features — the input-to-output connections of Jaeger's
 * original ESN, which let the readout carry the level and short-range linear structure that a saturating reservoir
 * blurs.
 */
export interface FeatureShape {
  units: number;
  /** Exogenous input columns. */
  exogenous: number;
  lags: number;
  exogLags: number;
  /**
   * Pairwise products of the last `quadraticLags` rows of every input (value and exogenous), the quadratic monomials
   * of next-generation reservoir computing (Gauthier et al., Nature Communications 12:5564, 2021): they give the
   * readout the multiplicative memory (e.g. u(t)·u(t−9) in NARMA10) that a reservoir only approximates. 0 for none.
   */
  quadraticLags?: number;
}

function quadraticPool(shape: FeatureShape): number {
  return (shape.quadraticLags ?? 0) * (1 + shape.exogenous);
}

export function featureCount(shape: FeatureShape): number {
  const pool = quadraticPool(shape);
  return shape.units + shape.lags + shape.exogenous * shape.exogLags + (pool * (pool + 1)) / 2;
}

/** Steps a reservoir row by row and writes each row's feature vector; the state is explicit so a run can resume. */
export class FeatureRunner {
  readonly features: Float64Array;
  private readonly kernel: EsnKernel;
  private readonly input: Float64Array;
  private readonly history: Float64Array;
  private readonly pool: Float64Array;
  private rowsSeen = 0;

  constructor(
    readonly esn: EsnParams,
    readonly shape: FeatureShape,
  ) {
    this.features = new Float64Array(featureCount(shape));
    this.kernel = createEsnKernel(esn);
    this.input = this.kernel.inputs;
    // The last max(lags, exogLags) rows of every input, newest first per input.
    this.history = new Float64Array(
      (1 + shape.exogenous) * Math.max(1, shape.lags, shape.exogLags, shape.quadraticLags ?? 0),
    );
    this.pool = new Float64Array(quadraticPool(shape));
  }

  /** Consumes row t (normalised value and exogenous inputs) and returns its feature vector (a view reused per call). */
  step(value: number, exogenous: ArrayLike<number> = []): Float64Array {
    const { units, lags, exogLags, exogenous: e } = this.shape;
    this.input[0] = value;
    for (let k = 0; k < e; k++) this.input[1 + k] = exogenous[k];
    this.kernel.step();
    const depth = this.history.length / (1 + e);
    for (let k = 0; k <= e; k++) {
      const o = k * depth;
      this.history.copyWithin(o + 1, o, o + depth - 1);
      this.history[o] = this.input[k];
    }
    const f = this.features;
    f.set(this.kernel.state);
    for (let l = 0; l < lags; l++) f[units + l] = this.history[l];
    for (let k = 0; k < e; k++)
      for (let l = 0; l < exogLags; l++) f[units + lags + k * exogLags + l] = this.history[(1 + k) * depth + l];
    const q = this.shape.quadraticLags ?? 0;
    if (q > 0) {
      const pool = this.pool;
      for (let k = 0; k <= e; k++) for (let l = 0; l < q; l++) pool[k * q + l] = this.history[k * depth + l];
      let o = units + lags + e * exogLags;
      for (let a = 0; a < pool.length; a++) for (let b = a; b < pool.length; b++) f[o++] = pool[a] * pool[b];
    }
    this.rowsSeen++;
    return f;
  }

  get rows(): number {
    return this.rowsSeen;
  }

  /** The reservoir's activations (for snapshots). */
  get activations(): Float64Array {
    return this.kernel.state;
  }
}

export interface ReservoirHyper {
  spectralRadius: number;
  leak: number;
  inputScaling: number;
  biasScaling: number;
}

export function buildEsn(units: number, inputs: number, hyper: ReservoirHyper, seed: number): EsnParams {
  return createEsn({
    units,
    inputs,
    spectralRadius: hyper.spectralRadius,
    leak: hyper.leak,
    inputScaling: hyper.inputScaling,
    biasScaling: hyper.biasScaling,
    seed,
  });
}
