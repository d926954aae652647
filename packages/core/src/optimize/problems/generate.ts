import { createRng } from "../../random";
import { type PortfolioData, portfolioFromTable } from "./portfolio";
import type { ScheduleProblem } from "./schedule";

/**
 * Synthetic daily prices for N assets from a one-factor model (market factor plus idiosyncratic noise, drifts and
 * betas drawn per asset): realistic enough that return and risk pull in different directions. Returns the price
 * table as CSV text (date column first), so tests and benchmarks exercise the same path as user files.
 */
export function generatePriceCsv(assets: number, days: number, seed: number): string {
  const rng = createRng(seed);
  const drift = Array.from({ length: assets }, () => 0.0002 + 0.0008 * rng.next());
  const beta = Array.from({ length: assets }, () => 0.3 + 1.2 * rng.next());
  const vol = Array.from({ length: assets }, () => 0.005 + 0.02 * rng.next());
  const price = Array.from({ length: assets }, () => 20 + 80 * rng.next());
  const lines = [["date", ...Array.from({ length: assets }, (_, i) => `A${i + 1}`)].join(",")];
  const start = Date.UTC(2024, 0, 1);
  for (let d = 0; d < days; d++) {
    const market = 0.01 * rng.normal();
    if (d > 0)
      for (let i = 0; i < assets; i++) price[i] *= Math.exp(drift[i] + beta[i] * market + vol[i] * rng.normal());
    const date = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
    lines.push([date, ...price.map((p) => p.toFixed(4))].join(","));
  }
  return `${lines.join("\n")}\n`;
}

export function generatePortfolioData(assets: number, days: number, seed: number): PortfolioData {
  const [head, ...rest] = generatePriceCsv(assets, days, seed).trim().split("\n");
  return portfolioFromTable(
    head.split(","),
    rest.map((r) => r.split(",")),
    "prices",
  );
}

/**
 * A random maintenance instance with a feasible schedule by construction: each job first gets a hidden slot on a
 * machine free there, and its window is a random interval around that slot; slot crews hold the hidden schedule
 * with some slack. Downtime costs per machine and slot: a base cost with a cheap every-third-slot (night) pattern.
 */
export function generateSchedule(jobs: number, slots: number, machines: number, seed: number): ScheduleProblem {
  const rng = createRng(seed);
  const busy = new Set<string>();
  const demand = new Array(slots).fill(0);
  const jobList = Array.from({ length: jobs }, (_, j) => {
    let machine = rng.int(machines);
    let slot = rng.int(slots);
    for (let tries = 0; busy.has(`${machine}/${slot}`) && tries < 10 * machines * slots; tries++) {
      machine = rng.int(machines);
      slot = rng.int(slots);
    }
    busy.add(`${machine}/${slot}`);
    const crew = 1 + rng.int(2);
    demand[slot] += crew;
    const width = 1 + rng.int(Math.max(1, Math.ceil(slots * 0.6)));
    const earliest = Math.max(0, slot - rng.int(width));
    // earliest ≤ slot ≤ earliest + width − 1, so the hidden slot is inside the window.
    return { name: `J${j + 1}`, machine, crew, earliest, latest: Math.min(slots - 1, earliest + width - 1) };
  });
  const peak = Math.max(...demand);
  const perSlot = Math.max(2, Math.ceil(peak * 1.1), Math.ceil((1.3 * demand.reduce((a, b) => a + b, 0)) / slots));
  return {
    slots: Array.from({ length: slots }, (_, t) => ({ name: `S${t + 1}`, crew: perSlot })),
    machines: Array.from({ length: machines }, (_, m) => {
      const base = 5 + 20 * rng.next();
      return {
        name: `M${m + 1}`,
        downtime: Array.from({ length: slots }, (_, t) =>
          Math.round(base * (t % 3 === 2 ? 0.4 : 1 + 0.5 * rng.next())),
        ),
      };
    }),
    jobs: jobList,
  };
}
