// Validation and fusion (issue 6's bars), everything through `nqp validate` as a user runs it:
//   pnpm bench validation [--part fusion,coverage,speed] [--repeats 5] [--rows 100000]
// fusion:   NRMSE of every single predictor and of the fused forecast on Mackey–Glass, NARMA10 and the seven NAB
//           realKnownCause streams; bar: fused ≤ 1.02 × the best single everywhere, < every single somewhere.
// coverage: empirical coverage of the 90 % interval on each of NAB's 58 streams (as forecasting targets) and on
//           Mackey–Glass with N(0, 0.02) noise and an abrupt level shift; bar: 88–92 % on each.
// speed:    wall time of validating a 100 000-row series with 4 predictors (HTML and JSON reports written), repeated;
//           median and best, with one worker thread as the same-run comparison. Bar: ≤ 5 s.
// Prints one JSON document.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { formatCsv } from "@nqp/contract";
import { createRng, mackeyGlass, narma10 } from "@nqp/core";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const parts = arg("part", "fusion,coverage,speed").split(",");
const repeats = Number(arg("repeats", "5"));
const bigRows = Number(arg("rows", "100000"));
const nab = "../shared/data/nab";
const dir = mkdtempSync(join(tmpdir(), "nqp-bench-validation-"));
const cli = "apps/cli/dist/nqp.mjs";

// Build the bundle once (scripts/nqp.mjs rebuilds it when stale), so the timed runs start the bundle directly.
spawnSync(process.execPath, ["scripts/nqp.mjs", "--version"], { encoding: "utf8" });

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

interface Summary {
  rows: number;
  scoredRows: number;
  score: number;
  fused: { nrmse: number; coverage: number; meanWidth: number; winkler: number };
  fusedVsBest: number;
  bestSingle: { name: string; nrmse: number };
  predictors: Record<string, { fused: boolean; nrmse: number }>;
}

function validate(input: string, extra: string[] = []): { summary: Summary; seconds: number } {
  const report = join(dir, "report.json");
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, "validate", "--input", input, "--report", report, "--json", ...extra], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`nqp validate ${input} failed: ${r.stderr}`);
  return { summary: JSON.parse(r.stdout) as Summary, seconds };
}

const round = (x: number, d = 4) => (Number.isFinite(x) ? Number(x.toPrecision(d)) : x);
const out: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores`,
};

function mackeyGlassShifted(): Float64Array {
  // τ = 17, one sample per time unit, N(0, 0.02) observation noise, and the level jumps by +0.5 (about two
  // standard deviations of the series) at 60 % of the rows.
  const v = mackeyGlass({ n: 10_000 });
  const rng = createRng(7);
  for (let t = 0; t < v.length; t++) v[t] += 0.02 * rng.normal() + (t >= 6000 ? 0.5 : 0);
  return v;
}

if (parts.includes("fusion")) {
  const cases: { name: string; input: string; extra: string[] }[] = [
    { name: "mackey-glass", input: write("mg.csv", { value: mackeyGlass({ n: 10_000 }) }), extra: [] },
    (() => {
      const { u, y } = narma10(10_000, createRng(1));
      return {
        name: "narma10 (input as --exog)",
        input: write("narma.csv", { value: y, input: u }),
        extra: ["--exog", "input"],
      };
    })(),
    ...readdirSync(join(nab, "data/realKnownCause"))
      .filter((f) => f.endsWith(".csv"))
      .sort()
      .map((f) => ({
        name: `realKnownCause/${f}`,
        input: join(nab, "data/realKnownCause", f),
        extra: ["--time-order", "file"],
      })),
  ];
  const rows = cases.map((c) => {
    const { summary, seconds } = validate(c.input, c.extra);
    const singles = Object.entries(summary.predictors).filter(([, p]) => p.fused);
    return {
      series: c.name,
      rows: summary.rows,
      scored: summary.scoredRows,
      nrmse: Object.fromEntries([
        ...singles.map(([k, p]) => [k, round(p.nrmse)]),
        ["fused", round(summary.fused.nrmse)],
      ]),
      best: summary.bestSingle.name,
      fusedOverBest: round(summary.fusedVsBest, 5),
      betterThanEverySingle: singles.every(([, p]) => summary.fused.nrmse < p.nrmse),
      coverage: round(summary.fused.coverage),
      score: summary.score,
      seconds: round(seconds, 3),
    };
  });
  out.fusion = {
    rows,
    worstRatio: round(Math.max(...rows.map((r) => r.fusedOverBest)), 5),
    betterThanEverySingleOn: rows.filter((r) => r.betterThanEverySingle).map((r) => r.series),
    barMet: rows.every((r) => r.fusedOverBest <= 1.02) && rows.some((r) => r.betterThanEverySingle),
  };
}

if (parts.includes("coverage")) {
  const cases: { name: string; input: string; extra: string[] }[] = [
    {
      name: "mackey-glass + noise + level shift",
      input: write("mg-shift.csv", { value: mackeyGlassShifted() }),
      extra: [],
    },
  ];
  for (const category of readdirSync(join(nab, "data"))
    .filter((d) => !d.includes("."))
    .sort())
    for (const f of readdirSync(join(nab, "data", category))
      .filter((x) => x.endsWith(".csv"))
      .sort())
      cases.push({ name: `${category}/${f}`, input: join(nab, "data", category, f), extra: ["--time-order", "file"] });
  const rows = cases.map((c) => {
    const { summary } = validate(c.input, c.extra);
    return {
      series: c.name,
      scored: summary.scoredRows,
      coverage: round(summary.fused.coverage, 5),
      fusedOverBest: round(summary.fusedVsBest, 5),
    };
  });
  const inBar = rows.filter((r) => r.coverage >= 0.88 && r.coverage <= 0.92);
  out.coverage = {
    nominal: 0.9,
    series: rows.length,
    withinBar: inBar.length,
    min: Math.min(...rows.map((r) => r.coverage)),
    max: Math.max(...rows.map((r) => r.coverage)),
    outside: rows.filter((r) => !inBar.includes(r)),
    // Not a bar here (the fusion bar is on the series of the fusion part), but the same question on every series.
    fusedOverBest: {
      worst: Math.max(...rows.map((r) => r.fusedOverBest).filter(Number.isFinite)),
      median: (() => {
        const xs = rows.map((r) => r.fusedOverBest).filter(Number.isFinite);
        return xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      })(),
      above102: rows.filter((r) => r.fusedOverBest > 1.02).map((r) => `${r.series} ${r.fusedOverBest}`),
    },
    rows,
    barMet: inBar.length === rows.length,
  };
}

if (parts.includes("speed")) {
  const v = mackeyGlass({ n: bigRows });
  const rng = createRng(11);
  for (let t = 0; t < v.length; t++) v[t] += 0.02 * rng.normal();
  const input = write("big.csv", { value: v });
  const reports = ["--report", join(dir, "big.html"), join(dir, "big.json")];
  // Other work shares this machine's two cores, so next to the wall time each run's CPU time (user + system, all
  // threads, from /usr/bin/time) and the load average before it are recorded.
  const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = (extra: string[]) => {
    const seconds: number[] = [];
    const cpu: number[] = [];
    const load: number[] = [];
    for (let r = 0; r < repeats; r++) {
      load.push(round(loadavg()[0], 3));
      const args = [cli, "validate", "--input", input, ...reports, ...extra];
      const started = performance.now();
      const p = timeBin
        ? spawnSync(timeBin, ["-f", "%U %S", process.execPath, ...args], { encoding: "utf8" })
        : spawnSync(process.execPath, args, { encoding: "utf8" });
      seconds.push((performance.now() - started) / 1000);
      if (p.status !== 0) throw new Error(p.stderr);
      const times = timeBin ? p.stderr.trim().split("\n").pop()?.split(" ").map(Number) : undefined;
      if (times?.length === 2) cpu.push(times[0] + times[1]);
    }
    return {
      median: round(median(seconds), 3),
      best: round(Math.min(...seconds), 3),
      runs: seconds.map((s) => round(s, 3)),
      cpuMedian: cpu.length ? round(median(cpu), 3) : null,
      cpuRuns: cpu.map((c) => round(c, 3)),
      loadBefore: load,
    };
  };
  out.speed = {
    rows: bigRows,
    predictors: "esn,lif,naive,ets",
    command: `nqp validate --input big.csv --report big.html big.json`,
    workers: time([]),
    oneWorker: time(["--workers", "1"]),
    bar: 5,
  };
}

process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
rmSync(dir, { recursive: true, force: true });
