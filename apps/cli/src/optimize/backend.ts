import { NqpError, type SbStepper, typescriptStepper } from "@nqp/core";
import { createKernelRuntime, createSbKernel, createSbStepper, type BackendName as KernelBackend } from "@nqp/kernels";

/** The --backend names the command line accepts. */
export const BACKENDS = ["auto", "ts", "cpu", "webgpu", "cuda"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * The seam between the optimiser and the kernel backends: maps a --backend name to the stepper that advances the
 * batched SB state. `auto` and `ts` run core's TypeScript step. `cpu` (ONNX Runtime's CPU provider), `webgpu`
 * (WGSL through Dawn) and `cuda` (ONNX Runtime's CUDA provider) are @nqp/kernels' SB stepper (docs/kernels.md); a
 * backend that cannot start on this machine fails here, before any input is read, with the reason (no GPU adapter
 * and what is missing, no CUDA provider libraries). Only the SB stage runs on the backend; the tabu refinement and
 * annealing always run in TypeScript. `dispose` releases the GPU (Node does not exit while Dawn holds one).
 */
export async function resolveBackend(name: string): Promise<{ name: string; stepper: SbStepper; dispose: () => void }> {
  if (!(BACKENDS as readonly string[]).includes(name))
    throw new NqpError("bad-backend", `unknown backend '${name}' (expected one of: ${BACKENDS.join(", ")})`);
  if (name === "auto" || name === "ts") return { name: "ts", stepper: typescriptStepper, dispose: () => {} };
  const kernel: KernelBackend = name === "cpu" ? "ort-cpu" : name === "webgpu" ? "wgsl" : "ort-cuda";
  const runtime = createKernelRuntime({ backend: kernel });
  try {
    const probe = await createSbKernel(runtime, {
      J: { format: "dense", n: 4, values: new Float64Array(16) },
      params: { variant: "discrete", a0: 1, c0: 1, dt: 0.5, kerr: 1, heat: 0, steps: 1 },
      agents: 1,
    });
    probe.dispose();
  } catch (err) {
    runtime.dispose();
    throw new NqpError(
      "backend-unavailable",
      `backend '${name}' is not available here: ${(err as Error).message}; use --backend auto or --backend ts`,
    );
  }
  const stepper = createSbStepper(runtime);
  return {
    name: kernel,
    stepper,
    dispose: () => {
      stepper.dispose();
      runtime.dispose();
    },
  };
}
