import type { OptimizeJobResult } from "@nqp/contract/api";
import {
  cutValue,
  maxCutToIsing,
  NqpError,
  parseRudyGraph,
  parseScheduleJson,
  portfolioFromTable,
  type SbStepper,
  type SolveIsingOptions,
  solveIsing,
  solvePortfolio,
  solveSchedule,
  typescriptStepper,
} from "@nqp/core";
import { parse } from "csv-parse/sync";
import type { JobReporter, ParsedOptimizeJob } from "./types";

/** Kernel backends a host can offer; "auto" picks the first that initialised. The TypeScript step is always there. */
export interface BackendChoice {
  name: string;
  stepper: SbStepper;
}

export function resolveStepper(requested: string, available: BackendChoice[]): BackendChoice {
  if (requested === "auto" || requested === "ts") return available[0] ?? { name: "ts", stepper: typescriptStepper };
  const b = available.find((x) => x.name === requested);
  if (!b)
    throw new NqpError(
      "backend-unavailable",
      `backend '${requested}' is not available here (available: ${["auto", ...available.map((x) => x.name)].join(", ")})`,
    );
  return b;
}

const round = (x: number, digits = 4) => Number(x.toPrecision(digits));

/**
 * The optimiser workbench's job: reads the input the way `nqp optimize` does (core's parsers and builders), solves
 * with the chosen solver and backend, and returns the decoded result with its energy trace.
 */
export async function runOptimize(
  spec: ParsedOptimizeJob,
  report: JobReporter,
  backends: BackendChoice[] = [],
): Promise<OptimizeJobResult> {
  const backend = resolveStepper(spec.backend, backends);
  const options: SolveIsingOptions = {
    solver: spec.solver,
    seed: spec.seed,
    timeLimitMs: spec.timeLimitSec * 1000,
    stepper: backend.stepper,
    onProgress: (p) => report.progress(p.fraction, `best energy ${round(p.bestEnergy, 8)}`, p.bestEnergy),
  };
  const where = (err: unknown): never => {
    if (err instanceof NqpError) throw new NqpError(err.code, `${spec.source}: ${err.message}`);
    throw err;
  };
  const base = {
    kind: "optimize" as const,
    problem: spec.problem,
    backend: backend.name,
  };
  if (spec.problem === "portfolio") {
    let rows: string[][];
    try {
      rows = parse(spec.text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (err) {
      throw new NqpError("bad-portfolio", `${spec.source}: ${(err as Error).message}`);
    }
    if (rows.length < 3) throw new NqpError("bad-portfolio", `${spec.source}: need a header and at least two rows`);
    let data: ReturnType<typeof portfolioFromTable>;
    try {
      data = portfolioFromTable(rows[0], rows.slice(1), spec.returns ? "returns" : "prices");
    } catch (err) {
      return where(err);
    }
    const k = spec.k ?? Math.max(1, Math.round(data.assets.length / 4));
    if (k > data.assets.length)
      throw new NqpError(
        "bad-portfolio",
        `choose K ≤ ${data.assets.length} assets (the file has ${data.assets.length})`,
      );
    const r = await solvePortfolio({ data, k, riskAversion: spec.riskAversion }, options);
    const e = r.evaluation;
    const sd = Math.sqrt(Math.max(0, e.variance));
    return {
      ...base,
      solver: r.solve.solver,
      elapsedMs: r.solve.elapsedMs,
      evaluations: r.solve.evaluations,
      stoppedBy: r.solve.stoppedBy,
      energy: r.solve.energy,
      trace: r.solve.timeline,
      feasible: e.feasible,
      summary: [
        { label: "assets chosen", value: `${e.selected.length} of ${data.assets.length}` },
        { label: "expected return / period", value: String(round(e.expectedReturn)) },
        { label: "volatility / period", value: String(round(sd)) },
        { label: "utility (return − λ·variance)", value: String(round(e.utility, 6)) },
        { label: "solver answer feasible", value: r.raw.feasible ? "yes" : "no (repaired)" },
      ],
      table: {
        columns: ["asset", "mean return", "volatility"],
        rows: e.selected.map((i) => [
          data.assets[i],
          round(data.mean[i]),
          round(Math.sqrt(Math.max(0, data.covariance[i * data.assets.length + i]))),
        ]),
      },
      document: {
        selected: e.selected.map((i) => data.assets[i]),
        k,
        risk_aversion: spec.riskAversion,
        expected_return: e.expectedReturn,
        variance: e.variance,
        volatility: sd,
        utility: e.utility,
        feasible: e.feasible,
        solver: r.solve.solver,
        backend: backend.name,
        elapsed_ms: r.solve.elapsedMs,
        evaluations: r.solve.evaluations,
        seed: spec.seed,
      },
    };
  }
  if (spec.problem === "schedule") {
    let json: unknown;
    try {
      json = JSON.parse(spec.text);
    } catch (err) {
      throw new NqpError("bad-schedule", `${spec.source}: not valid JSON (${(err as Error).message})`);
    }
    let problem: ReturnType<typeof parseScheduleJson>;
    try {
      problem = parseScheduleJson(json);
    } catch (err) {
      return where(err);
    }
    const r = await solveSchedule(problem, options);
    const rows = problem.jobs.map((job, j) => {
      const slot = r.schedule[j];
      return [
        job.name,
        problem.machines[job.machine].name,
        slot >= 0 ? problem.slots[slot].name : "—",
        job.crew,
        slot >= 0 ? problem.machines[job.machine].downtime[slot] : "",
      ];
    });
    return {
      ...base,
      solver: r.solve.solver,
      elapsedMs: r.solve.elapsedMs,
      evaluations: r.solve.evaluations,
      stoppedBy: r.solve.stoppedBy,
      energy: r.solve.energy,
      trace: r.solve.timeline,
      feasible: r.evaluation.feasible,
      summary: [
        { label: "jobs", value: `${problem.jobs.length} in ${problem.slots.length} slots` },
        { label: "downtime cost", value: String(round(r.evaluation.cost, 8)) },
        { label: "feasible", value: r.evaluation.feasible ? "yes" : `no: ${r.reason ?? r.evaluation.violations[0]}` },
        { label: "solver answer feasible", value: r.rawEvaluation.feasible ? "yes" : "no (repaired)" },
      ],
      table: { columns: ["job", "machine", "slot", "crew", "downtime cost"], rows },
      document: {
        feasible: r.evaluation.feasible,
        cost: r.evaluation.cost,
        violations: r.evaluation.violations,
        assignments: rows.map(([job, machine, slot, crew, cost]) => ({
          job,
          machine,
          slot,
          crew,
          downtime_cost: cost,
        })),
        solver: r.solve.solver,
        backend: backend.name,
        elapsed_ms: r.solve.elapsedMs,
        seed: spec.seed,
      },
    };
  }
  let graph: ReturnType<typeof parseRudyGraph>;
  try {
    graph = parseRudyGraph(spec.text);
  } catch (err) {
    return where(err);
  }
  const solve = await solveIsing(maxCutToIsing(graph), options);
  const cut = cutValue(graph, solve.spins);
  return {
    ...base,
    solver: solve.solver,
    elapsedMs: solve.elapsedMs,
    evaluations: solve.evaluations,
    stoppedBy: solve.stoppedBy,
    energy: solve.energy,
    trace: solve.timeline,
    feasible: true,
    summary: [
      { label: "nodes / edges", value: `${graph.n} / ${graph.weight.length}` },
      { label: "cut", value: String(cut) },
    ],
    table: {
      columns: ["node", "side"],
      rows: Array.from(solve.spins, (s, i) => [i + 1, s]),
    },
    document: {
      cut,
      assignment: Array.from(solve.spins),
      solver: solve.solver,
      backend: backend.name,
      elapsed_ms: solve.elapsedMs,
    },
  };
}
