import { createStreamPipeline, type PipelineSnapshot, type StreamPipeline, type StreamPipelineConfig } from "@nqp/core";
import type { BackendName } from "@nqp/kernels/backend/names";

/** Makes a stream's pipeline, fresh or resumed from a snapshot. */
export type PipelineFactory = (config: StreamPipelineConfig, snapshot?: PipelineSnapshot) => StreamPipeline;

export interface PipelineProvider {
  create: PipelineFactory;
  /** What runs the streams, reported in status and metrics. */
  engine: string;
  /**
   * The kernel back ends this pipeline can step its reservoirs on, each with a line saying what then runs (default:
   * `ts` only). The agent picks one of them (`compute.backend`) and reports it.
   */
  backends?: Partial<Record<BackendName, string>>;
}

/** Core's stream pipeline (encoder → reservoir → readout → forecast + interval → anomaly score): the default. */
export function corePipelineProvider(): PipelineProvider {
  return {
    create: createStreamPipeline,
    engine: "core-stream-pipeline",
    // createStreamPipeline calls core's advanceEsn for every sample of every stream: TypeScript in double precision.
    // (Core's WebAssembly ESN kernel serves `nqp forecast`'s batch runs, not the stream pipeline.)
    backends: { ts: "core's TypeScript echo-state step (advanceEsn, float64), one stream and one sample per call" },
  };
}
