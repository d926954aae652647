import type { ValidationJobResult } from "@nqp/contract/api";
import { buildReport } from "@nqp/contract/validation/build-report";
import { NqpError, runBacktest } from "@nqp/core";
import type { JobReporter, ParsedValidateJob } from "./types";

/**
 * A walk-forward validation of a series, exactly as `nqp validate` runs it: core's runBacktest (the predictors
 * fused online, calibrated intervals, metrics, baselines, the composite score, NAB-style event scores when labels are
 * given) and the contract's report builder, so the desktop shows the report the CLI writes for the same series and
 * options. The CLI runs the predictors on a pool of threads first; here they run in this job's own thread (a worker
 * already), which gives the same forecasts.
 */
export function runValidation(spec: ParsedValidateJob, report: JobReporter): ValidationJobResult {
  const started = performance.now();
  const n = spec.value.length;
  if (spec.ts.length !== n) throw new NqpError("bad-series", `${spec.source}: ${spec.ts.length} times for ${n} values`);
  const values = Float64Array.from(spec.value);
  const time = Float64Array.from(spec.ts);
  const labels = spec.labels?.map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  report.progress(0, `validating ${n.toLocaleString()} rows with ${spec.predictors.join(", ")}`);
  const result = runBacktest(
    { values, time },
    {
      predictors: spec.predictors,
      horizon: spec.horizon,
      coverage: spec.coverage,
      warmup: spec.warmup,
      units: spec.units,
      seed: spec.seed,
      combiner: { method: spec.fusion },
      guard: spec.guardHalfLife === null ? false : { halfLife: spec.guardHalfLife },
      labels,
      onProgress: (done, total) => report.progress(0.97 * (done / Math.max(1, total)), "walking forward"),
    },
  );
  const built = buildReport(result, {
    file: spec.source,
    time,
    values,
    exogenous: [],
    seed: spec.seed,
    units: spec.units,
    fusion: spec.fusion,
    guardHalfLife: spec.guardHalfLife,
    predictors: result.predictors.filter((p) => p.fused).map((p) => p.name),
    labels: labels ? { file: spec.labelsSource, windows: labels } : null,
    maxPoints: spec.maxPoints,
    seconds: Math.round(performance.now() - started) / 1000,
    // generatedBy: "nqp desktop 0.1.0" (the CLI's: "nqp 0.1.0").
    version: "desktop 0.1.0",
  });
  report.progress(1, "done");
  return { kind: "validate", report: built };
}
