export {
  createSpikePatternState,
  type SpikePatternOptions,
  type SpikePatternState,
  stepSpikePatterns,
} from "./spike-patterns";
export { createStreamPipeline } from "./stream-pipeline";
export type { PatternEvent, PipelineRecord, PipelineSnapshot, StreamPipeline, StreamPipelineConfig } from "./types";
