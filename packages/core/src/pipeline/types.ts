/**
 * The per-stream processor that hosts (edge agent, desktop, CLI) run for every sensor stream:
 * encoder → reservoir → readout → forecast + interval → anomaly score (and spike-pattern events).
 *
 * This file is the contract between core and its hosts; `createStreamPipeline` (./stream-pipeline.ts) implements it.
 */
export interface StreamPipelineConfig {
  /** Steps ahead that `next*` forecasts look (default 1). */
  horizon?: number;
  /** Nominal coverage of the interval (default 0.9). */
  coverage?: number;
  /** Samples before the first model fit; until then records carry no forecast (default 200; at least 2·horizon + 10). */
  warmup?: number;
  /** Samples between refits of the readout (default 500; the statistics accumulate every sample in between). */
  refitEvery?: number;
  /** Reservoir units (default 64: about 10 µs per sample on one core, enough for typical sensor streams). */
  units?: number;
  /** Most recent values fed to the readout directly, beside the reservoir state (default 4). */
  lags?: number;
  /** Seed of the reservoir's random weights (default 1). */
  seed?: number;
}

/** What one accepted sample yields: exactly one of these per sample. */
export interface PipelineRecord {
  /** This sample's value as forecast `horizon` samples earlier; null while warming up. */
  forecast: number | null;
  lower: number | null;
  upper: number | null;
  /** Anomaly score in [0, 1]. */
  anomalyScore: number;
  /** anomalyScore ≥ the detector's threshold. */
  isAnomaly: boolean;
  /** Forecast for the sample `horizon` steps after this one, with its interval; null while warming up. */
  next: { forecast: number; lower: number; upper: number } | null;
  /** Spike-pattern events (recurring motifs, change points) detected at this sample. */
  patterns: PatternEvent[];
}

export interface PatternEvent {
  kind: "motif" | "change-point";
  /** Identifier of a recurring motif (stable within a stream). */
  motif?: number;
  /** Strength or confidence in [0, 1]. */
  strength: number;
}

export interface StreamPipeline {
  /** Feeds one sample (epoch ms, value) and returns its record. Samples must arrive in time order. */
  step(timeMs: number, value: number): PipelineRecord;
  /** Number of samples seen. */
  readonly samples: number;
  /** JSON-serialisable state: `createStreamPipeline(config, snapshot)` resumes exactly where this left off. */
  snapshot(): PipelineSnapshot;
}

export interface PipelineSnapshot {
  version: number;
  [key: string]: unknown;
}
