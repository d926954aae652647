import { createStreamPipeline, type PipelineSnapshot, type StreamPipeline, type StreamPipelineConfig } from "@nqp/core";

/** Makes a stream's pipeline, fresh or resumed from a snapshot. */
export type PipelineFactory = (config: StreamPipelineConfig, snapshot?: PipelineSnapshot) => StreamPipeline;

export interface PipelineProvider {
  create: PipelineFactory;
  /** What runs the streams, reported in status and metrics. */
  engine: string;
}

/** Core's stream pipeline (encoder → reservoir → readout → forecast + interval → anomaly score): the default. */
export function corePipelineProvider(): PipelineProvider {
  return { create: createStreamPipeline, engine: "core-stream-pipeline" };
}
