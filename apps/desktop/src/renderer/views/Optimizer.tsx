import type { OptimizeJobResult } from "@nqp/contract/api";
import { generatePriceCsv, generateSchedule } from "@nqp/core";
import { Download, FileUp, Sparkles } from "lucide-react";
import { useRef, useState } from "react";
import { XYChart } from "../charts/XYChart";
import { Empty, ErrorState, Field, Panel, Stat } from "../components/common";
import { JobBar } from "../components/JobBar";
import { saveText, toCsv } from "../download";
import { duration, num } from "../format";
import { useShortcuts } from "../shortcuts";
import { useJob } from "../state/jobs";
import { useSession } from "../state/session";

type Problem = "portfolio" | "schedule" | "maxcut";

const ACCEPT: Record<Problem, string> = {
  portfolio: ".csv,text/csv",
  schedule: ".json,application/json",
  maxcut: ".txt,text/plain",
};
const HINTS: Record<Problem, string> = {
  portfolio: "CSV, one column per asset (prices, or returns with the box below); a first date column is ignored.",
  schedule:
    "JSON: slots (name, crew), machines (name, downtime per slot), jobs (name, machine, crew, earliest, latest).",
  maxcut: "G-set / rudy text: first line 'n m', then 'i j w' per edge (1-based).",
};

function sample(problem: Problem, seed: number): { name: string; text: string } {
  if (problem === "portfolio") return { name: "sample-prices.csv", text: generatePriceCsv(60, 250, seed) };
  if (problem === "schedule") {
    const p = generateSchedule(40, 12, 6, seed);
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
    return { name: "sample-schedule.json", text: JSON.stringify(json, null, 1) };
  }
  // A random weighted graph in rudy format (seeded LCG: deterministic samples).
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const n = 200;
  const edges: string[] = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (rnd() < 0.04) edges.push(`${i} ${j} 1`);
  return { name: "sample-graph.txt", text: `${n} ${edges.length}\n${edges.join("\n")}\n` };
}

export function OptimizerView() {
  const session = useSession((s) => s.session);
  const notify = useSession((s) => s.notify);
  const [problem, setProblem] = useState<Problem>("portfolio");
  const [input, setInput] = useState<{ name: string; text: string } | null>(null);
  const [k, setK] = useState(10);
  const [lambda, setLambda] = useState(1);
  const [returns, setReturns] = useState(false);
  const [solver, setSolver] = useState<"sb" | "bsb" | "dsb" | "asb" | "sa" | "exact">("sb");
  const [backend, setBackend] = useState("auto");
  const [limit, setLimit] = useState(3);
  const [seed, setSeed] = useState(1);
  const file = useRef<HTMLInputElement>(null);
  const job = useJob<OptimizeJobResult>();
  const backends = ["auto", ...(session?.local.backends ?? ["ts"])];

  const run = () => {
    if (!input) return;
    void job.run({
      kind: "optimize",
      problem,
      text: input.text,
      source: input.name,
      k: problem === "portfolio" ? k : undefined,
      riskAversion: lambda,
      returns,
      solver,
      backend,
      timeLimitSec: limit,
      seed,
    });
  };
  useShortcuts({ "mod+Enter": run, Escape: job.cancel });

  const r = job.result;
  const trace = r ? r.trace : job.trace;
  return (
    <div data-ready={r ? "optimizer" : "optimizer-idle"}>
      <Panel title="Problem" id="opt-problem">
        <div className="form-row">
          <Field label="Problem" htmlFor="opt-kind">
            <select
              id="opt-kind"
              value={problem}
              onChange={(e) => {
                setProblem(e.target.value as Problem);
                setInput(null);
              }}
            >
              <option value="portfolio">Portfolio selection (choose K of N assets)</option>
              <option value="schedule">Maintenance scheduling (jobs → slots)</option>
              <option value="maxcut">Max-cut (weighted graph)</option>
            </select>
          </Field>
          <div className="field">
            <span className="muted" style={{ fontSize: 12 }}>
              Input
            </span>
            <div className="toolbar" style={{ margin: 0 }}>
              <button type="button" className="btn" onClick={() => file.current?.click()}>
                <FileUp size={14} aria-hidden="true" /> Load file
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setInput(sample(problem, seed));
                }}
                data-testid="opt-sample"
              >
                <Sparkles size={14} aria-hidden="true" /> Sample data
              </button>
              <span className="muted" data-testid="opt-input">
                {input ? `${input.name} (${(input.text.length / 1024).toFixed(1)} KiB)` : "none loaded"}
              </span>
            </div>
            <input
              ref={file}
              type="file"
              hidden
              accept={ACCEPT[problem]}
              aria-label="Load an optimisation input file"
              data-testid="opt-file"
              onChange={async (e) => {
                const f = e.target.files?.[0];
                if (f) setInput({ name: f.name, text: await f.text() });
                e.target.value = "";
              }}
            />
          </div>
        </div>
        <div className="field-hint" style={{ marginTop: 6 }}>
          {HINTS[problem]}
        </div>
      </Panel>
      <Panel title="Solver" id="opt-solver">
        <div className="form-row">
          {problem === "portfolio" && (
            <>
              <Field label="Assets to choose (K)" htmlFor="opt-k">
                <input
                  id="opt-k"
                  type="number"
                  min={1}
                  value={k}
                  onChange={(e) => setK(Math.max(1, Number(e.target.value) || 1))}
                />
              </Field>
              <Field label="Risk aversion λ" htmlFor="opt-lambda">
                <input
                  id="opt-lambda"
                  type="number"
                  min={0}
                  step={0.1}
                  value={lambda}
                  onChange={(e) => setLambda(Math.max(0, Number(e.target.value)))}
                />
              </Field>
              <div className="field">
                <label htmlFor="opt-returns">
                  <input
                    id="opt-returns"
                    type="checkbox"
                    checked={returns}
                    onChange={(e) => setReturns(e.target.checked)}
                  />{" "}
                  columns are returns
                </label>
              </div>
            </>
          )}
          <Field label="Solver" htmlFor="opt-solver-name">
            <select id="opt-solver-name" value={solver} onChange={(e) => setSolver(e.target.value as typeof solver)}>
              <option value="sb">SB + tabu hybrid (default)</option>
              <option value="dsb">Discrete SB</option>
              <option value="bsb">Ballistic SB</option>
              <option value="asb">Adiabatic SB</option>
              <option value="sa">Simulated annealing</option>
              <option value="exact">Exact (n ≤ 24)</option>
            </select>
          </Field>
          <Field label="Backend" htmlFor="opt-backend">
            <select id="opt-backend" value={backend} onChange={(e) => setBackend(e.target.value)}>
              {backends.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Time limit (s)" htmlFor="opt-limit">
            <input
              id="opt-limit"
              type="number"
              min={0.1}
              step={0.5}
              value={limit}
              onChange={(e) => setLimit(Math.max(0.1, Number(e.target.value) || 1))}
            />
          </Field>
          <Field label="Seed" htmlFor="opt-seed">
            <input
              id="opt-seed"
              type="number"
              min={0}
              value={seed}
              onChange={(e) => setSeed(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
            />
          </Field>
        </div>
        <div style={{ marginTop: 10 }}>
          <JobBar job={job} onRun={run} disabled={!input} runLabel="Solve" />
        </div>
      </Panel>
      {job.error && job.error.message !== "cancelled" && <ErrorState error={job.error} retry={run} />}
      {(job.running || r) && (
        <Panel title="Energy trace (best so far)" id="opt-trace">
          {trace.length ? (
            <XYChart
              x={trace.map((t) => t.ms)}
              y={trace.map((t) => t.energy)}
              height={180}
              label="energy trace"
              xLabel="elapsed ms"
              yLabel="energy"
              stepped
            />
          ) : (
            <Empty title="Waiting for the first solution…" />
          )}
        </Panel>
      )}
      {r ? (
        <>
          <div className="stats" data-testid="opt-result">
            <Stat label="Feasible" value={r.feasible ? "yes" : "no"} tone={r.feasible ? "ok" : "bad"} />
            {r.summary.map((s) => (
              <Stat key={s.label} label={s.label} value={s.value} />
            ))}
            <Stat label="Solver / backend" value={`${r.solver} / ${r.backend}`} />
            <Stat label="Time" value={duration(r.elapsedMs)} hint={`stopped by ${r.stoppedBy}`} />
            <Stat label="Energy" value={num(r.energy, 8)} />
          </div>
          <Panel
            title="Result"
            id="opt-table"
            actions={
              <>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    saveText(`nqp-${r.problem}-result.csv`, toCsv(r.table.columns, r.table.rows), "text/csv");
                    notify("info", "exported CSV");
                  }}
                >
                  <Download size={14} aria-hidden="true" /> CSV
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    saveText(
                      `nqp-${r.problem}-result.json`,
                      `${JSON.stringify(r.document, null, 2)}\n`,
                      "application/json",
                    )
                  }
                >
                  <Download size={14} aria-hidden="true" /> JSON
                </button>
              </>
            }
          >
            <div className="table-wrap" style={{ maxHeight: 360 }}>
              <table className="table compact" aria-label="Optimisation result">
                <thead>
                  <tr>
                    {r.table.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {r.table.rows.slice(0, 500).map((row, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
                    <tr key={i}>
                      {row.map((v, j) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                        <td key={j}>{typeof v === "number" ? num(v, 6) : v}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Panel>
        </>
      ) : (
        !job.running && <Empty title="No result yet" hint="Load a file or sample data, then Solve (Ctrl+Enter)." />
      )}
    </div>
  );
}
