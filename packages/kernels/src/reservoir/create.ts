import { type BackendChoice, reservoirAutoOrder } from "../backend/names";
import type { KernelRuntime, KernelSelection } from "../backend/runtime";
import { createOrtReservoirKernel } from "./ort";
import { createTsReservoirKernel } from "./ts";
import type { ReservoirKernel, ReservoirModel } from "./types";
import { createWasmReservoirKernel } from "./wasm";
import { createWgslReservoirKernel } from "./wgsl";

/** A batched reservoir kernel on the runtime's back end (or `auto`'s pick), with the selection that explains it. */
export async function createReservoirKernel(
  runtime: KernelRuntime,
  model: ReservoirModel,
  streams: number,
  options: { backend?: BackendChoice } = {},
): Promise<ReservoirKernel & { selection: KernelSelection }> {
  const ortOptions = { threads: runtime.options.threads, gpu: runtime.options.gpu };
  const { kernel, selection } = await runtime.select(
    `reservoir-${model.kind}`,
    async (backend): Promise<ReservoirKernel> => {
      switch (backend) {
        case "ts":
          return createTsReservoirKernel(model, streams);
        case "wasm":
          return createWasmReservoirKernel(await runtime.wasm(), model, streams);
        case "wgsl":
          return createWgslReservoirKernel(await runtime.gpu(), model, streams);
        case "ort-cpu":
          return createOrtReservoirKernel(await runtime.ort(), "cpu", model, streams, ortOptions);
        case "ort-webgpu":
          return createOrtReservoirKernel(await runtime.ort(), "webgpu", model, streams, ortOptions);
        case "ort-cuda":
          return createOrtReservoirKernel(await runtime.ort(), "cuda", model, streams, ortOptions);
      }
    },
    options.backend,
    reservoirAutoOrder,
  );
  return Object.assign(kernel, { selection });
}
