import { couplingRms, type IsingModel } from "../model/ising";

/**
 * The three simulated-bifurcation variants (Goto, Tatsumura & Dixon, Sci. Adv. 5, eaav2372, 2019; Goto, Endo,
 * Suzuki, Sakai, Kanao, Hamakawa, Hidaka, Yamasaki & Tatsumura, Sci. Adv. 7, eabe7953, 2021):
 * - adiabatic (aSB): Kerr non-linearity K·x³, no walls;
 * - ballistic (bSB): no Kerr term, inelastic walls at |x| = 1;
 * - discrete (dSB): like bSB but the coupling force uses sgn(x_j), which suppresses analog errors.
 */
export type SbVariant = "adiabatic" | "ballistic" | "discrete";

/** Per-run constants of the SB equations of motion. */
export interface SbParams {
  readonly variant: SbVariant;
  /** Detuning / pump scale a0 (default 1). */
  readonly a0: number;
  /** Coupling scale c0; default 0.5 / (⟨J⟩ √N) (Goto et al. 2019, 2021). */
  readonly c0: number;
  /**
   * Time step Δt; defaults 1.25 for bSB/dSB (Goto et al. 2021), 0.5 for aSB, capped for stability (see
   * stableTimeStep).
   */
  readonly dt: number;
  /** Kerr coefficient K for aSB (default 1). */
  readonly kerr: number;
  /** Heating γ (Kanao & Goto, Commun. Phys. 5, 153, 2022): y_i += γ·Δt·y_i each step; 0 turns it off. */
  readonly heat: number;
  /** Steps of one run; the pump a(t) ramps linearly from 0 to a0 over them. */
  readonly steps: number;
}

export function defaultSbParams(model: IsingModel, overrides: Partial<SbParams> = {}): SbParams {
  const variant = overrides.variant ?? "discrete";
  const rms = couplingRms(model);
  const n = Math.max(1, model.n);
  const a0 = overrides.a0 ?? 1;
  const c0 = overrides.c0 ?? (rms > 0 ? 0.5 / (rms * Math.sqrt(n)) : 1);
  const published = variant === "adiabatic" ? 0.5 : 1.25;
  return {
    variant,
    a0,
    c0,
    dt: overrides.dt ?? Math.min(published, stableTimeStep(model, a0, c0)),
    kerr: overrides.kerr ?? 1,
    heat: overrides.heat ?? 0,
    steps: overrides.steps ?? 1000,
  };
}

/** The pump a(t) at step k of a run: a linear ramp 0 → a0 (Goto et al. 2019, 2021). */
export function pumpAt(params: SbParams, step: number): number {
  return (params.a0 * Math.min(step, params.steps)) / params.steps;
}

/**
 * Symplectic Euler on x'' = −ω²x is stable only for Δt·ω < 2. At the start of a run the stiffest mode of SB has
 * ω² = a0·(a0 + c0·ρ) with ρ the spectral radius of J; with the published Δt = 1.25 that bound is broken on graphs
 * whose couplings are all of one sign (G-set G1: every spin would oscillate in phase and end equal). ρ is bounded by
 * the largest absolute row sum (Gershgorin); the cap keeps a 5 % margin.
 */
export function stableTimeStep(model: IsingModel, a0: number, c0: number): number {
  const J = model.J;
  const n = model.n;
  let rho = 0;
  for (let i = 0; i < n; i++) {
    let r = Math.abs(model.h[i]);
    if (J.format === "csr") for (let p = J.rowPtr[i]; p < J.rowPtr[i + 1]; p++) r += Math.abs(J.values[p]);
    else for (let j = 0; j < n; j++) r += Math.abs(J.values[i * n + j]);
    rho = Math.max(rho, r);
  }
  return 1.9 / Math.sqrt(a0 * (a0 + c0 * rho));
}
