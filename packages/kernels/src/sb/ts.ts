import { NqpError, type SbState, sbAdvance } from "@nqp/core";
import { sbEnergy } from "./energy";
import type { SbKernel, SbRunOptions, SbRunResult, SbSetup } from "./types";
import { checkSbSetup, checkSbState } from "./validate";

/**
 * The `ts` back end: core's TypeScript SB stepper (sbAdvance, held to sbReferenceStep by core's tests) behind the
 * kernel interface, with the measuring and early-stop rules of the device kernels: the energy of the state a step
 * starts from every checkEvery steps, and of the final state at the end of a call.
 */
export function createTsSbKernel(setup: SbSetup): SbKernel {
  checkSbSetup(setup);
  const { J, params, agents } = setup;
  const n = J.n;
  const state: SbState = {
    agents,
    n,
    x: new Float64Array(agents * n),
    y: new Float64Array(agents * n),
    step: 0,
  };
  const best = new Float64Array(agents).fill(Infinity);
  const bestSpins = new Int8Array(agents * n).fill(-1);
  const last = new Float64Array(agents);

  /** Measures every agent; true when one reached the target. */
  const measure = (target: number): boolean => {
    let hit = false;
    for (let a = 0; a < agents; a++) {
      const e = sbEnergy(J, state.x, a * n);
      last[a] = e;
      if (e < best[a]) {
        best[a] = e;
        for (let i = 0; i < n; i++) bestSpins[a * n + i] = state.x[a * n + i] < 0 ? -1 : 1;
      }
      if (e <= target) hit = true;
    }
    return hit;
  };

  return {
    backend: "ts",
    device: "TypeScript (core's sbAdvance, double precision)",
    n,
    agents,
    params,
    get step() {
      return state.step;
    },
    async setState(s, at = 0) {
      checkSbState(s, n, agents);
      state.x.set(s.x);
      state.y.set(s.y);
      state.step = at;
      best.fill(Infinity);
      bestSpins.fill(-1);
    },
    async run(opts: SbRunOptions): Promise<SbRunResult> {
      if (!Number.isInteger(opts.steps) || opts.steps < 0)
        throw new NqpError("bad-params", `steps must be a non-negative integer, got ${opts.steps}`);
      const checkEvery = opts.checkEvery ?? 10;
      const target = opts.targetEnergy ?? Number.NEGATIVE_INFINITY;
      let stopped = false;
      for (let s = 0; s < opts.steps; ) {
        if (checkEvery > 0 && s % checkEvery === 0 && measure(target)) {
          stopped = true;
          break;
        }
        // Up to the next measurement in one call: sbAdvance amortises its transposition over the steps.
        const count = checkEvery > 0 ? Math.min(checkEvery - (s % checkEvery), opts.steps - s) : opts.steps - s;
        sbAdvance(J, params, state, count);
        s += count;
      }
      if (!stopped && opts.measureAtEnd !== false) stopped = measure(target);
      return { step: state.step, stopped, energies: Float64Array.from(last), bestEnergies: Float64Array.from(best) };
    },
    async state() {
      return { x: Float64Array.from(state.x), y: Float64Array.from(state.y) };
    },
    async best() {
      return { energies: Float64Array.from(best), spins: Int8Array.from(bestSpins) };
    },
    dispose() {},
  };
}
