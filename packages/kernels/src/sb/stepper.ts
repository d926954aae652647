import type { SbParams, SbState, SbStepper, SquareMatrix } from "@nqp/core";
import type { KernelRuntime, KernelSelection } from "../backend/runtime";
import { createSbKernel, type SbKernelOptions } from "./create";
import type { SbKernel } from "./types";

/**
 * Core's SB seam (SbStepper: advance the batched state `count` steps in place) on a kernel back end, so that core's
 * solveSb runs its dynamics on a GPU or ORT: `solveSb(model, { stepper: createSbStepper(runtime) })`.
 *
 * The kernel is built on first use for (J, params, agents) and kept while they stay the same objects; J and the state
 * then stay on the device, and only x and y are copied back after each call. A state object the stepper has not
 * seen, or one whose step moved, is uploaded first.
 */
export interface KernelSbStepper extends SbStepper {
  /** The back end chosen on first use (undefined before). */
  readonly selection: KernelSelection | undefined;
  dispose(): void;
}

export function createSbStepper(runtime: KernelRuntime, options: SbKernelOptions = {}): KernelSbStepper {
  let kernel: (SbKernel & { selection: KernelSelection }) | undefined;
  let key: { J: SquareMatrix; params: SbParams; agents: number } | undefined;
  let synced: SbState | undefined;
  return {
    get name() {
      return kernel?.backend ?? options.backend ?? runtime.options.backend ?? "auto";
    },
    get selection() {
      return kernel?.selection;
    },
    async advance(J, params, state, count) {
      if (!kernel || !key || key.J !== J || key.params !== params || key.agents !== state.agents) {
        kernel?.dispose();
        kernel = await createSbKernel(runtime, { J, params, agents: state.agents }, options);
        key = { J, params, agents: state.agents };
        synced = undefined;
      }
      if (synced !== state || kernel.step !== state.step) await kernel.setState(state, state.step);
      await kernel.run({ steps: count, checkEvery: 0, measureAtEnd: false });
      const s = await kernel.state();
      state.x.set(s.x);
      state.y.set(s.y);
      state.step = kernel.step;
      synced = state;
    },
    dispose() {
      kernel?.dispose();
      kernel = undefined;
    },
  };
}
