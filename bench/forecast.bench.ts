// Forecast quality through `nqp forecast` with its default settings (issue 2's bars), with same-run baselines.
//   pnpm bench forecast [--seeds 1,2,3]
// Prints JSON: per case, the test NRMSE (RMSE / std of the test values, recomputed here from the output CSV) or
// the interval coverage for each reservoir seed, their median and best, and the baselines' figures.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatCsv } from "@nqp/contract";
import {
  accumulateSample,
  createGram,
  createRng,
  forecastSeries,
  mackeyGlass,
  narma10,
  predictReadout,
  solveRidge,
} from "@nqp/core";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const seeds = arg("seeds", "1,2,3").split(",").map(Number);
const dir = mkdtempSync(join(tmpdir(), "nqp-bench-forecast-"));

function write(name: string, columns: Record<string, Float64Array>): string {
  const n = Object.values(columns)[0].length;
  const ts = Array.from({ length: n }, (_, i) => String(1_700_000_000 + 60 * i));
  const path = join(dir, name);
  writeFileSync(
    path,
    formatCsv(["timestamp", ...Object.keys(columns)], [ts, ...Object.values(columns)], { precision: 17 }),
  );
  return path;
}

function runForecast(input: string, extra: string[]) {
  const output = join(dir, "out.csv");
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    ["scripts/nqp.mjs", "forecast", "--input", input, "--output", output, "--json", ...extra],
    {
      encoding: "utf8",
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`nqp forecast failed: ${r.stderr}`);
  const summary = JSON.parse(r.stdout);
  const rows = readFileSync(output, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  return { summary, rows, seconds };
}

/** Test-part NRMSE and coverage recomputed from the output file. */
function score(rows: string[][], trainFraction = 0.7) {
  const start = Math.floor(trainFraction * rows.length);
  const test = rows.slice(start);
  const values = test.map((r) => Number(r[1]));
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  let se = 0;
  let inside = 0;
  let missing = 0;
  for (const r of test) {
    if (r[2] === "") {
      missing++;
      continue;
    }
    const [v, f, lo, hi] = [r[1], r[2], r[3], r[4]].map(Number);
    se += (v - f) ** 2;
    if (v >= lo && v <= hi) inside++;
  }
  const n = test.length - missing;
  return { nrmse: Math.sqrt(se / n) / sd, coverage: inside / n, missing };
}

/** Baselines on the same split: persistence, and a ridge AR model on the last 20 values (+ exogenous lags). */
function baselines(values: Float64Array, horizon: number, exog?: Float64Array) {
  const n = values.length;
  const train = Math.floor(0.7 * n);
  const lags = 20;
  const features = (t: number) => {
    const x: number[] = [];
    for (let l = 0; l < lags; l++) x.push(values[t - l]);
    if (exog) for (let l = 0; l < lags; l++) x.push(exog[t - l]);
    return x;
  };
  const g = createGram(exog ? 2 * lags : lags);
  for (let t = lags; t + horizon < train; t++) accumulateSample(g, features(t), [values[t + horizon]]);
  const ar = solveRidge(g, { ridge: 1e-8 * g.count });
  const test = values.slice(train);
  const mean = test.reduce((a, b) => a + b, 0) / test.length;
  const sd = Math.sqrt(test.reduce((a, b) => a + (b - mean) ** 2, 0) / test.length);
  let sePersist = 0;
  let seAr = 0;
  for (let i = train; i < n; i++) {
    sePersist += (values[i] - values[i - horizon]) ** 2;
    seAr += (values[i] - predictReadout(ar, features(i - horizon))[0]) ** 2;
  }
  const m = n - train;
  return { persistence: Math.sqrt(sePersist / m) / sd, ridgeAR20: Math.sqrt(seAr / m) / sd };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const mg = mackeyGlass({ n: 10_000 });
const noisy = mg.slice();
const rng = createRng(2024);
for (let i = 0; i < noisy.length; i++) noisy[i] += 0.02 * rng.normal();
const narma = narma10(10_000, createRng(1));
const files = {
  mg: write("mackey-glass.csv", { value: mg }),
  noisy: write("mackey-glass-noisy.csv", { value: noisy }),
  narma: write("narma10.csv", { value: narma.y, input: narma.u }),
};

const cases = [
  {
    name: "mackey-glass H=1",
    file: files.mg,
    flags: ["--horizon", "1"],
    metric: "nrmse",
    bar: 5e-4,
    base: () => baselines(mg, 1),
  },
  {
    name: "mackey-glass H=10",
    file: files.mg,
    flags: ["--horizon", "10"],
    metric: "nrmse",
    bar: 1e-3,
    base: () => baselines(mg, 10),
  },
  {
    name: "narma10 --exog input",
    file: files.narma,
    flags: ["--exog", "input"],
    metric: "nrmse",
    bar: 0.15,
    base: () => baselines(narma.y, 1, narma.u),
  },
  {
    name: "mackey-glass + N(0,0.02) coverage 0.9",
    file: files.noisy,
    flags: ["--coverage", "0.9"],
    metric: "coverage",
    bar: 0.9,
    base: () => ({}),
  },
  {
    name: "mackey-glass + N(0,0.02) coverage 0.8",
    file: files.noisy,
    flags: ["--coverage", "0.8"],
    metric: "coverage",
    bar: 0.8,
    base: () => ({}),
  },
];

const results: Record<string, unknown>[] = [];
for (const c of cases) {
  const runs = seeds.map((seed) => {
    const r = runForecast(c.file, [...c.flags, "--seed", String(seed)]);
    const s = score(r.rows);
    return {
      seed,
      nrmse: s.nrmse,
      coverage: s.coverage,
      missing: s.missing,
      seconds: r.seconds,
      model: r.summary.model,
    };
  });
  const values = runs.map((r) => (c.metric === "nrmse" ? r.nrmse : r.coverage));
  const best =
    c.metric === "nrmse"
      ? Math.min(...values)
      : values.reduce((a, b) => (Math.abs(b - c.bar) < Math.abs(a - c.bar) ? b : a));
  results.push({
    case: c.name,
    metric: c.metric,
    bar: c.metric === "nrmse" ? `≤ ${c.bar}` : `${c.bar} ± 0.02`,
    median: median(values),
    best,
    met: c.metric === "nrmse" ? median(values) <= c.bar : Math.abs(median(values) - c.bar) <= 0.02,
    baselines: c.base(),
    runs,
  });
}
// For comparison with reservoir-only results (ReservoirPy's 0.186): the same forecaster without the quadratic
// monomials, through the core API (the CLI always searches them).
const reservoirOnly = forecastSeries(narma.y, [narma.u], { quadraticLags: [0] });
results.push({
  case: "narma10 --exog input, reservoir + linear lags only (no quadratic features; core API)",
  metric: "nrmse",
  median: reservoirOnly.test.nrmse,
  model: reservoirOnly.chosen,
});
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), seeds, results }, null, 2)}\n`);
