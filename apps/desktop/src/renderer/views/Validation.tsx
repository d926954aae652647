import { VALIDATION_PREDICTORS, type ValidationJobResult } from "@nqp/contract/api";
import { readSeriesCsv } from "@nqp/contract/formats";
import { parseTimestamp } from "@nqp/contract/formats/timestamp";
import { Download, FileUp } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import { api } from "../api/client";
import { type Line, LinesChart } from "../charts/LinesChart";
import { TimeChart } from "../charts/TimeChart";
import { Empty, ErrorState, Field, Loading, Panel, Stat } from "../components/common";
import { JobBar } from "../components/JobBar";
import { coverageTone, OnlineValidationTable, scoreTone } from "../components/OnlineValidation";
import { StreamPicker } from "../components/StreamPicker";
import { saveText } from "../download";
import { num, pct } from "../format";
import { useShortcuts } from "../shortcuts";
import { useJob } from "../state/jobs";
import { useSession } from "../state/session";
import { useApi } from "../state/useApi";
import { useVersion } from "../state/version";

/** Labels as NAB writes them ({"file.csv": [[start, end], …]}) or a plain list of [start, end] pairs. */
export function parseLabels(text: string, fileName: string): [number, number][] {
  const json = JSON.parse(text) as unknown;
  let list: unknown = json;
  if (json && typeof json === "object" && !Array.isArray(json)) {
    const entry = Object.entries(json as Record<string, unknown>).find(
      ([k]) => k === fileName || k.endsWith(`/${fileName}`),
    );
    if (!entry)
      throw new Error(
        `the labels file has no entry for ${fileName} (keys: ${Object.keys(json).slice(0, 5).join(", ")}…)`,
      );
    list = entry[1];
  }
  if (!Array.isArray(list)) throw new Error("labels: expected a list of [start, end] pairs");
  return list.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2)
      throw new Error(`labels: window ${i + 1} is not a [start, end] pair`);
    const [a, b] = pair.map((x) => (typeof x === "number" ? x : parseTimestamp(String(x))));
    if (!Number.isFinite(a) || !Number.isFinite(b) || b < a)
      throw new Error(`labels: window ${i + 1} is not a time range`);
    return [a, b];
  });
}

type Report = ValidationJobResult["report"];
type Metrics = Report["fused"]["metrics"];

/** Rolling mean of f(i) over the last `w` rows that have one (null where none yet), as the CLI's HTML report plots. */
function rolling(n: number, from: number, w: number, f: (i: number) => number | null): (number | null)[] {
  const out: (number | null)[] = new Array(n).fill(null);
  const ring: (number | null)[] = new Array(w).fill(null);
  let sum = 0;
  let count = 0;
  for (let i = from; i < n; i++) {
    const old = ring[i % w];
    if (old !== null) {
      sum -= old;
      count--;
    }
    const v = f(i);
    ring[i % w] = v !== null && Number.isFinite(v) ? v : null;
    if (ring[i % w] !== null) {
      sum += v as number;
      count++;
    }
    out[i] = count ? sum / count : null;
  }
  return out;
}

/** The report's plot data: series rows from the first scored one, rolling error and coverage, weights. */
function plotData(r: Report) {
  const s = r.series;
  const n = s.row.length;
  const x = s.row.map((row, i) => s.time[i] ?? row);
  // The first thinned row at or after the first scored row.
  let from = 0;
  while (from < n && s.row[from] < r.scoreFrom) from++;
  const err = (pred: (number | null)[]) => (i: number) => {
    const v = s.value[i];
    const p = pred[i];
    return v === null || p === null ? null : (v - p) ** 2;
  };
  const errW = Math.max(24, Math.round(n / 100));
  const sqrt = (a: (number | null)[]) => a.map((v) => (v === null ? null : Math.sqrt(v)));
  const fusedNames = r.predictors.filter((p) => p.fused).map((p) => p.name);
  const errors: Line[] = [
    { name: "fused", values: sqrt(rolling(n, from, errW, err(s.forecast))), emphasis: true },
    ...r.predictors.map((p) => ({
      name: p.name,
      values: sqrt(rolling(n, from, errW, err(s.predictions[p.name] ?? []))),
      dashed: !p.fused,
    })),
  ];
  const covW = Math.max(100, Math.round(n / 40));
  const coverage: Line[] = [{ name: "empirical coverage", values: rolling(n, from, covW, (i) => s.covered[i]) }];
  const weights: Line[] = fusedNames.map((name) => ({ name, values: s.weights[name] ?? [] }));
  const shade: { from: number; to: number; kind: "warmup" | "label" }[] = [];
  if (from > 0) shade.push({ from: x[0], to: x[Math.min(n - 1, from)], kind: "warmup" });
  for (const [a, b] of r.labels?.windows ?? []) shade.push({ from: a, to: b, kind: "label" });
  return { x, errors, errW, coverage, covW, weights, shade };
}

const METRIC_COLUMNS = [
  "NRMSE",
  "MASE",
  "sMAPE",
  "RMSE",
  "MAE",
  "bias",
  "coverage",
  "mean width",
  "Winkler",
  "mean weight",
];

function MetricsTable(p: { r: Report }) {
  const rows: { name: string; m: Metrics; weight: number | null; fused: boolean; details: string }[] = [
    { name: "fused forecast", m: p.r.fused.metrics, weight: null, fused: true, details: "" },
    ...p.r.predictors.map((q) => ({
      name: q.name,
      m: q.metrics,
      weight: q.fused ? q.meanWeight : null,
      fused: q.fused,
      details: Object.entries(q.details)
        .filter(([, v]) => typeof v === "number" || typeof v === "string")
        .slice(0, 5)
        .map(([k, v]) => `${k} ${typeof v === "number" ? num(v, 3) : v}`)
        .join(" · "),
    })),
  ];
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways in narrow windows; keyboard users scroll it with the arrows
    <section className="table-wrap" tabIndex={0} aria-label="Metrics table (scrolls)">
      <table className="table compact" aria-label="Metrics of the fused forecast and each predictor">
        <thead>
          <tr>
            <th scope="col">forecast</th>
            {METRIC_COLUMNS.map((h) => (
              <th key={h} scope="col" className="num">
                {h}
              </th>
            ))}
            <th scope="col">details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((q) => (
            <tr key={q.name} data-predictor={q.name}>
              <td>
                {q.name}
                {q.fused ? "" : " (baseline)"}
              </td>
              <td className="num">{num(q.m.nrmse)}</td>
              <td className="num">{num(q.m.mase)}</td>
              <td className="num">{num(q.m.smape, 3)}</td>
              <td className="num">{num(q.m.rmse)}</td>
              <td className="num">{num(q.m.mae)}</td>
              <td className="num">{num(q.m.bias)}</td>
              <td className="num">{pct(q.m.coverage)}</td>
              <td className="num">{num(q.m.meanWidth)}</td>
              <td className="num">{num(q.m.winkler)}</td>
              <td className="num">{q.weight === null ? "–" : num(q.weight, 3)}</td>
              <td className="muted">{q.details}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ScorePanel(p: { r: Report }) {
  const s = p.r.score;
  const parts = ["accuracy", "calibration", "sharpness", "skill", "events"] as const;
  return (
    <Panel title={`Validation score ${num(s.total, 3)} / 100`} id="val-score">
      <table className="table compact" aria-label="Score components">
        <thead>
          <tr>
            <th scope="col">component</th>
            <th scope="col" className="num">
              value (0…1)
            </th>
            <th scope="col" className="num">
              weight
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.map((k) => (
            <tr key={k}>
              <td>{k}</td>
              <td className="num">{num(s.components[k], 3)}</td>
              <td className="num">{s.components[k] === null ? "–" : num(s.weights[k], 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <pre className="formula" data-testid="val-formula">
        {s.formula}
      </pre>
    </Panel>
  );
}

function ComparisonPanel(p: { r: Report }) {
  const r = p.r;
  return (
    <Panel title="Against the baselines" id="val-baselines">
      <p className="muted" style={{ marginTop: 0 }}>
        Best single predictor: {r.bestSingle.name} (NRMSE {num(r.bestSingle.nrmse)}); fused / best ={" "}
        {num(r.fusedVsBest, 4)}
        {r.fused.leaderShare > 0 ? `; the safeguard followed one predictor on ${pct(r.fused.leaderShare)} of rows` : ""}
        .
      </p>
      <table className="table compact" aria-label="Skill against the baselines">
        <thead>
          <tr>
            <th scope="col">baseline</th>
            <th scope="col" className="num">
              RMSE skill
            </th>
            <th scope="col" className="num">
              MAE skill
            </th>
          </tr>
        </thead>
        <tbody>
          {r.baselines.map((b) => (
            <tr key={b.baseline}>
              <td>{b.baseline}</td>
              <td className="num">{pct(b.rmseSkill)}</td>
              <td className="num">{pct(b.maeSkill)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.events && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways in narrow panels; keyboard users scroll it with the arrows
        <section className="table-wrap" tabIndex={0} aria-label="Event scores (scrolls)" style={{ marginTop: 10 }}>
          <table className="table compact" aria-label="NAB-style event scores">
            <thead>
              <tr>
                <th scope="col">detector</th>
                <th scope="col" className="num">
                  standard
                </th>
                <th scope="col" className="num">
                  low FP
                </th>
                <th scope="col" className="num">
                  low FN
                </th>
                <th scope="col" className="num">
                  windows detected
                </th>
                <th scope="col" className="num">
                  false positives
                </th>
              </tr>
            </thead>
            <tbody>
              {r.events.map((e) => (
                <tr key={e.detector}>
                  <td>{e.detector}</td>
                  <td className="num">{num(e.profiles.standard, 4)}</td>
                  <td className="num">{num(e.profiles.reward_low_FP_rate, 4)}</td>
                  <td className="num">{num(e.profiles.reward_low_FN_rate, 4)}</td>
                  <td className="num">
                    {e.windowsDetected} / {e.windows}
                  </td>
                  <td className="num">{e.falsePositives}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Panel>
  );
}

const PREDICTOR_LABELS: Record<(typeof VALIDATION_PREDICTORS)[number], string> = {
  esn: "echo-state reservoir",
  lif: "LIF spiking reservoir",
  naive: "seasonal naive",
  ets: "exponential smoothing",
};

export function ValidationView() {
  const list = useApi("streams.list", {});
  const focus = useSession((s) => s.focus);
  const [source, setSource] = useState<"stream" | "file">("stream");
  const [pick, setPick] = useState<{ agent: string; stream: string } | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [labels, setLabels] = useState<{ name: string; text: string } | null>(null);
  const [predictors, setPredictors] = useState<(typeof VALIDATION_PREDICTORS)[number][]>([...VALIDATION_PREDICTORS]);
  const [horizon, setHorizon] = useState(1);
  const [coverage, setCoverage] = useState(0.9);
  const [fusion, setFusion] = useState<"stacked" | "inverse-loss" | "equal">("stacked");
  const [units, setUnits] = useState(100);
  const [prepError, setPrepError] = useState<unknown>();
  const [preparing, setPreparing] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const labelsRef = useRef<HTMLInputElement>(null);
  const job = useJob<ValidationJobResult>();
  const streams = list.data?.streams ?? [];
  const current =
    pick ?? (focus?.stream ? focus : streams[0] ? { agent: streams[0].agent, stream: streams[0].stream } : null);
  const online = useApi(
    "streams.validation",
    source === "stream" && current ? { agent: current.agent, stream: current.stream } : null,
    { refreshMs: 10_000 },
  );

  const run = async () => {
    setPrepError(undefined);
    setPreparing(true);
    try {
      let ts: number[];
      let value: number[];
      let name: string;
      if (source === "stream") {
        if (!current) return;
        const d = await api().call("streams.series", {
          agent: current.agent,
          stream: current.stream,
          maxPoints: 200_000,
        });
        if (d.decimated)
          throw new Error(
            `${current.stream} has ${d.rows.toLocaleString()} rows; validating more than 200 000 at once needs the CLI (nqp validate)`,
          );
        ts = d.ts;
        value = d.value;
        name = `${current.agent}/${current.stream}`;
      } else {
        if (!file) return;
        const t = readSeriesCsv(file.text, { source: file.name, timeOrder: "file" });
        ts = Array.from(t.time);
        value = Array.from(t.value);
        name = file.name;
      }
      const l = labels ? parseLabels(labels.text, source === "file" && file ? file.name : name) : undefined;
      await job.run({
        kind: "validate",
        source: name,
        ts,
        value,
        labels: l,
        labelsSource: labels?.name,
        predictors,
        horizon,
        coverage,
        fusion,
        units,
      });
    } catch (err) {
      setPrepError(err);
    } finally {
      setPreparing(false);
    }
  };
  useShortcuts({ "mod+Enter": () => void run(), Escape: job.cancel });
  const report = job.result?.report;
  const version = useVersion(report);
  const plots = useMemo(() => (report ? plotData(report) : null), [report]);

  if (list.error && !list.data) return <ErrorState error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  const s = report?.series;
  const fusedNames = report ? report.predictors.filter((p) => p.fused).map((p) => p.name) : [];
  return (
    <div data-ready={report ? "validation" : "validation-idle"}>
      <Panel title="Walk-forward validation" id="val-setup">
        <div className="form-row">
          <fieldset className="segmented" aria-label="Source">
            <button type="button" aria-pressed={source === "stream"} onClick={() => setSource("stream")}>
              Stream at the hub
            </button>
            <button type="button" aria-pressed={source === "file"} onClick={() => setSource("file")}>
              Labelled file
            </button>
          </fieldset>
          {source === "stream" ? (
            streams.length ? (
              <StreamPicker id="val-stream" streams={streams} value={current} onChange={setPick} />
            ) : (
              <span className="muted">no streams at the hub yet</span>
            )
          ) : (
            <div className="toolbar" style={{ margin: 0 }}>
              <button type="button" className="btn" onClick={() => fileRef.current?.click()}>
                <FileUp size={14} aria-hidden="true" /> Series CSV
              </button>
              <span className="muted">{file?.name ?? "none"}</span>
            </div>
          )}
          <div className="toolbar" style={{ margin: 0 }}>
            <button
              type="button"
              className="btn"
              onClick={() => labelsRef.current?.click()}
              title="NAB combined_windows.json or a list of [start, end]"
            >
              <FileUp size={14} aria-hidden="true" /> Labels (optional)
            </button>
            <span className="muted">{labels?.name ?? "none"}</span>
          </div>
          <input
            ref={fileRef}
            type="file"
            hidden
            accept=".csv,text/csv"
            aria-label="Series CSV file"
            data-testid="val-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setFile({ name: f.name, text: await f.text() });
              e.target.value = "";
            }}
          />
          <input
            ref={labelsRef}
            type="file"
            hidden
            accept=".json,application/json"
            aria-label="Labels JSON file"
            data-testid="val-labels"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f) setLabels({ name: f.name, text: await f.text() });
              e.target.value = "";
            }}
          />
        </div>
        <div className="form-row" style={{ marginTop: 10 }}>
          <fieldset className="checks" aria-label="Predictors to fuse">
            <legend>Predictors</legend>
            {VALIDATION_PREDICTORS.map((name) => (
              <label key={name} title={PREDICTOR_LABELS[name]}>
                <input
                  type="checkbox"
                  checked={predictors.includes(name)}
                  onChange={(e) =>
                    setPredictors((p) =>
                      e.target.checked
                        ? VALIDATION_PREDICTORS.filter((q) => q === name || p.includes(q))
                        : p.filter((q) => q !== name),
                    )
                  }
                />{" "}
                {name}
              </label>
            ))}
          </fieldset>
          <Field label="Horizon (steps)" htmlFor="val-h">
            <input
              id="val-h"
              type="number"
              min={1}
              max={1000}
              value={horizon}
              onChange={(e) => setHorizon(Math.max(1, Math.min(1000, Number(e.target.value) || 1)))}
            />
          </Field>
          <Field label="Interval coverage" htmlFor="val-cov">
            <select id="val-cov" value={coverage} onChange={(e) => setCoverage(Number(e.target.value))}>
              {[0.8, 0.9, 0.95, 0.99].map((c) => (
                <option key={c} value={c}>
                  {c * 100} %
                </option>
              ))}
            </select>
          </Field>
          <Field label="Fusion" htmlFor="val-fusion">
            <select
              id="val-fusion"
              value={fusion}
              onChange={(e) => setFusion(e.target.value as "stacked" | "inverse-loss" | "equal")}
            >
              <option value="stacked">stacked ridge</option>
              <option value="inverse-loss">inverse loss</option>
              <option value="equal">equal weights</option>
            </select>
          </Field>
          <Field label="Reservoir units" htmlFor="val-units">
            <input
              id="val-units"
              type="number"
              min={10}
              max={1000}
              value={units}
              onChange={(e) => setUnits(Math.max(10, Math.min(1000, Number(e.target.value) || 100)))}
            />
          </Field>
        </div>
        <div style={{ marginTop: 10 }}>
          <JobBar
            job={job}
            onRun={() => void run()}
            disabled={preparing || predictors.length === 0 || (source === "stream" ? !current : !file)}
            runLabel="Validate"
          />
        </div>
      </Panel>
      {source === "stream" && current && (
        <Panel title={`Online validation at the edge — ${current.agent}/${current.stream}`} id="val-online">
          {online.data?.streams.length ? (
            <OnlineValidationTable
              rows={online.data.streams}
              showAgent={false}
              label="Online validation of the stream"
            />
          ) : online.error ? (
            <ErrorState error={online.error} retry={online.reload} />
          ) : (
            <span className="muted">
              {online.data ? "its agent has not reported validation metrics for this stream yet" : "loading…"}
            </span>
          )}
        </Panel>
      )}
      {prepError !== undefined && <ErrorState error={prepError} retry={() => void run()} />}
      {job.error && job.error.message !== "cancelled" && <ErrorState error={job.error} retry={() => void run()} />}
      {report && s && plots ? (
        <>
          <div className="stats" data-testid="val-result">
            <Stat
              label="Validation score"
              value={`${num(report.score.total, 3)} / 100`}
              tone={scoreTone(report.score.total)}
            />
            <Stat
              label="Fused NRMSE"
              value={num(report.fused.metrics.nrmse, 3)}
              tone={report.fusedVsBest !== null && report.fusedVsBest <= 1.02 ? "ok" : "warn"}
              hint={`best single: ${report.bestSingle.name} ${num(report.bestSingle.nrmse, 3)}`}
            />
            <Stat label="MASE" value={num(report.fused.metrics.mase, 3)} />
            <Stat
              label="Interval coverage"
              value={pct(report.fused.metrics.coverage)}
              tone={coverageTone(report.fused.metrics.coverage, report.settings.coverage)}
              hint={`nominal ${pct(report.settings.coverage, 0)}`}
            />
            <Stat
              label="Rows (warm-up / scored)"
              value={`${report.scoreFrom.toLocaleString()} / ${report.scoredRows.toLocaleString()}`}
            />
            {report.events?.[0] && (
              <Stat
                label="NAB score (standard)"
                value={num(report.events[0].profiles.standard, 3)}
                hint={`${report.events[0].windowsDetected} of ${report.events[0].windows} windows detected, ${report.events[0].falsePositives} false positives`}
              />
            )}
          </div>
          <div className="grid-2">
            <ScorePanel r={report} />
            <ComparisonPanel r={report} />
          </div>
          <Panel
            title="Metrics"
            id="val-metrics"
            actions={
              <button
                type="button"
                className="btn"
                onClick={() =>
                  saveText("nqp-validation.json", `${JSON.stringify(report, null, 2)}\n`, "application/json")
                }
              >
                <Download size={14} aria-hidden="true" /> Report JSON
              </button>
            }
          >
            <MetricsTable r={report} />
            <div className="muted" style={{ marginTop: 8 }}>
              {report.input.file}: {report.input.rows.toLocaleString()} rows, horizon {report.settings.horizon}, fusion{" "}
              {report.settings.fusion} of {report.settings.predictors.join(", ")}, seed {report.settings.seed},{" "}
              {num(report.seconds, 3)} s ({report.generatedBy}; the same JSON as nqp validate --report)
            </div>
          </Panel>
          <Panel
            title={`Value, fused forecast and ${pct(report.settings.coverage, 0)} interval (${report.settings.horizon} step${report.settings.horizon > 1 ? "s" : ""} ahead)`}
            id="val-forecast"
          >
            <TimeChart
              data={() => ({ x: plots.x, value: s.value, forecast: s.forecast, lower: s.lower, upper: s.upper })}
              range={() => null}
              version={version}
              height={220}
              label="value and fused forecast"
              syncKey="validation"
              regions={plots.shade}
            />
            <div className="muted" style={{ marginTop: 4 }}>
              Shaded: grey, the warm-up (not scored){report.labels ? "; red, the labelled anomaly windows" : ""}.
            </div>
          </Panel>
          <div className="grid-2">
            <Panel title={`Error over time: RMSE over the last ${plots.errW} rows`} id="val-error">
              <LinesChart
                x={plots.x}
                lines={plots.errors}
                height={200}
                label="rolling RMSE of the fused forecast and of each predictor"
                shade={plots.shade}
                syncKey="validation"
              />
            </Panel>
            <Panel
              title={`Coverage over the last ${plots.covW} rows (nominal ${pct(report.settings.coverage, 0)})`}
              id="val-coverage"
            >
              <LinesChart
                x={plots.x}
                lines={plots.coverage}
                height={200}
                label="rolling empirical coverage against the nominal rate"
                yRange={[0.5, 1]}
                reference={{ value: report.settings.coverage, label: "nominal" }}
                shade={plots.shade}
                syncKey="validation"
              />
            </Panel>
          </div>
          <Panel title={`Per-predictor weights in the fused forecast (${fusedNames.join(", ")})`} id="val-weights">
            <LinesChart
              x={plots.x}
              lines={plots.weights}
              height={180}
              label="weights of the predictors in the fused forecast"
              yRange={[-0.02, 1.02]}
              shade={plots.shade}
              syncKey="validation"
            />
          </Panel>
          {s.anomalyScore && report.events && (
            <Panel title={`NAB-style scoring — ${report.labels?.windows.length ?? 0} labelled window(s)`} id="val-nab">
              <div className="muted" style={{ marginBottom: 6 }}>
                {report.events[0].detector}, threshold {num(report.events[0].threshold, 4)}; windows:{" "}
                {(report.labels?.windows ?? [])
                  .map(
                    ([a, b]) => `${new Date(a).toISOString().slice(0, 16)} → ${new Date(b).toISOString().slice(0, 16)}`,
                  )
                  .join("; ")}
              </div>
              <TimeChart
                data={() => ({ x: plots.x, value: s.anomalyScore ?? [], score: s.anomalyScore ?? [] })}
                range={() => null}
                version={version}
                height={90}
                label="detector anomaly score"
                mode="score"
                regions={plots.shade}
                threshold={report.events[0].threshold}
              />
            </Panel>
          )}
        </>
      ) : (
        !job.running && (
          <Empty title="No report yet" hint="Pick a stream or a labelled file, then Validate (Ctrl+Enter)." />
        )
      )}
    </div>
  );
}
