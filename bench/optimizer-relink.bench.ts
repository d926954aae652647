// Same-seed comparison of hybrid configurations on one thread inside one process, each solve given a budget of CPU
// seconds (process CPU time, so V8's background compilation counts) and the best-known cut as target.
// Usage: pnpm bench optimizer-relink [--graphs G14,G32,G35] [--seeds 1,2,3,4] [--limit 10]
//   [--configs 'base={};relink={"relink":0.5}']
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { type HybridOptions, maxCutToIsing, parseRudyGraph, solveHybrid } from "@nqp/core";
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
const graphs = arg("graphs", "G14,G32,G35").split(",");
const seeds = arg("seeds", "1,2,3,4").split(",").map(Number);
const limitMs = 1000 * Number(arg("limit", "10"));
const configs = arg("configs", 'base={};relink={"relink":0.5}')
  .split(";")
  .map((c) => {
    const k = c.indexOf("=");
    return { name: c.slice(0, k), options: JSON.parse(c.slice(k + 1)) as HybridOptions };
  });
const bestKnown = new Map(
  readFileSync(join(dir, "best_known.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map((f) => [f[0], Number(f[3])] as const),
);
const cpuClock = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const results: Record<string, unknown>[] = [];
for (const graph of graphs) {
  const model = maxCutToIsing(parseRudyGraph(readFileSync(join(dir, `${graph}.txt`), "utf8")));
  const target = bestKnown.get(graph);
  const cuts: Record<string, number[]> = {};
  for (const seed of seeds)
    for (const { name, options } of configs) {
      const r = await solveHybrid(model, {
        ...options,
        seed,
        timeLimitMs: limitMs,
        targetEnergy: target === undefined ? undefined : -target,
        clock: cpuClock,
      });
      const cut = -r.energy;
      if (!cuts[name]) cuts[name] = [];
      cuts[name].push(cut);
      const row = { graph, config: name, seed, cut, best_known: target, cpu_ms: Math.round(r.elapsedMs) };
      console.error(JSON.stringify({ ...row, load: loadavg()[0] }));
      results.push(row);
    }
  for (const [name, xs] of Object.entries(cuts)) {
    const s = [...xs].sort((a, b) => a - b);
    console.error(
      JSON.stringify({ graph, config: name, cuts: xs, median: s[Math.floor(s.length / 2)], best: s.at(-1) }),
    );
  }
}
console.log(
  JSON.stringify(
    { bench: "optimizer-relink", date: new Date().toISOString(), load_average_1_5_15_min: loadavg(), results },
    null,
    2,
  ),
);
