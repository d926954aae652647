import { createRng, createSensorSimulator, generatePriceCsv, generateSchedule, sensorFleetOptions } from "@nqp/core";
import { describe, expect, it } from "vitest";
import { parseJobSpec, runJob } from "./run-job";

const quiet = { progress: () => {} };

function sensorWindow(n: number, seed = 3) {
  const rng = createRng(seed);
  const sim = createSensorSimulator(
    sensorFleetOptions(1, rng, { stepMs: 60_000, startMs: Date.UTC(2026, 0, 1) })[0],
    rng.fork(),
  );
  const ts: number[] = [];
  const value: number[] = [];
  while (ts.length < n) {
    const r = sim.next();
    if (r.dropped) continue;
    ts.push(r.ts);
    value.push(r.value);
  }
  return { ts, value };
}

describe("analysis jobs", () => {
  it("spike view: delta and population rasters, reservoir activity for every step", async () => {
    const w = sensorWindow(600);
    const r = await runJob(parseJobSpec({ kind: "spikes", ...w, encoder: "delta" }), quiet);
    if (r.kind !== "spikes") throw new Error("wrong kind");
    expect(r.encoder.labels).toEqual(["ON", "OFF"]);
    expect(r.inputSpikes.step.length).toBeGreaterThan(10);
    expect(new Set(r.inputSpikes.channel)).toEqual(new Set([0, 1]));
    const coarse = await runJob(parseJobSpec({ kind: "spikes", ...w, encoder: "delta", deltaThreshold: 1 }), quiet);
    if (coarse.kind !== "spikes") throw new Error("wrong kind");
    expect(coarse.stats.inputSpikes).toBeLessThan(r.stats.inputSpikes);
    expect(r.stats.reservoirSpikes).toBeGreaterThan(0);
    expect(r.populationRate).toHaveLength(600);
    expect(r.trace).toHaveLength(600 * r.reservoir.shown);
    const pop = await runJob(parseJobSpec({ kind: "spikes", ...w, encoder: "population", channels: 12 }), quiet);
    if (pop.kind !== "spikes") throw new Error("wrong kind");
    expect(new Set(pop.inputSpikes.channel).size).toBeGreaterThan(3);
    expect(Math.max(...pop.inputSpikes.channel)).toBeLessThan(12);
  });

  it("validation: backtest metrics, baseline and NAB scoring of a labelled fault", async () => {
    const rng = createRng(5);
    const opts = sensorFleetOptions(1, rng, { stepMs: 300_000, startMs: Date.UTC(2026, 0, 1) })[0];
    const sim = createSensorSimulator(opts, rng.fork());
    const ts: number[] = [];
    const value: number[] = [];
    const labels: [number, number][] = [];
    while (ts.length < 3000) {
      const r = sim.next();
      if (r.dropped) continue;
      ts.push(r.ts);
      value.push(r.value);
      if (r.label) {
        const last = labels.at(-1);
        if (last && r.ts - last[1] <= 3 * 300_000) last[1] = r.ts;
        else labels.push([r.ts, r.ts]);
      }
    }
    const steps: number[] = [];
    const r = await runJob(
      parseJobSpec({
        kind: "validate",
        source: "sim",
        ts,
        value,
        labels: labels.length ? labels : [[ts[2000], ts[2100]]],
        units: 50,
      }),
      { progress: (f) => steps.push(f) },
    );
    if (r.kind !== "validate") throw new Error("wrong kind");
    expect(r.trainRows).toBe(1500);
    expect(r.test.rows).toBeGreaterThan(1400);
    expect(r.test.nrmse).toBeGreaterThan(0);
    expect(r.test.coverage).toBeGreaterThan(0.7);
    expect(r.baseline.rows).toBe(1500);
    expect(r.nab?.windows).toBeGreaterThan(0);
    expect(r.plot.ts.length).toBeGreaterThan(100);
    expect(steps.at(-1)).toBe(1);
  });

  it("optimiser: portfolio and schedule decode to feasible answers with an energy trace", async () => {
    const portfolio = await runJob(
      parseJobSpec({
        kind: "optimize",
        problem: "portfolio",
        text: generatePriceCsv(30, 120, 2),
        k: 5,
        timeLimitSec: 0.5,
      }),
      quiet,
    );
    if (portfolio.kind !== "optimize") throw new Error("wrong kind");
    expect(portfolio.feasible).toBe(true);
    expect(portfolio.table.rows).toHaveLength(5);
    expect(portfolio.trace.length).toBeGreaterThan(0);
    const p = generateSchedule(12, 6, 3, 4);
    const json = {
      slots: p.slots,
      machines: p.machines,
      jobs: p.jobs.map((j) => ({
        ...j,
        machine: p.machines[j.machine].name,
        earliest: j.earliest + 1,
        latest: j.latest + 1,
      })),
    };
    const schedule = await runJob(
      parseJobSpec({ kind: "optimize", problem: "schedule", text: JSON.stringify(json), timeLimitSec: 0.5 }),
      quiet,
    ).catch((e) => e);
    if (schedule instanceof Error) throw schedule;
    if (schedule.kind !== "optimize") throw new Error("wrong kind");
    expect(schedule.feasible).toBe(true);
    expect(schedule.table.rows).toHaveLength(12);
  });

  it("names the problem in bad input", async () => {
    await expect(
      runJob(
        parseJobSpec({
          kind: "optimize",
          problem: "portfolio",
          text: "date,A,B\n2024-01-01,1,x\n2024-01-02,1,2\n",
          source: "p.csv",
        }),
        quiet,
      ),
    ).rejects.toThrow(/p\.csv: row 2/);
    expect(() => parseJobSpec({ kind: "spikes", ts: [], value: [], channels: 1 })).toThrow(/channels/);
  });
});
