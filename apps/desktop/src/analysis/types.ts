import type { ParsedJobSpec } from "@nqp/contract/api";

export type ParsedSpikeJob = Extract<ParsedJobSpec, { kind: "spikes" }>;
export type ParsedOptimizeJob = Extract<ParsedJobSpec, { kind: "optimize" }>;
export type ParsedValidateJob = Extract<ParsedJobSpec, { kind: "validate" }>;

/** What a job may report while it runs. */
export interface JobReporter {
  progress(fraction: number, message: string, energy?: number): void;
}
