import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationReportSchema } from "@nqp/contract";
import { createRng, createSensorSimulator, generatePriceCsv, generateSchedule, sensorFleetOptions } from "@nqp/core";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { parseJobSpec, runJob } from "./run-job";

const quiet = { progress: () => {} };
const tmp = tempDir("nqp-analysis-");
afterAll(() => tmp.remove());

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

  it("validation: the report of `nqp validate` for the same series, labels and options", async () => {
    const rng = createRng(5);
    const opts = sensorFleetOptions(1, rng, { stepMs: 300_000, startMs: Date.UTC(2026, 0, 1) })[0];
    const sim = createSensorSimulator(opts, rng.fork());
    const ts: number[] = [];
    const value: number[] = [];
    while (ts.length < 1500) {
      const r = sim.next();
      if (r.dropped) continue;
      ts.push(r.ts);
      value.push(Number(r.value.toFixed(6)));
    }
    const labels: [number, number][] = [[ts[1100], ts[1160]]];
    const csv = join(tmp.path, "line.csv");
    writeFileSync(csv, `timestamp,value\n${ts.map((t, i) => `${new Date(t).toISOString()},${value[i]}`).join("\n")}\n`);
    const labelsFile = join(tmp.path, "labels.json");
    writeFileSync(
      labelsFile,
      JSON.stringify(labels.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()])),
    );
    const options = ["--units", "40", "--warmup", "300", "--horizon", "2", "--coverage", "0.8"];
    const out = join(tmp.path, "cli.json");
    const cli = runNqp(["validate", "--input", csv, "--labels", labelsFile, "--report", out, ...options]);
    expect(cli.stderr).toBe("");
    const expected = ValidationReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));

    const steps: number[] = [];
    const r = await runJob(
      parseJobSpec({
        kind: "validate",
        source: csv,
        labelsSource: labelsFile,
        ts,
        value,
        labels,
        units: 40,
        warmup: 300,
        horizon: 2,
        coverage: 0.8,
      }),
      { progress: (f) => steps.push(f) },
    );
    if (r.kind !== "validate") throw new Error("wrong kind");
    const report = ValidationReportSchema.parse(r.report);
    expect(report.generatedBy).toBe("nqp desktop 0.1.0");
    // Everything but who wrote it and how long it took is the CLI's report, figure for figure.
    const same = (x: typeof report) => ({ ...x, generatedBy: "", seconds: 0 });
    expect(same(report)).toEqual(same(expected));
    expect(report.events?.[0].windows).toBe(1);
    expect(report.series.anomalyScore).not.toBeNull();
    expect(steps.at(-1)).toBe(1);
    expect(() =>
      parseJobSpec({ kind: "validate", source: "x", ts: [], value: [], predictors: ["esn", "esn"] }),
    ).toThrow(/listed twice/);
  }, 60_000);

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
