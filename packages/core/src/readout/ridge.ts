import { choleskyInPlace, choleskySolveInPlace } from "./cholesky";
import { type Gram, upperIndex } from "./gram";

/**
 * Ridge regression (Tikhonov; Hoerl & Kennard, Technometrics 12, 1970) in closed form from accumulated statistics:
 *
 *   minimise Σₜ ‖yₜ − W·xₜ − c‖² + λ‖W‖²   ⇒   (C + λI)·Wᵀ = Cxy,  c = ȳ − W·x̄
 *
 * with C = XᵀX − n·x̄x̄ᵀ and Cxy = XᵀY − n·x̄ȳᵀ the centred statistics (the intercept is not shrunk). The system is
 * symmetric positive definite for λ > 0 and is solved by Cholesky, the stable choice for it (Golub & Van Loan
 * §4.2); should rounding make a pivot non-positive, λ is raised tenfold until it factors, and the λ actually used is
 * reported.
 */
export interface RidgeReadout {
  features: number;
  targets: number;
  /** targets × features, row-major. */
  weights: Float64Array;
  intercept: Float64Array;
  /** The regulariser actually used. */
  ridge: number;
}

export interface RidgeOptions {
  /** λ, absolute (in the units of XᵀX). */
  ridge: number;
  /** Fit an unpenalised intercept (default true); without it the problem is the plain (XᵀX + λI)w = Xᵀy. */
  intercept?: boolean;
}

/** The mean diagonal of the centred XᵀX: a natural unit for λ, so that one relative ridge suits any feature scale. */
export function ridgeScale(g: Gram): number {
  const f = g.features;
  const n = Math.max(g.count, 1e-300);
  let trace = 0;
  for (let i = 0; i < f; i++) trace += g.xtx[upperIndex(f, i, i)] - (g.sumX[i] * g.sumX[i]) / n;
  return Math.max(trace / f, 1e-300);
}

export function solveRidge(g: Gram, options: RidgeOptions): RidgeReadout {
  return solveRidges(g, [options.ridge], options)[0];
}

/**
 * Ridge readouts for several λ from the same statistics, sharing one f × f work matrix: the edge agent refits
 * every stream with three λ, and one matrix per solve instead of two per λ is most of its transient memory. Each
 * result equals solveRidge's for that λ bit for bit.
 */
export function solveRidges(g: Gram, ridges: readonly number[], options: { intercept?: boolean } = {}): RidgeReadout[] {
  const f = g.features;
  const q = g.targets;
  const center = options.intercept !== false && g.count > 0;
  const n = g.count;
  const l = new Float64Array(f * f);
  const diagonal = new Float64Array(f);
  const rhs = new Float64Array(f * q);
  /** The centred XᵀX (lower triangle) into l. */
  const load = () => {
    for (let i = 0; i < f; i++)
      for (let j = 0; j <= i; j++) {
        let v = g.xtx[upperIndex(f, j, i)];
        if (center) v -= (g.sumX[i] * g.sumX[j]) / n;
        l[i * f + j] = v;
      }
  };
  load();
  for (let i = 0; i < f; i++) diagonal[i] = l[i * f + i];
  return ridges.map((requested, index) => {
    for (let i = 0; i < f; i++)
      for (let k = 0; k < q; k++) rhs[i * q + k] = g.xty[i * q + k] - (center ? (g.sumX[i] * g.sumY[k]) / n : 0);
    let ridge = requested;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0 || index > 0) load();
      for (let i = 0; i < f; i++) l[i * f + i] += ridge;
      if (choleskyInPlace(l, f)) break;
      if (attempt > 40) throw new Error("solveRidge: the normal equations do not factor (non-finite features?)");
      ridge = ridge > 0 ? ridge * 10 : 1e-12 * Math.max(1, ...Array.from(diagonal, Math.abs));
    }
    choleskySolveInPlace(l, f, rhs, q);
    const weights = new Float64Array(q * f);
    const intercept = new Float64Array(q);
    for (let k = 0; k < q; k++) {
      let c = center ? g.sumY[k] / n : 0;
      for (let i = 0; i < f; i++) {
        weights[k * f + i] = rhs[i * q + k];
        if (center) c -= (rhs[i * q + k] * g.sumX[i]) / n;
      }
      intercept[k] = c;
    }
    return { features: f, targets: q, weights, intercept, ridge };
  });
}

/** The readout's outputs for one feature vector. */
export function predictReadout(r: RidgeReadout, x: ArrayLike<number>, out = new Float64Array(r.targets)): Float64Array {
  for (let k = 0; k < r.targets; k++) {
    let s = r.intercept[k];
    const o = k * r.features;
    for (let i = 0; i < r.features; i++) s += r.weights[o + i] * x[i];
    out[k] = s;
  }
  return out;
}

/**
 * The readout's sum of squared errors, per target, over the samples summarised by `g` (computed from the
 * statistics alone: Σ(y − w·x − c)² = Σy² − 2w·Σxy − 2cΣy + wᵀXᵀXw + 2c·w·Σx + n·c²). Used to choose λ on a
 * held-out block without keeping its samples.
 */
export function readoutSquaredError(r: RidgeReadout, g: Gram): Float64Array {
  const f = g.features;
  const out = new Float64Array(r.targets);
  for (let k = 0; k < r.targets; k++) {
    const w = r.weights.subarray(k * f, (k + 1) * f);
    const c = r.intercept[k];
    let quad = 0;
    for (let i = 0; i < f; i++) {
      const row = upperIndex(f, i, i) - i;
      let s = g.xtx[row + i] * w[i];
      for (let j = i + 1; j < f; j++) s += 2 * g.xtx[row + j] * w[j];
      quad += w[i] * s;
    }
    let wxy = 0;
    let wx = 0;
    for (let i = 0; i < f; i++) {
      wxy += w[i] * g.xty[i * r.targets + k];
      wx += w[i] * g.sumX[i];
    }
    out[k] = Math.max(0, g.yty[k] - 2 * wxy - 2 * c * g.sumY[k] + quad + 2 * c * wx + g.count * c * c);
  }
  return out;
}
