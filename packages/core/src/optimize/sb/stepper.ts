import type { SquareMatrix } from "../model/matrix";
import { sbAdvance } from "./fast-step";
import type { SbParams } from "./params";
import type { SbState } from "./state";

/**
 * Where SB steps run: the seam between core and the kernel backends. A stepper advances the batched state by
 * `count` steps in place (the same update as sbReferenceStep). The TypeScript stepper is always available; GPU and
 * ONNX steppers live in @nqp/kernels and may keep J and the state on the device between calls, copying the state
 * back before they return.
 */
export interface SbStepper {
  readonly name: string;
  advance(J: SquareMatrix, params: SbParams, state: SbState, count: number): void | Promise<void>;
}

export const typescriptStepper: SbStepper = {
  name: "ts",
  advance: (J, params, state, count) => sbAdvance(J, params, state, count),
};
