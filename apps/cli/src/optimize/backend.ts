import { NqpError, type SbStepper, typescriptStepper } from "@nqp/core";

/** The --backend names the command line accepts. */
export const BACKENDS = ["auto", "ts", "cpu", "webgpu", "cuda"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The seam between the optimiser and the kernel backends: maps a --backend name to the stepper that advances the
 * batched SB state. `auto` and `ts` run core's TypeScript step. `cpu` (ONNX Runtime's CPU provider), `webgpu`
 * (WGSL through Dawn) and `cuda` (ONNX Runtime's CUDA provider) come from @nqp/kernels; until it provides an SB
 * stepper they fail with a message saying so. Only the SB stage runs on the backend; the tabu refinement and
 * annealing always run in TypeScript.
 */
export async function resolveBackend(name: string): Promise<{ name: string; stepper: SbStepper }> {
  if (!(BACKENDS as readonly string[]).includes(name))
    throw new NqpError("bad-backend", `unknown backend '${name}' (expected one of: ${BACKENDS.join(", ")})`);
  if (name === "auto" || name === "ts") return { name: "ts", stepper: typescriptStepper };
  throw new NqpError(
    "backend-unavailable",
    `backend '${name}' is not available: this build has no ${name} simulated-bifurcation kernel yet ` +
      "(packages/kernels); use --backend auto or --backend ts",
  );
}
