import type { SolveIsingOptions } from "@nqp/core";
import { createProgress } from "../shared/progress";
import { resolveBackend } from "./backend";
import type { CommonOptimizeOptions } from "./common";
import { cpuClock } from "./cpu-clock";

/**
 * Runs a problem solver (portfolio, schedule) that builds its own model: same backend, progress and time-limit
 * handling as max-cut, in this thread (--workers applies to max-cut and qubo).
 */
export async function runSolverModel<T>(
  o: CommonOptimizeOptions,
  label: string,
  solve: (options: SolveIsingOptions) => Promise<T>,
): Promise<{ result: T; backend: string; elapsedMs: number }> {
  const backend = await resolveBackend(o.backend);
  const progress = createProgress(label, 100, { json: o.json });
  const start = performance.now();
  try {
    const result = await solve({
      solver: o.solver,
      seed: o.seed,
      agents: o.agents,
      heat: o.heat,
      timeLimitMs: o.timeLimit * 1000,
      layers: o.layers,
      totalTime: o.annealTime,
      trotterSteps: o.trotterSteps,
      shots: o.shots,
      clock: o.cpuClock ? cpuClock(1) : undefined,
      stepper: backend.stepper,
      onProgress: (p) => progress.update(Math.round(100 * p.fraction)),
    });
    return { result, backend: backend.name, elapsedMs: performance.now() - start };
  } finally {
    progress.stop();
    backend.dispose();
  }
}
