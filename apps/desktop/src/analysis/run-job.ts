import { type JobResult, JobSpecSchema, type ParsedJobSpec } from "@nqp/contract/api";
import { NqpError } from "@nqp/core";
import { type BackendChoice, runOptimize } from "./optimize";
import { analyseSpikes } from "./spikes";
import type { JobReporter } from "./types";
import { runValidation } from "./validate";

/** Checks a job spec (defaults filled in); throws NqpError("bad-job") naming the key. */
export function parseJobSpec(spec: unknown): ParsedJobSpec {
  const r = JobSpecSchema.safeParse(spec);
  if (!r.success)
    throw new NqpError(
      "bad-job",
      r.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(job)"}: ${i.message}`)
        .join("; "),
    );
  return r.data;
}

/** Runs one analysis job to completion (inside a worker: Electron's worker threads or a browser's Web Worker). */
export async function runJob(
  spec: ParsedJobSpec,
  report: JobReporter,
  backends: BackendChoice[] = [],
): Promise<JobResult> {
  switch (spec.kind) {
    case "spikes":
      return analyseSpikes(spec, (f) => report.progress(f, "encoding and running the reservoir"));
    case "optimize":
      return runOptimize(spec, report, backends);
    case "validate":
      return runValidation(spec, report);
  }
}
