import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type IsingModel, NqpError, type SolveIsingOptions, type SolveResult, solveIsing } from "@nqp/core";
import { createProgress } from "../shared/progress";
import { resolveBackend } from "./backend";
import { cpuClock } from "./cpu-clock";
import type { WorkerMessage, WorkerRequest } from "./solve-worker-protocol";

export interface RunSolverOptions {
  solver: SolveIsingOptions["solver"];
  timeLimitSec: number;
  seed: number;
  agents?: number;
  heat?: number;
  backend: string;
  workers: number;
  layers?: number;
  annealTime?: number;
  trotterSteps?: number;
  shots?: number;
  /** Count the time limit in CPU time per worker rather than wall-clock time. */
  cpuClock?: boolean;
  targetEnergy?: number;
  json?: boolean;
  label: string;
}

/**
 * Runs one solve for a command: resolves the backend, shows a progress bar on a terminal, and with --workers N > 1
 * runs N independent searches (seeds seed, seed + 1, …) in worker threads and keeps the best. The elapsed time is
 * wall-clock for the whole call.
 */
export async function runSolver(
  model: IsingModel,
  o: RunSolverOptions,
): Promise<SolveResult & { backend: string; workers: number; cpuMs: number }> {
  const backend = await resolveBackend(o.backend);
  const progress = createProgress(o.label, 100, { json: o.json });
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const d = process.cpuUsage(cpu0);
    return (d.user + d.system) / 1000;
  };
  const base: SolveIsingOptions = {
    solver: o.solver,
    seed: o.seed,
    agents: o.agents,
    heat: o.heat,
    timeLimitMs: o.timeLimitSec * 1000,
    targetEnergy: o.targetEnergy,
    layers: o.layers,
    totalTime: o.annealTime,
    trotterSteps: o.trotterSteps,
    shots: o.shots,
  };
  try {
    if (o.workers <= 1 || o.solver === "exact" || o.solver === "qaoa" || o.solver === "adiabatic") {
      const r = await solveIsing(model, {
        ...base,
        clock: o.cpuClock ? cpuClock(1) : undefined,
        stepper: backend.stepper,
        onProgress: (p) => progress.update(Math.round(100 * p.fraction)),
      });
      return { ...r, elapsedMs: performance.now() - start, backend: backend.name, workers: 1, cpuMs: cpuMs() };
    }
    if (backend.name !== "ts")
      throw new NqpError("bad-option", "--workers > 1 runs TypeScript solvers in threads; use --backend ts or auto");
    const results = await solveInWorkers(
      Array.from({ length: o.workers }, (_, w) => ({
        model,
        options: { ...base, seed: o.seed + w },
        cpuClockShare: o.cpuClock ? o.workers : undefined,
      })),
      (f) => progress.update(Math.round(100 * f)),
    );
    results.sort((a, b) => a.energy - b.energy);
    const best = results[0];
    return {
      ...best,
      evaluations: results.reduce((s, r) => s + r.evaluations, 0),
      elapsedMs: performance.now() - start,
      backend: backend.name,
      workers: o.workers,
      cpuMs: cpuMs(),
    };
  } finally {
    progress.stop();
    backend.dispose();
  }
}

function workerPath(): string {
  // Bundled: dist/nqp.mjs beside dist/workers/. From source (tests importing the module): no bundle, fail clearly.
  const here = dirname(fileURLToPath(import.meta.url));
  const p = join(here, "workers", "optimize-solve.worker.mjs");
  if (!existsSync(p)) throw new NqpError("no-worker", `solver worker not found at ${p}; build the CLI (pnpm build)`);
  return p;
}

/**
 * Runs each request in its own worker thread. When one reaches the target energy the others are stopped (their
 * best so far is not needed: the target is met).
 */
function solveInWorkers(requests: WorkerRequest[], onProgress: (fraction: number) => void): Promise<SolveResult[]> {
  const path = workerPath();
  return new Promise((resolve, reject) => {
    const workers = requests.map(() => new Worker(path));
    const results: SolveResult[] = [];
    let pending = requests.length;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    workers.forEach((worker, w) => {
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "progress") {
          if (w === 0) onProgress(m.fraction);
        } else if (m.type === "done") {
          results.push(m.result);
          pending--;
          if (m.result.stoppedBy === "target" || pending === 0) finish();
        } else if (m.type === "error") finish(m.code ? new NqpError(m.code, m.message) : new Error(m.message));
      });
      worker.on("error", (err) => finish(err));
      worker.postMessage(requests[w]);
    });
  });
}
