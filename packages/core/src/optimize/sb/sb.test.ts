import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { bruteForceIsing } from "../exact/brute-force";
import { toCsr } from "../model/matrix";
import { randomIsing } from "../test-instances";
import { sbAdvance } from "./fast-step";
import { sbCouplings } from "./homogenise";
import { defaultSbParams, type SbVariant } from "./params";
import { sbReferenceStep } from "./reference-step";
import { solveSb } from "./solve";
import { initialSbState } from "./state";

describe("simulated bifurcation", () => {
  it("the fast batched step equals the reference step (dense and sparse, all variants, heating, few and many agents)", () => {
    const model = randomIsing(12, 5, { fieldScale: 0.5, density: 0.5 });
    for (const variant of ["adiabatic", "ballistic", "discrete"] as SbVariant[])
      for (const format of ["dense", "csr"] as const)
        for (const agents of [3, 9]) {
          const c = sbCouplings(model, { format });
          const params = defaultSbParams(model, { variant, steps: 30, heat: 0.06 });
          let ref = initialSbState(agents, c.size, createRng(2));
          const fast = initialSbState(agents, c.size, createRng(2));
          for (let k = 0; k < 30; k++) ref = sbReferenceStep(format === "csr" ? toCsr(c.J) : c.J, params, ref);
          sbAdvance(c.J, params, fast, 30);
          expect(fast.step).toBe(30);
          for (let k = 0; k < ref.x.length; k++) {
            expect(fast.x[k]).toBeCloseTo(ref.x[k], 10);
            expect(fast.y[k]).toBeCloseTo(ref.y[k], 10);
          }
        }
  });

  it("keeps bSB and dSB positions inside the walls", () => {
    const model = randomIsing(20, 1);
    const c = sbCouplings(model);
    const state = initialSbState(4, c.size, createRng(1));
    sbAdvance(c.J, defaultSbParams(model, { variant: "ballistic", steps: 200 }), state, 200);
    for (const v of state.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it("every variant finds the ground state of small random instances (fields handled by the ancilla)", async () => {
    for (const seed of [1, 2, 3]) {
      const model = randomIsing(14, seed, { fieldScale: 0.6 });
      const exact = bruteForceIsing(model);
      for (const variant of ["adiabatic", "ballistic", "discrete"] as SbVariant[]) {
        const r = await solveSb(model, { variant, agents: 16, steps: 400, seed });
        expect(r.energy).toBeCloseTo(exact.energy, 9);
      }
    }
  });

  it("is reproducible from its seed", async () => {
    const model = randomIsing(30, 7, { density: 0.3 });
    const a = await solveSb(model, { seed: 4, agents: 4, steps: 100 });
    const b = await solveSb(model, { seed: 4, agents: 4, steps: 100 });
    expect(b.spins).toEqual(a.spins);
    expect(b.energy).toBe(a.energy);
  });
});
