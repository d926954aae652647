import { NqpError } from "../../errors";
import { isingSpectrum } from "../exact/brute-force";
import type { IsingModel } from "../model/ising";
import { type MeasurementSummary, summarise } from "./measure";
import { nelderMead } from "./nelder-mead";
import {
  applyDiagonalPhase,
  applyMixer,
  checkQubits,
  diagonalExpectation,
  energyLevels,
  type StateVector,
  uniformSuperposition,
} from "./state-vector";

export interface QaoaOptions {
  /** Layers p (default 1). */
  layers?: number;
  /** Fixed angles (γ₁…γ_p, β₁…β_p); when given, no optimisation runs. */
  angles?: { gamma: number[]; beta: number[] };
  /** Nelder–Mead evaluations per depth (default 60 + 40·depth). */
  evaluationsPerDepth?: number;
  /** Polled between circuit evaluations: true ends the angle search with the best angles so far (time limit). */
  shouldStop?: () => boolean;
  /** Share of the planned circuit evaluations done, after each one. */
  onProgress?: (fraction: number) => void;
}

export interface QaoaResult extends MeasurementSummary {
  gamma: number[];
  beta: number[];
  /** Energy expectation evaluations made while optimising (each one a full p-layer circuit). */
  evaluations: number;
}

/** A prepared QAOA instance: the problem spectrum and level table, reused by every circuit evaluation. */
export interface QaoaCircuit {
  readonly qubits: number;
  readonly energies: Float64Array;
  readonly levels: ReturnType<typeof energyLevels>;
}

export function prepareQaoa(model: IsingModel): QaoaCircuit {
  checkQubits(model.n);
  const energies = isingSpectrum(model);
  return { qubits: model.n, energies, levels: energyLevels(energies) };
}

/**
 * |γ, β⟩ = Π_k exp(−iβ_k B)·exp(−iγ_k H_P)|+⟩ⁿ with B = Σ_q X_q (Farhi, Goldstone & Gutmann 2014). Writes into
 * `state` when given (reusing its memory).
 */
export function qaoaState(c: QaoaCircuit, gamma: readonly number[], beta: readonly number[], state?: StateVector) {
  const s = state ?? uniformSuperposition(c.qubits);
  if (state) {
    s.re.fill(1 / Math.sqrt(s.re.length));
    s.im.fill(0);
  }
  for (let k = 0; k < gamma.length; k++) {
    applyDiagonalPhase(s, c.energies, gamma[k], c.levels);
    applyMixer(s, beta[k]);
  }
  return s;
}

/**
 * QAOA with angles optimised layer by layer: p = 1 from the best point of a coarse grid, then each deeper circuit
 * starts from the INTERP extrapolation of the previous optimum (Zhou, Wang, Choi, Pichler & Lukin, PRX 10, 021067,
 * 2020) and is refined by Nelder–Mead on ⟨H_P⟩. The problem energies are scaled to unit spread first, so angle
 * ranges do not depend on the coupling units.
 */
export function solveQaoa(model: IsingModel, options: QaoaOptions = {}): QaoaResult {
  const c = prepareQaoa(model);
  const p = options.layers ?? options.angles?.gamma.length ?? 1;
  if (!Number.isInteger(p) || p < 1) throw new NqpError("bad-option", `QAOA needs at least one layer, got ${p}`);
  const state = uniformSuperposition(c.qubits);
  const perDepth = (depth: number) => options.evaluationsPerDepth ?? 60 + 40 * depth;
  let planned = 96;
  for (let depth = 1; depth <= p; depth++) planned += perDepth(depth);
  let evaluations = 0;
  const expectation = (gamma: number[], beta: number[]) => {
    const e = diagonalExpectation(qaoaState(c, gamma, beta, state), c.energies);
    evaluations++;
    options.onProgress?.(Math.min(1, evaluations / planned));
    return e;
  };
  const stop = () => options.shouldStop?.() === true;
  if (options.angles) {
    const { gamma, beta } = options.angles;
    if (gamma.length !== beta.length) throw new NqpError("bad-option", "QAOA needs as many β angles as γ angles");
    qaoaState(c, gamma, beta, state);
    return { ...summarise(state, c.energies), gamma: [...gamma], beta: [...beta], evaluations: 1 };
  }
  // Spread of the spectrum sets the γ scale.
  let mean = 0;
  for (const e of c.energies) mean += e;
  mean /= c.energies.length;
  let v = 0;
  for (const e of c.energies) v += (e - mean) ** 2;
  const scale = Math.sqrt(v / c.energies.length) || 1;
  // p = 1 grid over γ·scale ∈ (0, π], β ∈ (0, π/2).
  let best = { g: 0.1, b: 0.1, e: Number.POSITIVE_INFINITY };
  for (let gi = 1; gi <= 12 && (gi === 1 || !stop()); gi++)
    for (let bi = 1; bi <= 8; bi++) {
      const g = (gi / 12) * (Math.PI / scale);
      const b = (bi / 9) * (Math.PI / 2);
      const e = expectation([g], [b]);
      if (e < best.e) best = { g, b, e };
    }
  let gamma = [best.g * scale];
  let beta = [best.b];
  for (let depth = 1; depth <= p && !stop(); depth++) {
    if (depth > 1) {
      gamma = interp(gamma);
      beta = interp(beta);
    }
    const r = nelderMead(
      (x) =>
        expectation(
          x.slice(0, depth).map((g) => g / scale),
          x.slice(depth),
        ),
      [...gamma, ...beta],
      { step: 0.1, maxEvaluations: perDepth(depth), shouldStop: stop },
    );
    gamma = r.x.slice(0, depth);
    beta = r.x.slice(depth);
  }
  const g = gamma.map((x) => x / scale);
  qaoaState(c, g, beta, state);
  return { ...summarise(state, c.energies), gamma: g, beta, evaluations };
}

/** INTERP: angles for p + 1 layers from the optimum at p, by linear interpolation on a stretched schedule. */
function interp(a: number[]): number[] {
  const p = a.length;
  const out: number[] = [];
  for (let i = 1; i <= p + 1; i++) {
    const left = i - 2 >= 0 ? a[i - 2] : 0;
    const right = i - 1 < p ? a[i - 1] : 0;
    out.push(((i - 1) / p) * left + ((p - i + 1) / p) * right);
  }
  return out;
}
