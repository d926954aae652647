import { bruteForceIsing, cutValue, maxCutToIsing, NqpError, parseRudyGraph } from "@nqp/core";
import { readText, writeTextAtomic } from "../shared/files";
import { printSummary } from "../shared/output";
import { resolveBackend } from "./backend";
import type { CommonOptimizeOptions } from "./common";
import { quantumOutput } from "./quantum-output";
import { runSolver } from "./run-solver";

export interface MaxCutOptions extends CommonOptimizeOptions {
  target?: number;
}

/** Graphs this small are solved exactly first, so the search can stop the moment it meets the proven optimum. */
const PROVE_BELOW = 20;

function processCpuMs(): number {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 100) / 10;
}

export async function maxCutCommand(o: MaxCutOptions): Promise<void> {
  (await resolveBackend(o.backend)).dispose(); // an unavailable backend is reported before any input is read
  let graph: ReturnType<typeof parseRudyGraph>;
  try {
    graph = parseRudyGraph(readText(o.input));
  } catch (err) {
    if (err instanceof NqpError) throw new NqpError(err.code, `${o.input}: ${err.message}`);
    throw err;
  }
  const model = maxCutToIsing(graph);
  let target = o.target !== undefined ? -o.target : undefined;
  if (target === undefined && graph.n <= PROVE_BELOW && o.solver !== "exact") target = bruteForceIsing(model).energy;
  const r = await runSolver(model, {
    solver: o.solver,
    timeLimitSec: o.timeLimit,
    seed: o.seed,
    agents: o.agents,
    heat: o.heat,
    backend: o.backend,
    workers: o.workers,
    layers: o.layers,
    annealTime: o.annealTime,
    trotterSteps: o.trotterSteps,
    shots: o.shots,
    cpuClock: o.cpuClock,
    targetEnergy: target,
    json: o.json,
    label: "maxcut",
  });
  const assignment = Array.from(r.spins);
  const cut = cutValue(graph, r.spins);
  const out = {
    cut,
    assignment,
    solver: r.solver,
    backend: r.backend,
    elapsed_ms: Math.round(r.elapsedMs * 10) / 10,
    // CPU time of the whole process (all worker threads) during the solve: on a shared machine a steadier
    // measure of the work than wall-clock time.
    cpu_ms: Math.round(r.cpuMs * 10) / 10,
    // All CPU time of the process so far: start-up, reading and parsing the graph, building the model and the solve.
    process_cpu_ms: processCpuMs(),
    evaluations: r.evaluations,
    nodes: graph.n,
    edges: graph.weight.length,
    seed: o.seed,
    workers: r.workers,
    time_limit_s: o.timeLimit,
    stopped_by: r.stoppedBy,
    timeline: r.timeline.map((p) => ({ ms: Math.round(p.ms * 10) / 10, cut: -p.energy })),
    ...(r.quantum
      ? {
          quantum: quantumOutput(
            r.quantum,
            (e) => -e,
            "cut",
            (s) => Array.from(s),
          ),
        }
      : {}),
  };
  writeTextAtomic(o.output, `${JSON.stringify(out)}\n`);
  const { assignment: _a, timeline: _t, quantum: _q, ...summary } = out as typeof out & { quantum?: unknown };
  printSummary(
    o.json,
    { ...summary, output: o.output },
    `cut ${cut} on ${graph.n} nodes / ${graph.weight.length} edges in ${(r.elapsedMs / 1000).toFixed(2)} s (${r.solver}, ${r.backend}); wrote ${o.output}`,
  );
}
