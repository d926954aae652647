import { NqpError } from "@nqp/core";
import { isingEnergy, sbPump, sbStep, spinOf } from "./reference";
import type { SbKernel, SbParams, SbProblem, SbRunOptions, SbRunResult } from "./types";
import { checkSbInputs, checkSbState } from "./validate";

/**
 * The `ts` back end: the double-precision reference step (./reference.ts) behind the kernel interface, with the same
 * measuring and early-stop rules as the device kernels (energy every checkEvery steps and at the end of a call).
 */
export function createTsSbKernel(problem: SbProblem, params: SbParams): SbKernel {
  checkSbInputs(problem, params);
  const { n } = problem;
  const { agents, variant } = params;
  let x = new Float64Array(agents * n);
  let y = new Float64Array(agents * n);
  let step = 0;
  const best = new Float64Array(agents).fill(Infinity);
  const bestSpins = new Int8Array(agents * n).fill(-1);
  const last = new Float64Array(agents);

  /** Measures every agent; returns true when one reached the target. */
  const measure = (target: number): boolean => {
    let hit = false;
    for (let a = 0; a < agents; a++) {
      const e = isingEnergy(problem, x, a * n);
      last[a] = e;
      if (e < best[a]) {
        best[a] = e;
        for (let i = 0; i < n; i++) bestSpins[a * n + i] = spinOf(x[a * n + i]);
      }
      if (e <= target) hit = true;
    }
    return hit;
  };

  return {
    backend: "ts",
    device: "TypeScript reference (double precision)",
    n,
    agents,
    params,
    get step() {
      return step;
    },
    async setState(state, at = 0) {
      checkSbState(state, n, agents);
      x = Float64Array.from(state.x);
      y = Float64Array.from(state.y);
      step = at;
      best.fill(Infinity);
      bestSpins.fill(-1);
    },
    async run(opts: SbRunOptions): Promise<SbRunResult> {
      if (!Number.isInteger(opts.steps) || opts.steps < 0)
        throw new NqpError("bad-params", `steps must be a non-negative integer, got ${opts.steps}`);
      const checkEvery = opts.checkEvery ?? 10;
      const target = opts.targetEnergy ?? Number.NEGATIVE_INFINITY;
      let stopped = false;
      for (let s = 0; s < opts.steps; s++) {
        // Same order as the device kernels: measure the state the step starts from; dSB's kernel measures inside
        // the step, so it finishes the step before it stops.
        const hit = checkEvery > 0 && s % checkEvery === 0 && measure(target);
        if (hit && variant !== "dsb") {
          stopped = true;
          break;
        }
        sbStep(problem, params, x, y, sbPump(step, params.steps, params.a0));
        step++;
        if (hit) {
          stopped = true;
          break;
        }
      }
      if (!stopped) stopped = measure(target);
      return { step, stopped, energies: Float64Array.from(last), bestEnergies: Float64Array.from(best) };
    },
    async state() {
      return { x: Float64Array.from(x), y: Float64Array.from(y) };
    },
    async best() {
      return { energies: Float64Array.from(best), spins: Int8Array.from(bestSpins) };
    },
    dispose() {},
  };
}
