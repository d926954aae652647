import type { ComputeBackend } from "@nqp/contract";
import { NqpError } from "@nqp/core";
import { type BackendName, reservoirAutoOrder } from "@nqp/kernels/backend/names";
import type { PipelineProvider } from "./pipeline-factory";

/** The back end the agent's reservoir steps run on, as reported in its log, status and metrics. */
export interface BackendSelection {
  /** What the configuration asked for (`compute.backend`). */
  requested: ComputeBackend;
  /** What runs. */
  backend: BackendName;
  /** One line on what that means for this pipeline. */
  detail: string;
}

/**
 * Picks the back end for the streams' reservoir steps among those the pipeline can run: `auto` takes the first in
 * @nqp/kernels' reservoir order (fastest first), a name must be one of them. The pipeline itself decides what it can
 * run, so what is reported is what runs, never a wish.
 */
export function selectBackend(requested: ComputeBackend, provider: PipelineProvider): BackendSelection {
  const can = provider.backends ?? { ts: "TypeScript" };
  const names = reservoirAutoOrder.filter((b) => can[b] !== undefined);
  if (names.length === 0)
    throw new NqpError("bad-pipeline", `pipeline ${provider.engine} names no kernel back end it can run on`);
  const backend = requested === "auto" ? names[0] : requested;
  const detail = can[backend];
  if (detail === undefined)
    throw new NqpError(
      "bad-config",
      `compute.backend: ${provider.engine} cannot step its reservoirs on '${requested}'; it runs on ${names.join(", ")} (set compute.backend to auto or one of those)`,
    );
  return { requested, backend, detail };
}
