import type { ValidationJobResult } from "@nqp/contract/api";
import { readSeriesCsv } from "@nqp/contract/formats";
import { parseTimestamp } from "@nqp/contract/formats/timestamp";
import { Download, FileUp } from "lucide-react";
import { useRef, useState } from "react";
import { api } from "../api/client";
import { TimeChart } from "../charts/TimeChart";
import { Empty, ErrorState, Field, Loading, Panel, Stat } from "../components/common";
import { JobBar } from "../components/JobBar";
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

function MetricsTable(p: { r: ValidationJobResult }) {
  const rows: [string, (m: ValidationJobResult["test"]) => string][] = [
    ["RMSE", (m) => num(m.rmse)],
    ["NRMSE", (m) => num(m.nrmse)],
    ["MAE", (m) => num(m.mae)],
    ["MASE", (m) => num(m.mase)],
    [`coverage (target ${pct(p.r.coverageTarget, 0)})`, (m) => pct(m.coverage)],
    ["mean interval width", (m) => num(m.meanWidth)],
    ["rows scored", (m) => m.rows.toLocaleString()],
  ];
  return (
    <table className="table compact" aria-label="Backtest metrics">
      <thead>
        <tr>
          <th scope="col">metric</th>
          <th scope="col" className="num">
            reservoir forecaster
          </th>
          <th scope="col" className="num">
            {p.r.baseline.name}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, f]) => (
          <tr key={label}>
            <td>{label}</td>
            <td className="num">{f(p.r.test)}</td>
            <td className="num">{f(p.r.baseline)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ValidationView() {
  const list = useApi("streams.list", {});
  const focus = useSession((s) => s.focus);
  const [source, setSource] = useState<"stream" | "file">("stream");
  const [pick, setPick] = useState<{ agent: string; stream: string } | null>(null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [labels, setLabels] = useState<{ name: string; text: string } | null>(null);
  const [horizon, setHorizon] = useState(1);
  const [coverage, setCoverage] = useState(0.9);
  const [train, setTrain] = useState(0.5);
  const [units, setUnits] = useState(100);
  const [prepError, setPrepError] = useState<unknown>();
  const [preparing, setPreparing] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const labelsRef = useRef<HTMLInputElement>(null);
  const job = useJob<ValidationJobResult>();
  const streams = list.data?.streams ?? [];
  const current =
    pick ?? (focus?.stream ? focus : streams[0] ? { agent: streams[0].agent, stream: streams[0].stream } : null);

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
            `${current.stream} has ${d.rows.toLocaleString()} rows; validating more than 200 000 at once needs the CLI (nqp forecast)`,
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
        horizon,
        coverage,
        trainFraction: train,
        units,
      });
    } catch (err) {
      setPrepError(err);
    } finally {
      setPreparing(false);
    }
  };
  useShortcuts({ "mod+Enter": () => void run(), Escape: job.cancel });
  const r = job.result;
  const version = useVersion(r);
  const plot = r?.plot;
  const windows = r?.nab?.windowsAt ?? [];

  if (list.error && !list.data) return <ErrorState error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  return (
    <div data-ready={r ? "validation" : "validation-idle"}>
      <Panel title="Backtest" id="val-setup">
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
          <Field label="Horizon (steps)" htmlFor="val-h">
            <input
              id="val-h"
              type="number"
              min={1}
              max={100}
              value={horizon}
              onChange={(e) => setHorizon(Math.max(1, Math.min(100, Number(e.target.value) || 1)))}
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
          <Field label="Training share" htmlFor="val-train">
            <select id="val-train" value={train} onChange={(e) => setTrain(Number(e.target.value))}>
              {[0.3, 0.5, 0.7].map((c) => (
                <option key={c} value={c}>
                  {c * 100} %
                </option>
              ))}
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
            disabled={preparing || (source === "stream" ? !current : !file)}
            runLabel="Validate"
          />
        </div>
      </Panel>
      {prepError !== undefined && <ErrorState error={prepError} retry={() => void run()} />}
      {job.error && job.error.message !== "cancelled" && <ErrorState error={job.error} retry={() => void run()} />}
      {r && plot ? (
        <>
          <div className="stats" data-testid="val-result">
            <Stat
              label="Test NRMSE"
              value={num(r.test.nrmse, 3)}
              tone={r.test.nrmse <= r.baseline.nrmse ? "ok" : "warn"}
              hint={`baseline ${num(r.baseline.nrmse, 3)}`}
            />
            <Stat label="MASE" value={num(r.test.mase, 3)} />
            <Stat
              label="Interval coverage"
              value={pct(r.test.coverage)}
              tone={Math.abs(r.test.coverage - r.coverageTarget) <= 0.03 ? "ok" : "warn"}
              hint={`target ${pct(r.coverageTarget, 0)}`}
            />
            <Stat
              label="Rows (train / test)"
              value={`${r.trainRows.toLocaleString()} / ${(r.rows - r.trainRows).toLocaleString()}`}
            />
            {r.nab && (
              <Stat
                label="NAB score (standard)"
                value={num(r.nab.score, 3)}
                hint={`${r.nab.detected} of ${r.nab.windows} windows detected, ${r.nab.falsePositives} false-positive rows`}
              />
            )}
          </div>
          <div className="grid-2">
            <Panel
              title="Metrics"
              id="val-metrics"
              actions={
                <button
                  type="button"
                  className="btn"
                  onClick={() => saveText("nqp-validation.json", `${JSON.stringify(r, null, 2)}\n`, "application/json")}
                >
                  <Download size={14} aria-hidden="true" /> Report JSON
                </button>
              }
            >
              <MetricsTable r={r} />
              <div className="muted" style={{ marginTop: 8 }}>
                Model:{" "}
                {Object.entries(r.model)
                  .map(([k, v]) => `${k} ${typeof v === "number" ? num(v, 3) : v}`)
                  .join(" · ")}
              </div>
            </Panel>
            <Panel title="Interval coverage over the test part" id="val-coverage">
              <TimeChart
                data={() => ({ x: plot.ts, value: plot.coverage })}
                range={() => null}
                version={version}
                height={180}
                label="running interval coverage"
                showBand={false}
                showForecast={false}
                syncKey="validation"
                color="var(--chart-score)"
              />
            </Panel>
          </div>
          <Panel title="Value, forecast and interval (test part)" id="val-forecast">
            <TimeChart
              data={() => ({
                x: plot.ts,
                value: plot.value,
                forecast: plot.forecast,
                lower: plot.lower,
                upper: plot.upper,
              })}
              range={() => null}
              version={version}
              height={220}
              label="backtest forecast"
              syncKey="validation"
            />
          </Panel>
          <Panel title="Forecast error over time" id="val-error">
            <TimeChart
              data={() => ({ x: plot.ts, value: plot.error })}
              range={() => null}
              version={version}
              height={120}
              label="forecast error"
              showBand={false}
              showForecast={false}
              syncKey="validation"
              color="var(--danger)"
            />
          </Panel>
          {r.nab && (
            <Panel title={`NAB-style scoring — ${windows.length} labelled window(s)`} id="val-nab">
              <div className="muted" style={{ marginBottom: 6 }}>
                score {num(r.nab.score, 4)} (profile {r.nab.profile}, threshold {r.nab.threshold}); windows:{" "}
                {windows
                  .map(
                    ([a, b]) => `${new Date(a).toISOString().slice(0, 16)} → ${new Date(b).toISOString().slice(0, 16)}`,
                  )
                  .join("; ")}
              </div>
              <TimeChart
                data={() => ({ x: r.nab?.scoresTs ?? [], value: r.nab?.scores ?? [], score: r.nab?.scores ?? [] })}
                range={() => null}
                version={version}
                height={90}
                label="detector anomaly score"
                mode="score"
                threshold={r.nab.threshold}
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
