import {
  createIsing,
  createQubo,
  denseFromRows,
  type IsingModel,
  isingEnergy,
  NqpError,
  type QuboModel,
  quboFromTerms,
  quboObjective,
  quboToIsing,
  spinsToBits,
} from "@nqp/core";
import { parse } from "csv-parse/sync";
import { readText, writeTextAtomic } from "../shared/files";
import { printSummary } from "../shared/output";
import { resolveBackend } from "./backend";
import type { CommonOptimizeOptions } from "./common";
import { quantumOutput } from "./quantum-output";
import { runSolver } from "./run-solver";

/**
 * Reads a QUBO or Ising model. JSON: {"Q": [[…]]} (symmetric matrix, f = xᵀQx + offset), {"n", "terms": [[i, j,
 * c], …]} (0-based upper-triangular coefficients, f = Σ c·x_i·x_j + offset), or {"J": [[…]], "h": […]} (Ising,
 * E = offset − ½ sᵀJs − h·s); each may carry "offset". CSV: the rows of a symmetric Q matrix, numbers only.
 */
export function readModelFile(path: string, text: string): QuboModel | IsingModel {
  const where = (m: string) => `${path}: ${m}`;
  if (/\.csv$/i.test(path)) {
    const rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    if (rows.length === 0) throw new NqpError("bad-model", where("the file is empty; expected the rows of Q"));
    const numeric = rows.map((r, i) =>
      r.map((cell, j) => {
        const v = Number(cell);
        if (cell === "" || !Number.isFinite(v))
          throw new NqpError("bad-model", where(`line ${i + 1}, column ${j + 1}: '${cell}' is not a number`));
        return v;
      }),
    );
    numeric.forEach((r, i) => {
      if (r.length !== numeric.length)
        throw new NqpError(
          "bad-model",
          where(
            `line ${i + 1} has ${r.length} values; Q must be square (${numeric.length} rows, so ${numeric.length} values per row)`,
          ),
        );
    });
    return wrap(where, () => createQubo({ Q: denseFromRows(numeric) }));
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new NqpError("bad-model", where(`not valid JSON (${(err as Error).message})`));
  }
  const offset = json.offset === undefined ? 0 : Number(json.offset);
  if (!Number.isFinite(offset)) throw new NqpError("bad-model", where("offset must be a number"));
  const matrix = (name: string) => {
    const m = json[name];
    if (!Array.isArray(m) || !m.every((r) => Array.isArray(r) && r.every((v) => typeof v === "number")))
      throw new NqpError("bad-model", where(`"${name}" must be an array of rows of numbers`));
    return denseFromRows(m as number[][]);
  };
  if (json.J !== undefined) {
    const h = json.h;
    if (h !== undefined && (!Array.isArray(h) || !h.every((v) => typeof v === "number")))
      throw new NqpError("bad-model", where('"h" must be an array of numbers'));
    return wrap(where, () => createIsing({ J: matrix("J"), h: h as number[] | undefined, offset }));
  }
  if (json.Q !== undefined) return wrap(where, () => createQubo({ Q: matrix("Q"), offset }));
  if (json.terms !== undefined) {
    const n = Number(json.n);
    if (!Number.isInteger(n) || n < 1)
      throw new NqpError("bad-model", where('"n" (number of variables) must be a whole number ≥ 1'));
    const terms = json.terms;
    if (!Array.isArray(terms))
      throw new NqpError("bad-model", where('"terms" must be an array of [i, j, coefficient]'));
    terms.forEach((t, k) => {
      if (!Array.isArray(t) || t.length !== 3 || !t.every((v) => typeof v === "number"))
        throw new NqpError("bad-model", where(`terms[${k}] must be [i, j, coefficient]`));
    });
    return wrap(where, () => quboFromTerms(n, terms as [number, number, number][], { offset }));
  }
  throw new NqpError("bad-model", where('expected "Q" (matrix), "terms" (with "n") or "J" (Ising) in the JSON object'));
}

function wrap<T>(where: (m: string) => string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof NqpError) throw new NqpError(err.code, where(err.message));
    throw err;
  }
}

export async function quboCommand(o: CommonOptimizeOptions): Promise<void> {
  (await resolveBackend(o.backend)).dispose(); // an unavailable backend is reported before any input is read
  const model = readModelFile(o.input, readText(o.input));
  const ising = model.kind === "qubo" ? quboToIsing(model) : model;
  const r = await runSolver(ising, {
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
    json: o.json,
    label: model.kind,
  });
  const common = {
    solver: r.solver,
    backend: r.backend,
    elapsed_ms: Math.round(r.elapsedMs * 10) / 10,
    evaluations: r.evaluations,
    variables: model.n,
    seed: o.seed,
    stopped_by: r.stoppedBy,
  };
  // The Ising model solved is the exact image of the QUBO (E(2x − 1) = f(x)), so its energies are objectives.
  const quantum = r.quantum
    ? model.kind === "qubo"
      ? quantumOutput(
          r.quantum,
          (e) => e,
          "objective",
          (s) => Array.from(spinsToBits(s)),
        )
      : quantumOutput(
          r.quantum,
          (e) => e,
          "energy",
          (s) => Array.from(s),
        )
    : undefined;
  const out =
    model.kind === "qubo"
      ? {
          objective: quboObjective(model, spinsToBits(r.spins)),
          x: Array.from(spinsToBits(r.spins)),
          ...common,
          ...(quantum ? { quantum } : {}),
        }
      : { energy: isingEnergy(model, r.spins), spins: Array.from(r.spins), ...common, ...(quantum ? { quantum } : {}) };
  writeTextAtomic(o.output, `${JSON.stringify(out)}\n`);
  const value = "objective" in out ? `objective ${out.objective}` : `energy ${out.energy}`;
  const {
    x: _x,
    spins: _s,
    quantum: _q,
    ...summary
  } = out as typeof out & {
    x?: unknown;
    spins?: unknown;
    quantum?: unknown;
  };
  printSummary(
    o.json,
    { ...summary, output: o.output },
    `${value} over ${model.n} variables (${r.solver}); wrote ${o.output}`,
  );
}
