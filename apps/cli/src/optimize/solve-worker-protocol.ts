import type { IsingModel, SolveIsingOptions, SolveResult } from "@nqp/core";

/** Messages between the command and its solver worker threads (structured-clone safe). */
export interface WorkerRequest {
  model: IsingModel;
  options: Omit<SolveIsingOptions, "onProgress" | "clock" | "stepper">;
  /** Count the time limit in process CPU time divided by this (the worker count) instead of wall-clock time. */
  cpuClockShare?: number;
}

export type WorkerMessage =
  | { type: "progress"; fraction: number; bestEnergy: number }
  | { type: "best"; energy: number }
  | { type: "done"; result: SolveResult }
  | { type: "error"; message: string; code?: string };
