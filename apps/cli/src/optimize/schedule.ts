import { NqpError, parseScheduleJson, solveSchedule } from "@nqp/core";
import { readText, writeTextAtomic } from "../shared/files";
import { printSummary } from "../shared/output";
import { resolveBackend } from "./backend";
import type { CommonOptimizeOptions } from "./common";
import { runSolverModel } from "./run-model";

export async function scheduleCommand(o: CommonOptimizeOptions): Promise<void> {
  (await resolveBackend(o.backend)).dispose(); // an unavailable backend is reported before any input is read
  let json: unknown;
  try {
    json = JSON.parse(readText(o.input));
  } catch (err) {
    if (err instanceof SyntaxError) throw new NqpError("bad-schedule", `${o.input}: not valid JSON (${err.message})`);
    throw err;
  }
  let problem: ReturnType<typeof parseScheduleJson>;
  try {
    problem = parseScheduleJson(json);
  } catch (err) {
    if (err instanceof NqpError) throw new NqpError(err.code, `${o.input}: ${err.message}`);
    throw err;
  }
  const { result, backend, elapsedMs } = await runSolverModel(o, "schedule", (options) =>
    solveSchedule(problem, options),
  );
  if (!result.evaluation.feasible)
    throw new NqpError(
      "infeasible-schedule",
      `no feasible schedule found within ${o.timeLimit} s: ${result.reason ?? result.evaluation.violations.slice(0, 3).join("; ")}`,
    );
  const out = {
    feasible: true,
    cost: result.evaluation.cost,
    assignments: problem.jobs.map((job, j) => ({
      job: job.name,
      machine: problem.machines[job.machine].name,
      slot: result.schedule[j] + 1,
      slot_name: problem.slots[result.schedule[j]].name,
      crew: job.crew,
      downtime_cost: problem.machines[job.machine].downtime[result.schedule[j]],
    })),
    solver_feasible: result.rawEvaluation.feasible,
    solver_cost: result.rawEvaluation.cost,
    penalty: result.penalty,
    jobs: problem.jobs.length,
    slots: problem.slots.length,
    solver: result.solve.solver,
    backend,
    elapsed_ms: Math.round(elapsedMs * 10) / 10,
    evaluations: result.solve.evaluations,
    seed: o.seed,
  };
  writeTextAtomic(o.output, `${JSON.stringify(out, null, 2)}\n`);
  const { assignments: _a, ...summary } = out;
  printSummary(
    o.json,
    { ...summary, output: o.output },
    `scheduled ${problem.jobs.length} jobs in ${problem.slots.length} slots, downtime cost ${out.cost}; wrote ${o.output}`,
  );
}
