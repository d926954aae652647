// Max-cut quality on the G-set at a fixed time limit, through the real command line (`nqp optimize maxcut`).
// Usage: pnpm bench optimizer-gset [--graphs G1,G2,…|--all] [--time-limit 10] [--workers 2] [--seed 1] [--runs 1]
//        [--cpu-clock]
// --runs R repeats each graph with seeds seed, seed + workers, … (independent runs); --cpu-clock counts the time
// limit in CPU seconds per worker (what a quiet machine gives), the default is wall-clock seconds.
// Prints JSON: per graph the cut of each run, best-known cut and ratio; the mean ratio over G1–G54 (first run of
// each graph) when all of them ran.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { nqpBundle, sharedDataPath, sharedDataSkipReason, tempDir } from "@nqp/testkit";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};
const dir = sharedDataPath("gset");
if (!dir) {
  console.error(sharedDataSkipReason("gset"));
  process.exit(0);
}
const best = new Map<string, number>();
for (const line of readFileSync(join(dir, "best_known.csv"), "utf8").trim().split("\n").slice(1)) {
  const [name, , , cut] = line.split(",");
  best.set(name, Number(cut));
}
const all = Array.from({ length: 54 }, (_, i) => `G${i + 1}`);
const graphs = args.includes("--all")
  ? [...all, "G55"]
  : arg("graphs", "G1,G2,G3,G11,G14,G43,G22,G23,G32,G35,G48,G55").split(",");
const timeLimit = arg("time-limit", "10");
const workers = Number(arg("workers", "2"));
const seed = Number(arg("seed", "1"));
const runs = Number(arg("runs", "1"));
const cpuClock = args.includes("--cpu-clock");
const tmp = tempDir("nqp-bench-");
const rows: Record<string, unknown>[] = [];
for (const g of graphs) {
  const known = best.get(g) as number;
  const cuts: number[] = [];
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const out = join(tmp.path, `${g}.json`);
    const r = spawnSync(
      process.execPath,
      [
        nqpBundle,
        "optimize",
        "maxcut",
        "--input",
        join(dir, `${g}.txt`),
        "--output",
        out,
        "--time-limit",
        timeLimit,
        "--workers",
        String(workers),
        "--seed",
        String(seed + run * workers),
        "--target",
        String(known),
        ...(cpuClock ? ["--cpu-clock"] : []),
      ],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`${g}: ${r.stderr}`);
    const d = JSON.parse(readFileSync(out, "utf8"));
    cuts.push(d.cut);
    wall.push(d.elapsed_ms);
    cpu.push(d.cpu_ms);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const row = {
    graph: g,
    nodes: (JSON.parse(readFileSync(join(tmp.path, `${g}.json`), "utf8")) as { nodes: number }).nodes,
    best_known: known,
    cuts,
    cut: cuts[0],
    ratio: cuts[0] / known,
    median_cut: sorted[Math.floor(runs / 2)],
    best_cut: sorted[runs - 1],
    runs_at_99_9: cuts.filter((c) => c >= 0.999 * known).length,
    runs_at_best_known: cuts.filter((c) => c >= known).length,
    elapsed_ms: wall,
    cpu_ms: cpu,
    reached: cuts[0] >= known,
  };
  rows.push(row);
  console.error(JSON.stringify(row));
}
tmp.remove();
const ratios = rows.filter((r) => all.includes(r.graph as string)).map((r) => r.ratio as number);
console.log(
  JSON.stringify(
    {
      bench: "optimizer-gset",
      date: new Date().toISOString(),
      time_limit_s: Number(timeLimit),
      clock: cpuClock ? "cpu per worker" : "wall",
      load_average_1_5_15_min: loadavg(),
      workers,
      seed,
      runs,
      results: rows,
      mean_ratio_g1_g54: ratios.length === 54 ? ratios.reduce((a, b) => a + b, 0) / 54 : undefined,
      reached_best_known: rows.filter((r) => r.reached).map((r) => r.graph),
    },
    null,
    2,
  ),
);
