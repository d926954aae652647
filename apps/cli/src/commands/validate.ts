import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { buildReport, readSeriesCsv } from "@nqp/contract";
import {
  COMBINER_METHODS,
  type CombinerMethod,
  createPrecomputedPredictor,
  defaultWarmup,
  isPredictorKind,
  NqpError,
  type Predictor,
  type PredictorKind,
  predictorWarmup,
  runBacktest,
} from "@nqp/core";
import { type Command, Option } from "commander";
import { action, type CommandModule } from "../shared/command";
import { readText, writeTextAtomic } from "../shared/files";
import { integer, real } from "../shared/options";
import { printSummary } from "../shared/output";
import { createProgress } from "../shared/progress";
import { renderReportHtml } from "../validate/html";
import { readLabels } from "../validate/labels";
import { type OnnxBackend, onnxForecasts } from "../validate/onnx";
import { runPredictors } from "../validate/pool";

interface ValidateOptions {
  input: string;
  labels?: string;
  predictors: string;
  report: string[];
  horizon: number;
  coverage: number;
  warmup?: number;
  units: number;
  seed: number;
  exog?: string;
  fusion: CombinerMethod;
  guard: boolean;
  guardHalfLife: number;
  onnxWindow?: number;
  onnxBackend: OnnxBackend;
  timeOrder: "increasing" | "file";
  maxPoints: number;
  workers?: number;
  json?: boolean;
}

const VERSION = "0.1.0";

export const registerValidate: CommandModule = (program: Command) => {
  program
    .command("validate")
    .description(
      "walk-forward validation of fused forecasts: several predictors, weighted online by their recent errors, " +
        "with calibrated intervals; metrics, baselines, NAB-style event scores and a score out of 100, as an HTML " +
        "and/or JSON report",
    )
    .requiredOption("--input <file>", "CSV with a header, a timestamp column and a value column")
    .requiredOption(
      "--report <file...>",
      "report(s) to write: .html (self-contained, plots and tables, JSON embedded) and/or .json",
    )
    .option(
      "--labels <file>",
      "anomaly windows: NAB's combined_windows.json (the entry the input path ends with) or a list of [start, end]",
    )
    .option(
      "--predictors <list>",
      "comma-separated: esn, lif, naive (seasonal-naive), ets (exponential smoothing), onnx:PATH (a user model)",
      "esn,lif,naive,ets",
    )
    .option("--horizon <h>", "steps ahead: row i's forecast uses only rows ≤ i − h", integer(1, 10_000), 1)
    .option("--coverage <c>", "nominal interval coverage", real(0, 1, { openMin: true, openMax: true }), 0.9)
    .option(
      "--warmup <rows>",
      "rows before scoring: the predictors fit on the first two thirds, the fusion calibrates on the rest " +
        "(default 15 % of the rows, within [200, 1000])",
      integer(30),
    )
    .option("--units <n>", "units of the reservoir predictors", integer(1, 4096), 100)
    .option("--seed <seed>", "random seed (reservoir weights, interval tie-breaking)", integer(0), 1)
    .option("--exog <columns>", "comma-separated exogenous input columns for the reservoir predictors")
    .addOption(
      new Option("--fusion <method>", "how predictors are weighted").choices([...COMBINER_METHODS]).default("stacked"),
    )
    .option("--no-guard", "never follow a single predictor that has recently beaten the combination")
    .option("--guard-half-life <rows>", "memory of the follow-the-leader safeguard", integer(1), 2000)
    .option("--onnx-window <n>", "samples an onnx: model reads (default: from its input shape)", integer(1, 1_000_000))
    .addOption(
      new Option("--onnx-backend <backend>", "where onnx: models run")
        .choices(["auto", "ort-cpu", "ort-webgpu", "ort-cuda"])
        .default("ort-cpu"),
    )
    .addOption(
      new Option("--time-order <order>", "'file': accept repeated or backward timestamps (NAB has a few)")
        .choices(["increasing", "file"])
        .default("increasing"),
    )
    .option("--max-points <n>", "rows kept in the report's series (every k-th row beyond)", integer(100), 20_000)
    .option("--workers <n>", "threads for the predictors (default: the number of cores)", integer(1, 64))
    .option("--json", "print a JSON summary")
    .action(action("validate", (o: ValidateOptions) => run(o)));
};

async function run(o: ValidateOptions): Promise<void> {
  const started = performance.now();
  for (const r of o.report)
    if (![".html", ".htm", ".json"].includes(extname(r).toLowerCase()))
      throw new NqpError("bad-option", `--report: '${r}' must end in .html or .json`);
  const names = o.predictors
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (names.length === 0) throw new NqpError("bad-option", "--predictors: give at least one predictor");
  for (const p of names)
    if (!isPredictorKind(p) && !p.startsWith("onnx:"))
      throw new NqpError(
        "bad-option",
        `--predictors: unknown predictor '${p}' (expected esn, lif, naive, ets or onnx:PATH)`,
      );
  if (new Set(names).size !== names.length)
    throw new NqpError("bad-option", "--predictors: a predictor is listed twice");
  const exogColumns = o.exog
    ? o.exog
        .split(",")
        .map((c) => c.trim())
        .filter(Boolean)
    : [];
  const table = readSeriesCsv(readText(o.input), {
    source: o.input,
    extraColumns: exogColumns,
    timeOrder: o.timeOrder,
  });
  const values = table.value;
  const exogenous = exogColumns.map((c) => table.extra[c]);
  const n = values.length;
  const labels = o.labels ? readLabels(o.labels, o.input) : null;
  const warmup = o.warmup ?? defaultWarmup(n);
  const settings = {
    horizon: o.horizon,
    warmup: predictorWarmup(warmup, o.horizon),
    exogenous: exogenous.length,
    units: o.units,
    seed: o.seed,
  };

  // Core's predictors (and the baselines) run on worker threads; onnx: models through packages/kernels.
  const kinds = names.filter(isPredictorKind) as PredictorKind[];
  for (const b of ["naive", "ets"] as const) if (!kinds.includes(b)) kinds.push(b);
  const progress = createProgress(`validate ${o.input}`, kinds.length + 1, o);
  let done = 0;
  if (n < warmup + o.horizon + 50)
    throw new NqpError(
      "too-few-rows",
      `${o.input}: ${n} rows are too few to validate: the warm-up takes ${warmup} and scoring needs at least 50 more`,
    );
  const outputs = await runPredictors(
    kinds.map((kind) => ({ kind, settings, values, exogenous })),
    o.workers ?? Math.max(1, availableParallelism()),
    () => progress.update(++done),
  );
  const built = new Map<string, Predictor>();
  for (const out of outputs)
    built.set(out.kind, createPrecomputedPredictor(out.kind, out.forecasts, o.horizon, out.details));
  for (const p of names.filter((x) => x.startsWith("onnx:"))) {
    const path = p.slice("onnx:".length);
    if (!path) throw new NqpError("bad-option", "--predictors: onnx: needs a model path (onnx:model.onnx)");
    const f = await onnxForecasts(path, values, o.horizon, { window: o.onnxWindow, backend: o.onnxBackend });
    built.set(p, createPrecomputedPredictor(f.name, f.forecasts, o.horizon, f.details));
  }
  const result = runBacktest(
    { values, time: table.time, exogenous },
    {
      predictors: names.map((p) => built.get(p) as Predictor),
      baselinePredictors: ["naive", "ets"].filter((b) => !names.includes(b)).map((b) => built.get(b) as Predictor),
      horizon: o.horizon,
      coverage: o.coverage,
      warmup,
      units: o.units,
      seed: o.seed,
      combiner: { method: o.fusion },
      guard: o.guard ? { halfLife: o.guardHalfLife } : false,
      labels: labels?.windows,
    },
  );
  progress.update(++done);
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  const report = buildReport(result, {
    file: o.input,
    time: table.time,
    values,
    exogenous: exogColumns,
    seed: o.seed,
    units: o.units,
    fusion: o.fusion,
    guardHalfLife: o.guard ? o.guardHalfLife : null,
    predictors: result.predictors.filter((p) => p.fused).map((p) => p.name),
    labels: labels && o.labels ? { file: o.labels, windows: labels.windows } : null,
    maxPoints: o.maxPoints,
    seconds: Math.round(seconds * 1000) / 1000,
    version: VERSION,
  });
  for (const path of o.report)
    writeTextAtomic(
      path,
      extname(path).toLowerCase() === ".json"
        ? `${JSON.stringify(report)}\n`
        : renderReportHtml(report, result, values, table.time),
    );
  const f = report.fused.metrics;
  printSummary(
    o.json,
    {
      input: o.input,
      reports: o.report,
      rows: n,
      scoredRows: report.scoredRows,
      horizon: o.horizon,
      coverage: o.coverage,
      score: report.score.total,
      components: report.score.components,
      fused: f,
      fusedVsBest: report.fusedVsBest,
      bestSingle: report.bestSingle,
      predictors: Object.fromEntries(report.predictors.map((p) => [p.name, { fused: p.fused, ...p.metrics }])),
      baselines: report.baselines,
      events: report.events,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    },
    [
      `validated ${n} rows of ${o.input} (${report.scoredRows} scored): score ${report.score.total} / 100`,
      `fused: NRMSE ${fmt(f.nrmse)}, MASE ${fmt(f.mase)}, sMAPE ${fmt(f.smape)} %, coverage ${f.coverage === null ? "–" : (100 * f.coverage).toFixed(1)} % (nominal ${(100 * o.coverage).toFixed(1)} %), Winkler ${fmt(f.winkler)}`,
      `best single: ${report.bestSingle.name} NRMSE ${fmt(report.bestSingle.nrmse)} (fused / best = ${fmt(report.fusedVsBest)})`,
      ...report.predictors.map(
        (p) =>
          `  ${p.name.padEnd(12)} NRMSE ${fmt(p.metrics.nrmse)}${p.fused ? `  weight ${p.meanWeight.toFixed(3)}` : "  (baseline)"}`,
      ),
      ...(report.events ?? []).map((e) => `events, ${e.detector}: NAB standard ${fmt(e.profiles.standard)}`),
      `wrote ${o.report.join(", ")}`,
    ].join("\n"),
  );
}

function fmt(x: number | null): string {
  return x === null || !Number.isFinite(x) ? "–" : x.toPrecision(4);
}
