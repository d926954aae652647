import { createEsn } from "@nqp/core";
import {
  type BackendAttempt,
  createKernelRuntime,
  createReservoirKernel,
  createSbKernel,
  type KernelSelection,
  parseBackendChoice,
} from "@nqp/kernels";
import type { Command } from "commander";
import { action, type CommandModule } from "../shared/command";
import { integer } from "../shared/options";
import { printSummary } from "../shared/output";

interface KernelsOptions {
  backend: string;
  softwareGpu?: boolean;
  threads?: number;
  json?: boolean;
}

/**
 * `nqp kernels`: which back ends initialise on this machine (and on what device, or why not), and which one `auto`
 * (or --backend) picks for each kernel. What a user runs first on a new box to see whether its GPU is used.
 */
export const registerKernels: CommandModule = (program: Command) => {
  program
    .command("kernels")
    .description(
      "show which kernel back ends (GPU, ONNX Runtime, WebAssembly, TypeScript) work here and which is chosen",
    )
    .option("--backend <name>", "auto, ts, wasm, wgsl, ort-cpu, ort-webgpu or ort-cuda", "auto")
    .option("--software-gpu", "accept a software Vulkan adapter (SwiftShader from Chromium): for testing only")
    .option("--threads <n>", "ONNX Runtime CPU threads (default: every core)", integer(1, 1024))
    .option("--json", "print a JSON summary")
    .action(
      action("kernels", async (o: KernelsOptions) => {
        const backend = parseBackendChoice(o.backend);
        const runtime = createKernelRuntime({
          backend,
          threads: o.threads,
          gpu: o.softwareGpu ? { software: true } : undefined,
        });
        try {
          const backends: BackendAttempt[] = await runtime.probe();
          const selections: KernelSelection[] = [];
          const picks: string[] = [];
          const J = { format: "dense" as const, n: 8, values: new Float64Array(64) };
          const sbParams = { variant: "discrete" as const, a0: 1, c0: 0.5, dt: 0.5, kerr: 1, heat: 0, steps: 10 };
          const tries = [
            () => createSbKernel(runtime, { J, params: sbParams, agents: 2 }),
            () => createReservoirKernel(runtime, { kind: "esn", params: createEsn({ units: 8, inputs: 1 }) }, 2),
          ];
          for (const make of tries) {
            try {
              const k = await make();
              selections.push(k.selection);
              const skipped = k.selection.attempts.filter((a) => !a.ok).map((a) => a.backend);
              picks.push(
                `${k.selection.kernel}: ${k.backend} (${k.device})${skipped.length ? `; skipped ${skipped.join(", ")} (see above)` : ""}`,
              );
              k.dispose();
            } catch (err) {
              picks.push((err as Error).message);
            }
          }
          const lines = [
            "back ends:",
            ...backends.map((b) => `  ${b.backend.padEnd(10)} ${b.ok ? "ok   " : "no   "} ${b.detail}`),
            `chosen (${backend}):`,
            ...picks.map((p) => `  ${p}`),
          ];
          printSummary(o.json, { requested: backend, backends, selections }, lines.join("\n"));
        } finally {
          runtime.dispose();
        }
      }),
    );
};
