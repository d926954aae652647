// Time to target on one thread inside one warm process: each case first runs one untimed solve (seed 1000) so the
// JIT has compiled the hot loops, then `runs` timed solves with seeds 1…runs. Complements optimizer-speed (a fresh
// process per run, where V8's background compilation is part of the CPU time).
// Usage: pnpm bench optimizer-speed-warm [--runs 30] [--limit 10] [--cases G1:11624,G22:13354] [--solvers sb,sa]
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type IsingSolverName, maxCutToIsing, parseRudyGraph, solveIsing } from "@nqp/core";
import { sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";

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
const runs = Number(arg("runs", "30"));
const limitMs = 1000 * Number(arg("limit", "10"));
const cases = arg("cases", "G1:11624,G22:13354")
  .split(",")
  .map((c) => c.split(":"));
const solvers = arg("solvers", "sb,sa").split(",") as IsingSolverName[];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
};
const results: Record<string, unknown>[] = [];
for (const [graph, target] of cases) {
  const model = maxCutToIsing(parseRudyGraph(readFileSync(join(dir, `${graph}.txt`), "utf8")));
  for (const solver of solvers) {
    await solveIsing(model, { solver, seed: 1000, timeLimitMs: limitMs, targetEnergy: -Number(target) });
    const wall: number[] = [];
    const cpu: number[] = [];
    let hits = 0;
    for (let seed = 1; seed <= runs; seed++) {
      const c0 = process.cpuUsage();
      const r = await solveIsing(model, { solver, seed, timeLimitMs: limitMs, targetEnergy: -Number(target) });
      const c = process.cpuUsage(c0);
      const hit = -r.energy >= Number(target);
      if (hit) hits++;
      wall.push(hit ? r.elapsedMs : Number.POSITIVE_INFINITY);
      cpu.push(hit ? (c.user + c.system) / 1000 : Number.POSITIVE_INFINITY);
    }
    const row = { graph, target: Number(target), solver, runs, hits, wall_ms: stats(wall), cpu_ms: stats(cpu) };
    results.push(row);
    console.error(JSON.stringify(row));
  }
}
console.log(
  JSON.stringify(
    {
      bench: "optimizer-speed-warm",
      date: new Date().toISOString(),
      threads: 1,
      load_average_1_5_15_min: loadavg(),
      results,
    },
    (_k, v) => (v === Number.POSITIVE_INFINITY ? "not reached" : typeof v === "number" ? Math.round(v * 10) / 10 : v),
    2,
  ),
);
