import type { PipelineRecord, PipelineSnapshot, StreamPipeline, StreamPipelineConfig } from "@nqp/core";
import * as core from "@nqp/core";

/** Makes a stream's pipeline, fresh or resumed from a snapshot. */
export type PipelineFactory = (config: StreamPipelineConfig, snapshot?: PipelineSnapshot) => StreamPipeline;

export interface PipelineProvider {
  create: PipelineFactory;
  /** What runs the streams, reported in status and metrics. */
  engine: string;
}

/**
 * Core's `createStreamPipeline` (packages/core/src/pipeline). Until the engine work lands on main, the agent runs
 * core's anomaly-likelihood detector alone (records then carry no forecast); nothing here forecasts or detects on
 * its own.
 */
export function corePipelineProvider(): PipelineProvider {
  const impl = (core as unknown as { createStreamPipeline?: PipelineFactory }).createStreamPipeline;
  if (impl) return { create: impl, engine: "core" };
  return { create: detectorOnlyPipeline, engine: "core-detector-only" };
}

function detectorOnlyPipeline(config: StreamPipelineConfig, snapshot?: PipelineSnapshot): StreamPipeline {
  const saved = snapshot as { version: number; samples: number; detector: core.DetectorSnapshot } | undefined;
  const detector = core.createLikelihoodDetector({}, saved?.detector);
  let samples = saved?.samples ?? 0;
  void config;
  return {
    step(_timeMs: number, value: number): PipelineRecord {
      samples++;
      const score = detector.update(value, Number.NaN);
      return {
        forecast: null,
        lower: null,
        upper: null,
        anomalyScore: score,
        isAnomaly: score >= detector.threshold,
        next: null,
        patterns: [],
      };
    },
    get samples() {
      return samples;
    },
    snapshot: () => ({ version: 1, samples, detector: detector.snapshot() }),
  };
}
