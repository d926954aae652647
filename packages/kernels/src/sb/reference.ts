import type { SbParams, SbProblem } from "./types";

/**
 * The plain reference of one batched SB step, in double precision, that every fast kernel is held to.
 *
 * Equations (symplectic Euler, momentum first), Goto, Tatsumura & Dixon, Sci. Adv. 5, eaav2372 (2019) for aSB and
 * Goto et al., Sci. Adv. 7, eabe7953 (2021) for bSB/dSB:
 *   f_i = Σ_j J_ij ξ_j + h_i        ξ = x (aSB, bSB) or the spins s(x) (dSB)
 *   y_i ← y_i + Δt·(−(a0 − a(t))·x_i + c0·f_i)        aSB adds the Kerr term: −(x_i² + a0 − a(t))·x_i
 *   x_i ← x_i + Δt·a0·y_i
 *   bSB, dSB: where |x_i| > 1, x_i ← sgn(x_i) and y_i ← 0 (perfectly inelastic walls)
 */
export function spinOf(x: number): 1 | -1 {
  return x >= 0 ? 1 : -1;
}

/** The pump a(t) after `step` of `steps` steps: a linear ramp from 0 to a0. */
export function sbPump(step: number, steps: number, a0: number): number {
  return a0 * Math.min(1, step / steps);
}

/** f = J·ξ + h for one agent (ξ = x or s(x)), into `out`. */
export function sbField(problem: SbProblem, xi: ArrayLike<number>, offset: number, out: Float64Array): void {
  const { n } = problem;
  if (problem.dense) {
    const J = problem.dense;
    for (let i = 0; i < n; i++) {
      let f = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) f += J[row + j] * xi[offset + j];
      out[i] = f;
    }
  } else if (problem.sparse) {
    const { rowPtr, col, val } = problem.sparse;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) f += val[k] * xi[offset + col[k]];
      out[i] = f;
    }
  } else out.fill(0);
  if (problem.h) for (let i = 0; i < n; i++) out[i] += problem.h[i];
}

/** Advances every agent (x, y agent-major, length agents·n) by one step at pump value `pump`, in place. */
export function sbStep(problem: SbProblem, params: SbParams, x: Float64Array, y: Float64Array, pump: number): void {
  const { n } = problem;
  const { variant, dt, a0, c0, agents } = params;
  const f = new Float64Array(n);
  const xi = variant === "dsb" ? new Float64Array(n) : undefined;
  for (let a = 0; a < agents; a++) {
    const o = a * n;
    if (xi) {
      for (let i = 0; i < n; i++) xi[i] = spinOf(x[o + i]);
      sbField(problem, xi, 0, f);
    } else sbField(problem, x, o, f);
    for (let i = 0; i < n; i++) {
      const xv = x[o + i];
      const restoring = variant === "asb" ? xv * xv + a0 - pump : a0 - pump;
      let yv = y[o + i] + dt * (-restoring * xv + c0 * f[i]);
      let xn = xv + dt * a0 * yv;
      if (variant !== "asb" && Math.abs(xn) > 1) {
        xn = Math.sign(xn);
        yv = 0;
      }
      x[o + i] = xn;
      y[o + i] = yv;
    }
  }
}

/** Ising energy −½ sᵀJs − hᵀs of the spins s(x) of the agent whose values start at `offset`. */
export function isingEnergy(problem: SbProblem, values: ArrayLike<number>, offset = 0): number {
  const { n } = problem;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = spinOf(values[offset + i]);
  const f = new Float64Array(n);
  sbField({ ...problem, h: undefined }, s, 0, f);
  let e = 0;
  for (let i = 0; i < n; i++) e -= s[i] * (0.5 * f[i] + (problem.h ? problem.h[i] : 0));
  return e;
}
