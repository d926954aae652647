import { NqpError, portfolioFromTable, solvePortfolio } from "@nqp/core";
import { parse } from "csv-parse/sync";
import { readText, writeTextAtomic } from "../shared/files";
import { printSummary } from "../shared/output";
import { resolveBackend } from "./backend";
import type { CommonOptimizeOptions } from "./common";
import { runSolverModel } from "./run-model";

export interface PortfolioOptions extends CommonOptimizeOptions {
  k: number;
  riskAversion: number;
  returns?: boolean;
}

export async function portfolioCommand(o: PortfolioOptions): Promise<void> {
  (await resolveBackend(o.backend)).dispose(); // an unavailable backend is reported before any input is read
  const rows = parse(readText(o.input), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  if (rows.length === 0) throw new NqpError("bad-portfolio", `${o.input}: the file is empty`);
  let data: ReturnType<typeof portfolioFromTable>;
  try {
    data = portfolioFromTable(rows[0], rows.slice(1), o.returns ? "returns" : "prices");
  } catch (err) {
    if (err instanceof NqpError) throw new NqpError(err.code, `${o.input}: ${err.message}`);
    throw err;
  }
  const problem = { data, k: o.k, riskAversion: o.riskAversion };
  const { result, backend, elapsedMs } = await runSolverModel(o, "portfolio", (options) =>
    solvePortfolio(problem, options),
  );
  const e = result.evaluation;
  const out = {
    selected: e.selected.map((i) => data.assets[i]),
    indices: e.selected,
    k: o.k,
    risk_aversion: o.riskAversion,
    expected_return: e.expectedReturn,
    variance: e.variance,
    volatility: Math.sqrt(Math.max(0, e.variance)),
    utility: e.utility,
    feasible: e.feasible,
    solver_feasible: result.raw.feasible,
    solver_utility: result.raw.utility,
    penalty: result.penalty,
    assets: data.assets.length,
    periods: data.periods,
    solver: result.solve.solver,
    backend,
    elapsed_ms: Math.round(elapsedMs * 10) / 10,
    evaluations: result.solve.evaluations,
    seed: o.seed,
  };
  writeTextAtomic(o.output, `${JSON.stringify(out, null, 2)}\n`);
  printSummary(
    o.json,
    { ...out, output: o.output },
    `chose ${e.selected.length} of ${data.assets.length} assets: return ${e.expectedReturn.toPrecision(4)}, volatility ${out.volatility.toPrecision(4)} per period; wrote ${o.output}`,
  );
}
