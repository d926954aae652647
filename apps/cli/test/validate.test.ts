import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationReportSchema } from "@nqp/contract";
import { GraphBuilder } from "@nqp/kernels";
import { runNqp, sharedDataPath, sharedDataSkipReason, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());
const nab = sharedDataPath("nab");
if (!nab) console.warn(sharedDataSkipReason("nab"));

/** A seasonal series with noise, a spike and a level shift: 2 000 rows a minute apart. */
function writeSeries(name: string, rows = 2000): string {
  const path = join(tmp.path, name);
  const lines = ["timestamp,value"];
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  for (let i = 0; i < rows; i++) {
    const v = 50 + 10 * Math.sin((2 * Math.PI * i) / 60) + 2 * noise() + (i === 1500 ? 40 : 0) + (i > 1700 ? 8 : 0);
    lines.push(`${new Date(Date.UTC(2024, 0, 1) + 60_000 * i).toISOString()},${v.toFixed(4)}`);
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const series = writeSeries("seasonal.csv");
const fast = ["--units", "40", "--warmup", "300"];

describe("nqp validate", () => {
  it("writes an HTML report with its plots and the JSON behind it, and a JSON summary", () => {
    const html = join(tmp.path, "r.html");
    const json = join(tmp.path, "r.json");
    const r = runNqp(["validate", "--input", series, "--report", html, json, "--json", ...fast]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ rows: 2000, horizon: 1, coverage: 0.9, reports: [html, json] });
    expect(Object.keys(summary.predictors)).toEqual(["esn", "lif", "naive", "ets"]);
    const report = ValidationReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    expect(report.score.total).toBe(summary.score);
    expect(report.settings).toMatchObject({
      horizon: 1,
      warmup: 300,
      units: 40,
      fusion: "stacked",
      guardHalfLife: 2000,
    });
    expect(Math.abs((report.fused.metrics.coverage as number) - 0.9)).toBeLessThan(0.03);
    // The 2 % bar is measured on the benchmark series (bench/validation); here a sanity bound on a short series with a late level shift.
    expect(report.fusedVsBest).toBeLessThan(1.1);
    expect(report.series.stride).toBe(1);
    expect(report.series.value).toHaveLength(2000);
    expect(report.series.value[10]).toBeCloseTo(Number(readFileSync(series, "utf8").split("\n")[11].split(",")[1]), 9);
    // The fused forecast is the weighted sum of the predictors' on every scored row.
    for (let t = report.scoreFrom; t < 2000; t += 53) {
      let sum = 0;
      for (const name of report.settings.predictors)
        sum += (report.series.weights[name][t] as number) * (report.series.predictions[name][t] as number);
      expect(report.series.forecast[t]).toBeCloseTo(sum, 6);
    }
    const page = readFileSync(html, "utf8");
    expect(page.startsWith("<!doctype html>")).toBe(true);
    // Value/forecast/band, the detail of the last rows, error over time, coverage, weights.
    expect(page.match(/<svg /g)).toHaveLength(5);
    for (const title of [
      "fused forecast and 90 % interval",
      "Error over time",
      "Coverage over",
      "Per-predictor weights",
    ])
      expect(page).toContain(title);
    expect(page).not.toMatch(/<script src|<link |https?:\/\/(?!www\.w3\.org)/);
    const embedded = page.match(/<script type="application\/json" id="nqp-validation-report">(.*)<\/script>/s)?.[1];
    expect(JSON.parse(embedded as string)).toEqual(JSON.parse(readFileSync(json, "utf8")));
  });

  it("scores labelled windows NAB-style, runs baselines in the shadow, and thins long series", () => {
    const labels = join(tmp.path, "labels.json");
    writeFileSync(labels, JSON.stringify([["2024-01-02 00:40:00", "2024-01-02 01:20:00"]]));
    const json = join(tmp.path, "labelled.json");
    const r = runNqp([
      "validate",
      "--input",
      series,
      "--labels",
      labels,
      "--predictors",
      "esn,lif",
      "--report",
      json,
      "--max-points",
      "500",
      "--horizon",
      "3",
      ...fast,
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/score [\d.]+ \/ 100/);
    const report = ValidationReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    expect(report.predictors.map((p) => [p.name, p.fused])).toEqual([
      ["esn", true],
      ["lif", true],
      ["naive", false],
      ["ets", false],
    ]);
    expect(Object.keys(report.series.weights)).toEqual(["esn", "lif"]);
    expect(report.events?.map((e) => [e.windows, e.windowsDetected])).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(report.score.components.events).not.toBeNull();
    expect(report.series.stride).toBe(4);
    expect(report.series.row.slice(0, 3)).toEqual([0, 4, 8]);
  });

  it("runs a user's ONNX model (onnx:PATH) on the same footing as core's predictors", () => {
    // A model trained elsewhere: the mean of the last 4 values, as a [batch, 4] → [batch, 1] MatMul.
    const g = new GraphBuilder("mean4");
    const x = g.input("history", ["batch", 4]);
    g.output(g.matmul(x, g.tensor("w", [4, 1], [0.25, 0.25, 0.25, 0.25])), "forecast", ["batch", 1]);
    const model = join(tmp.path, "mean4.onnx");
    writeFileSync(model, g.build());
    const json = join(tmp.path, "onnx.json");
    const r = runNqp(["validate", "--input", series, "--predictors", `naive,onnx:${model}`, "--report", json, ...fast]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = ValidationReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    const onnx = report.predictors.find((p) => p.name === "onnx:mean4.onnx");
    expect(onnx?.details).toMatchObject({ window: 4, steps: 1, backend: "ort-cpu" });
    const v = report.series.value as number[];
    const f = report.series.predictions["onnx:mean4.onnx"];
    // Row t's forecast is the mean of rows t − 4 … t − 1 (float32 inside the model).
    for (const t of [4, 100, 1999]) expect(f[t]).toBeCloseTo((v[t - 1] + v[t - 2] + v[t - 3] + v[t - 4]) / 4, 3);
    expect(f[3]).toBeNull();
    // A declared window the model cannot take is an error naming the shapes.
    const bad = runNqp([
      "validate",
      "--input",
      series,
      "--predictors",
      `onnx:${model}`,
      "--onnx-window",
      "6",
      "--report",
      json,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /mean4\.onnx: input 'history': its input has shape \[batch, 4\], which does not take a window of 6/,
    );
  });

  it("says what is wrong, with exit code 2 and no stack trace", () => {
    const out = join(tmp.path, "x.json");
    const cases: [string[], RegExp][] = [
      [["--input", series, "--predictors", "esn,arima", "--report", out], /unknown predictor 'arima'/],
      [["--input", series, "--report", join(tmp.path, "x.txt")], /must end in \.html or \.json/],
      [["--input", writeSeries("short.csv", 150), "--report", out], /too few to validate/],
      [["--input", join(tmp.path, "missing.csv"), "--report", out], /missing\.csv/],
      [["--input", series, "--labels", join(tmp.path, "nolabels.json"), "--report", out], /does not exist/],
      [["--input", series, "--predictors", "ets,ets", "--report", out], /listed twice/],
    ];
    writeFileSync(join(tmp.path, "wrong-key.json"), JSON.stringify({ "other/file.csv": [] }));
    cases.push([["--input", series, "--labels", join(tmp.path, "wrong-key.json"), "--report", out], /no entry for/]);
    for (const [args, message] of cases) {
      const r = runNqp(["validate", ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it.skipIf(!nab)("validates a NAB stream with NAB's own label file", () => {
    const input = join(nab as string, "data/realKnownCause/ec2_request_latency_system_failure.csv");
    const json = join(tmp.path, "nab.json");
    const r = runNqp([
      "validate",
      "--input",
      input,
      "--labels",
      join(nab as string, "labels/combined_windows.json"),
      "--report",
      json,
      "--units",
      "40",
      // This NAB file repeats an hour of timestamps (a daylight-saving change): rows are taken in file order.
      "--time-order",
      "file",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const report = ValidationReportSchema.parse(JSON.parse(readFileSync(json, "utf8")));
    expect(report.labels?.windows).toHaveLength(3);
    expect(report.events?.[0].windows).toBe(3);
    expect(Math.abs((report.fused.metrics.coverage as number) - 0.9)).toBeLessThan(0.02);
  });
});
