import { entryAt, type SquareMatrix } from "../model/matrix";
import { pumpAt, type SbParams } from "./params";
import type { SbState } from "./state";

/**
 * One SB time step for every agent, written to be obviously right rather than fast: the reference the fast path
 * and the GPU kernels are tested against. Symplectic Euler (Goto et al. 2021, eqs. 5–8 and the dSB variant):
 *
 *   F_i  = Σ_j J_ij φ(x_j),  φ = identity (aSB, bSB) or sgn (dSB)
 *   y_i ← y_i + Δt·[ −(a0 − a(t)) x_i − K x_i³ (aSB only) + c0 F_i ] + γ Δt y_i (heating)
 *   x_i ← x_i + Δt·a0·y_i
 *   bSB, dSB: if |x_i| > 1 then x_i ← sgn(x_i), y_i ← 0 (inelastic walls)
 *
 * with a(t) = pumpAt(params, state.step) evaluated before the step. J has a zero diagonal; a model with fields is
 * first homogenised (see homogenise.ts). Returns a new state; the input is not modified.
 */
export function sbReferenceStep(J: SquareMatrix, params: SbParams, state: SbState): SbState {
  const { agents, n } = state;
  const x = state.x.slice();
  const y = state.y.slice();
  const a = pumpAt(params, state.step);
  const { a0, c0, dt, kerr, heat, variant } = params;
  const phi = (v: number) => (variant === "discrete" ? (v > 0 ? 1 : v < 0 ? -1 : 0) : v);
  for (let ag = 0; ag < agents; ag++) {
    const off = ag * n;
    const force = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < n; j++) f += entryAt(J, i, j) * phi(state.x[off + j]);
      force[i] = f;
    }
    for (let i = 0; i < n; i++) {
      const xi = state.x[off + i];
      let dy = -(a0 - a) * xi + c0 * force[i];
      if (variant === "adiabatic") dy -= kerr * xi * xi * xi;
      const yi = state.y[off + i] + dt * dy + heat * dt * state.y[off + i];
      let xn = xi + dt * a0 * yi;
      let yn = yi;
      if (variant !== "adiabatic" && Math.abs(xn) > 1) {
        xn = Math.sign(xn);
        yn = 0;
      }
      x[off + i] = xn;
      y[off + i] = yn;
    }
  }
  return { agents, n, x, y, step: state.step + 1 };
}
