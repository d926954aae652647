import { formatCsv, readSeriesCsv } from "@nqp/contract";
import { forecastSeries, NqpError } from "@nqp/core";
import type { Command } from "commander";
import { action, type CommandModule } from "../shared/command";
import { readText, writeTextAtomic } from "../shared/files";
import { integer, real } from "../shared/options";
import { printSummary } from "../shared/output";
import { createProgress, type Progress } from "../shared/progress";

interface ForecastOptions {
  input: string;
  output: string;
  horizon: number;
  trainFraction: number;
  coverage: number;
  seed: number;
  exog?: string;
  units: number;
  json?: boolean;
}

export const registerForecast: CommandModule = (program: Command) => {
  program
    .command("forecast")
    .description(
      "forecast a series h steps ahead with an echo-state reservoir and conformal intervals: fitted on the first part of the rows, then causal over the rest",
    )
    .requiredOption(
      "--input <file>",
      "CSV with a header, a timestamp column and a value column (other columns ignored)",
    )
    .requiredOption("--output <file>", "CSV to write: timestamp,value,forecast,lower,upper (one row per input row)")
    .option("--horizon <h>", "steps ahead: row i's forecast uses only rows ≤ i − h", integer(1, 100_000), 1)
    .option(
      "--train-fraction <f>",
      "fraction of the rows the model is fitted on",
      real(0, 1, { openMin: true, openMax: true }),
      0.7,
    )
    .option(
      "--coverage <c>",
      "nominal coverage of the [lower, upper] interval",
      real(0, 1, { openMin: true, openMax: true }),
      0.9,
    )
    .option("--seed <seed>", "random seed of the reservoir", integer(0), 1)
    .option("--exog <columns>", "comma-separated exogenous input columns (known at their row; used up to row i − h)")
    .option("--units <n>", "reservoir units", integer(1, 4096), 500)
    .option("--json", "print a JSON summary (chosen hyperparameters, train and test metrics)")
    .action(
      action("forecast", (o: ForecastOptions) => {
        const started = performance.now();
        const exogColumns = o.exog
          ? o.exog
              .split(",")
              .map((c) => c.trim())
              .filter(Boolean)
          : [];
        if (o.exog !== undefined && exogColumns.length === 0)
          throw new NqpError("bad-option", "--exog needs at least one column name (e.g. --exog input)");
        const table = readSeriesCsv(readText(o.input), { source: o.input, extraColumns: exogColumns });
        const n = table.value.length;
        // The work total is known only once the search starts, so the bar is made on the first report.
        let progress: Progress | undefined;
        const result = forecastSeries(
          table.value,
          exogColumns.map((c) => table.extra[c]),
          {
            horizon: o.horizon,
            trainFraction: o.trainFraction,
            coverage: o.coverage,
            seed: o.seed,
            units: o.units,
            onProgress: (done, total) => {
              progress ??= createProgress(`forecast ${o.input}`, total, o);
              progress.update(done);
            },
          },
        );
        progress?.stop();
        writeTextAtomic(
          o.output,
          formatCsv(
            ["timestamp", "value", "forecast", "lower", "upper"],
            [table.timestampText, table.valueText, result.forecast, result.lower, result.upper],
            { precision: 15 },
          ),
        );
        const elapsed = (performance.now() - started) / 1000;
        printSummary(
          o.json,
          {
            input: o.input,
            output: o.output,
            rows: n,
            trainRows: result.trainRows,
            horizon: o.horizon,
            coverage: o.coverage,
            exogenous: exogColumns,
            model: result.chosen,
            validationNrmse: result.validationNrmse,
            modelWeight: result.modelWeight,
            train: result.train,
            test: result.test,
            seconds: Number(elapsed.toFixed(3)),
          },
          [
            `wrote ${n} rows to ${o.output} (fitted on the first ${result.trainRows})`,
            `test: NRMSE ${fmt(result.test.nrmse)}, RMSE ${fmt(result.test.rmse)}, coverage ${(100 * result.test.coverage).toFixed(1)} % (nominal ${(100 * o.coverage).toFixed(1)} %)`,
            `model: ${o.units} units, spectral radius ${result.chosen.spectralRadius}, leak ${result.chosen.leak}, input scaling ${result.chosen.inputScaling}, ridge ${result.chosen.ridge}, quadratic lags ${result.chosen.quadraticLags}`,
          ].join("\n"),
        );
      }),
    );
};

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toPrecision(4) : String(x);
}
