export type { PatternEvent, PipelineRecord, PipelineSnapshot, StreamPipeline, StreamPipelineConfig } from "./types";
