import type { StreamPoints, StreamSummary } from "@nqp/contract/api";
import { readSeriesCsv } from "@nqp/contract/formats";
import { Download, FileUp, Image, Radio, X } from "lucide-react";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { api } from "../api/client";
import { type ChartData, TimeChart, type TimeChartHandle } from "../charts/TimeChart";
import { Empty, ErrorState, Loading, Panel } from "../components/common";
import { OnlineValidationTable } from "../components/OnlineValidation";
import { saveBlob, saveText, toCsv } from "../download";
import { num, time } from "../format";
import { useShortcuts } from "../shortcuts";
import {
  appendPoints,
  buffers,
  type Columns,
  extentOf,
  hubBuffer,
  MAX_COMPARE,
  type StreamBuffer,
  streamKey,
  useExplorer,
} from "../state/explorer";
import { useSession } from "../state/session";
import { useApi } from "../state/useApi";

/** Charts per stream key, with whether they are on screen (off-screen charts skip live redraws until shown). */
/** The focus the explorer last picked streams for ("" for none): picks happen once per focus. */
let autoPicked: string | undefined;

const charts = new Map<string, Set<{ handle: TimeChartHandle; visible: boolean; dirty: boolean }>>();
const headers = new Map<string, (b: StreamBuffer) => void>();

function currentRange(): [number, number] | null {
  const s = useExplorer.getState();
  if (s.live) {
    const e = extentOf(s.selected);
    return e ? [e[1] - s.liveSpan, e[1]] : null;
  }
  return s.range;
}

let frame = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastLiveDraw = 0;
const dirtyKeys = new Set<string>();
/**
 * Data arrives at 10 Hz per stream; following live, the whole view (every visible chart) is redrawn at most that
 * often, in one animation frame, however the 10 Hz pushes of many streams spread over a 100 ms period. Off-screen
 * charts only mark themselves dirty and redraw when scrolled into view.
 */
const LIVE_INTERVAL_MS = 100;
function scheduleRedraw(key?: string): void {
  if (key) dirtyKeys.add(key);
  if (frame || timer) return;
  const live = useExplorer.getState().live;
  const wait = live ? LIVE_INTERVAL_MS - (performance.now() - lastLiveDraw) : 0;
  if (wait > 0) {
    timer = setTimeout(() => {
      timer = undefined;
      scheduleRedraw();
    }, wait);
    return;
  }
  frame = requestAnimationFrame(() => {
    frame = 0;
    const live = useExplorer.getState().live;
    if (live) lastLiveDraw = performance.now();
    const keys = live ? useExplorer.getState().selected : [...dirtyKeys];
    dirtyKeys.clear();
    for (const k of keys) {
      const set = charts.get(k);
      const visible = set ? [...set].some((c) => c.visible) : false;
      const b = buffers.get(k);
      if (b && visible) headers.get(k)?.(b);
      for (const c of set ?? []) {
        if (c.visible) {
          c.handle.redraw();
          c.dirty = false;
        } else c.dirty = true;
      }
    }
  });
}

function dataOf(b: StreamBuffer | undefined, range: [number, number] | null): ChartData {
  if (!b) return { x: [], value: [] };
  const d = b.detail;
  const cols: Columns =
    d && range && !useExplorer.getState().live && d.from <= range[0] + 1 && d.to >= range[1] - 1 ? d.cols : b.overview;
  return { ...cols, anomalies: b.anomalies };
}

const PRESETS: { label: string; ms: number | null }[] = [
  { label: "All", ms: null },
  { label: "90 d", ms: 90 * 86_400_000 },
  { label: "30 d", ms: 30 * 86_400_000 },
  { label: "7 d", ms: 7 * 86_400_000 },
  { label: "1 d", ms: 86_400_000 },
  { label: "1 h", ms: 3_600_000 },
];

const StreamPanel = memo(function StreamPanel(p: { k: string; index: number; compact: boolean }) {
  const version = useExplorer((s) => s.version);
  const showBand = useExplorer((s) => s.showBand);
  const showForecast = useExplorer((s) => s.showForecast);
  const setRange = useExplorer((s) => s.setRange);
  const toggle = useExplorer((s) => s.toggle);
  const valueRef = useRef<TimeChartHandle>(null);
  const scoreRef = useRef<TimeChartHandle>(null);
  const root = useRef<HTMLElement>(null);
  const meta = useRef<HTMLDivElement>(null);
  const b = buffers.get(p.k);

  // biome-ignore lint/correctness/useExhaustiveDependencies: compact panels have no score strip, so the charts change
  useEffect(() => {
    const entries = [valueRef, scoreRef]
      .filter((r) => r.current !== null)
      .map((r) => ({
        handle: r.current as TimeChartHandle,
        visible: true,
        dirty: false,
      }));
    const set = charts.get(p.k) ?? new Set();
    for (const e of entries) if (e.handle) set.add(e);
    charts.set(p.k, set);
    const io = new IntersectionObserver((items) => {
      const visible = items.some((i) => i.isIntersecting);
      for (const e of entries) {
        e.visible = visible;
        if (visible && e.dirty) {
          e.handle.redraw();
          e.dirty = false;
        }
      }
      const buf = buffers.get(p.k);
      if (visible && buf) write(buf);
    });
    if (root.current) io.observe(root.current);
    const write = (buf: StreamBuffer) => {
      const el = meta.current;
      if (!el) return;
      const l = buf.latest;
      el.querySelector("[data-k=value]")!.textContent = num(l?.value);
      el.querySelector("[data-k=forecast]")!.textContent = num(l?.forecast);
      el.querySelector("[data-k=interval]")!.textContent =
        l && l.lower !== null ? `${num(l.lower)} … ${num(l.upper)}` : "–";
      el.querySelector("[data-k=score]")!.textContent = num(l?.anomalyScore, 2);
      el.querySelector("[data-k=rows]")!.textContent = buf.rows.toLocaleString();
      el.querySelector("[data-k=anomalies]")!.textContent = String(buf.anomalies.x.length);
      el.querySelector("[data-k=time]")!.textContent = time(l?.ts);
    };
    headers.set(p.k, write);
    if (b) write(b);
    return () => {
      io.disconnect();
      for (const e of entries) set.delete(e);
      headers.delete(p.k);
    };
  }, [p.k, b, p.compact]);

  if (!b) return <Loading label="Loading stream…" />;
  const colors = [
    "--series-1",
    "--series-2",
    "--series-3",
    "--series-4",
    "--series-5",
    "--series-6",
    "--series-7",
    "--series-8",
  ];
  const color = getComputedStyle(document.documentElement)
    .getPropertyValue(colors[p.index % colors.length])
    .trim();
  const label = b.source === "file" ? `file ${b.stream}` : `${b.stream} on ${b.agent}`;
  return (
    <section className="panel stream-panel" ref={root} aria-label={label} data-stream={b.stream}>
      <div className="panel-head">
        <h2 className="panel-title">
          <span className="swatch" style={{ background: color }} aria-hidden="true" />
          {b.stream} <span className="muted">{b.source === "file" ? "imported file" : b.agent}</span>
        </h2>
        <div className="stream-meta" ref={meta}>
          <span>
            value <b data-k="value">–</b>
          </span>
          <span>
            forecast <b data-k="forecast">–</b>
          </span>
          <span>
            interval <b data-k="interval">–</b>
          </span>
          <span>
            score <b data-k="score">–</b>
          </span>
          <span>
            rows <b data-k="rows">–</b>
          </span>
          <span>
            anomalies <b data-k="anomalies">–</b>
          </span>
          <span data-k="time" />
          <button
            type="button"
            className="icon-btn"
            aria-label={`Remove ${b.stream} from the comparison`}
            onClick={() => toggle(p.k)}
          >
            <X size={14} />
          </button>
        </div>
      </div>
      <div className="panel-body">
        <TimeChart
          ref={valueRef}
          data={() => dataOf(buffers.get(p.k), currentRange())}
          range={currentRange}
          version={version}
          onRangeChange={setRange}
          height={p.compact ? 110 : 200}
          label={label}
          showBand={showBand}
          showForecast={showForecast}
          syncKey="explorer"
          color={color}
        />
        {/* Comparing many streams, panels are compact: the score is in the header and anomalies are marked on the
            plot; the separate score strip is shown for up to four streams. */}
        {!p.compact && (
          <TimeChart
            ref={scoreRef}
            data={() => dataOf(buffers.get(p.k), currentRange())}
            range={currentRange}
            version={version}
            onRangeChange={setRange}
            height={p.compact ? 40 : 64}
            label={`${label} anomaly score`}
            mode="score"
            threshold={0.5}
            syncKey="explorer"
          />
        )}
      </div>
    </section>
  );
});

function StreamList(p: { streams: StreamSummary[]; onImport: (f: File) => void }) {
  const selected = useExplorer((s) => s.selected);
  const toggle = useExplorer((s) => s.toggle);
  const [filter, setFilter] = useState("");
  const f = filter.trim().toLowerCase();
  const rows = p.streams.filter((s) => !f || `${s.agent} ${s.stream}`.toLowerCase().includes(f));
  const fileInput = useRef<HTMLInputElement>(null);
  const files = [...buffers.values()].filter((b) => b.source === "file");
  return (
    <Panel
      title={`Streams (${p.streams.length})`}
      id="streams"
      actions={
        <>
          <button
            type="button"
            className="btn"
            onClick={() => fileInput.current?.click()}
            title="Import a CSV series (timestamp,value)"
          >
            <FileUp size={14} aria-hidden="true" /> Import CSV
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv"
            hidden
            aria-label="Import a CSV series"
            data-testid="explorer-import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) p.onImport(file);
              e.target.value = "";
            }}
          />
        </>
      }
    >
      <label className="visually-hidden" htmlFor="stream-filter">
        Filter streams
      </label>
      <input
        id="stream-filter"
        type="search"
        placeholder="Filter streams  ( / )"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        data-search
        style={{ width: "100%", marginBottom: 6 }}
      />
      <ul className="list" aria-label="Streams">
        {[
          ...files.map((b) => ({ key: b.key, agent: "file", stream: b.stream, latest: b.latest })),
          ...rows.map((s) => ({
            key: streamKey(s.agent, s.stream),
            agent: s.agent,
            stream: s.stream,
            latest: s.latest,
          })),
        ].map((s) => {
          const id = `pick-${s.key.replace(/[^A-Za-z0-9]/g, "_")}`;
          return (
            <li key={s.key}>
              <div className="list-item">
                <input
                  id={id}
                  type="checkbox"
                  checked={selected.includes(s.key)}
                  onChange={() => toggle(s.key)}
                  disabled={!selected.includes(s.key) && selected.length >= MAX_COMPARE}
                />
                <label htmlFor={id} className="grow" title={`${s.stream} (${s.agent})`}>
                  {s.stream} <span className="muted">{s.agent}</span>
                </label>
                <span className="mono">{num(s.latest?.value)}</span>
                {s.latest && s.latest.anomalyScore >= 0.5 && (
                  <span className="badge bad">{num(s.latest.anomalyScore, 2)}</span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {p.streams.length === 0 && files.length === 0 && (
        <Empty title="No streams yet" hint="Streams appear when agents sync predictions, or import a CSV file." />
      )}
    </Panel>
  );
}

export function ExplorerView() {
  const list = useApi("streams.list", {}, { refreshMs: 5000 });
  const validation = useApi("streams.validation", {}, { refreshMs: 10_000 });
  const selected = useExplorer((s) => s.selected);
  const select = useExplorer((s) => s.select);
  const live = useExplorer((s) => s.live);
  const setLive = useExplorer((s) => s.setLive);
  const liveSpan = useExplorer((s) => s.liveSpan);
  const setLiveSpan = useExplorer((s) => s.setLiveSpan);
  const range = useExplorer((s) => s.range);
  const setRange = useExplorer((s) => s.setRange);
  const showBand = useExplorer((s) => s.showBand);
  const setShowBand = useExplorer((s) => s.setShowBand);
  const showForecast = useExplorer((s) => s.showForecast);
  const setShowForecast = useExplorer((s) => s.setShowForecast);
  const bump = useExplorer((s) => s.bump);
  const focus = useSession((s) => s.focus);
  const notify = useSession((s) => s.notify);
  const [loadError, setLoadError] = useState<unknown>();
  const streams = list.data?.streams ?? [];

  // First visit (or a new focus from another view): pick the focused stream, the focused agent's first streams, or
  // the fleet's first streams. An analyst who then unticks everything is left with an empty comparison.
  useEffect(() => {
    if (!streams.length) return;
    const want = focus ? `${focus.agent}\u0000${focus.stream}` : "";
    if (autoPicked === want) return;
    autoPicked = want;
    if (selected.length && !focus) return;
    const pick = focus?.stream
      ? [streamKey(focus.agent, focus.stream)]
      : streams
          .filter((s) => !focus?.agent || s.agent === focus.agent)
          .slice(0, focus?.agent ? 4 : 2)
          .map((s) => streamKey(s.agent, s.stream));
    select(pick);
  }, [streams.length, selected.length, focus, select, streams]);

  // Load the series of newly selected hub streams, and subscribe to their live points.
  const selectedKey = selected.join("\u0001");
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the selection's content, not the array's identity
  useEffect(() => {
    let cancelled = false;
    const hub = selected.filter((k) => !k.startsWith("file\u0000"));
    for (const k of hub) {
      if (buffers.has(k)) continue;
      const [agent, stream] = k.split("\u0000");
      api()
        .call("streams.series", { agent, stream, maxPoints: 4000 })
        .then((d) => {
          if (cancelled) return;
          buffers.set(k, hubBuffer(d));
          bump();
        }, setLoadError);
    }
    void api()
      .call("streams.subscribe", {
        streams: hub.map((k) => {
          const [agent, stream] = k.split("\u0000");
          return { agent, stream };
        }),
      })
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [selectedKey]);

  useEffect(
    () =>
      api().on("streams.points", (p: StreamPoints) => {
        const k = streamKey(p.agent, p.stream);
        const b = buffers.get(k);
        if (b && appendPoints(b, p)) scheduleRedraw(k);
      }),
    [],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new live window must be drawn at once
  useEffect(() => {
    if (live) scheduleRedraw();
  }, [live, liveSpan]);

  // Zoomed in: fetch the range at the plot's resolution for streams whose overview is decimated.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on the range's ends and the selection's content
  useEffect(() => {
    if (!range || live) return;
    const t = setTimeout(() => {
      for (const k of selected) {
        const b = buffers.get(k);
        if (b?.source !== "hub" || !b.coarse) continue;
        const d = b.detail;
        if (d !== null && d.from <= range[0] && d.to >= range[1] && !d.coarse) continue;
        const span = range[1] - range[0];
        const from = range[0] - span * 0.25;
        const to = range[1] + span * 0.25;
        api()
          .call("streams.series", { agent: b.agent, stream: b.stream, from, to, maxPoints: 4000 })
          .then((d) => {
            b.detail = {
              from,
              to,
              cols: { x: d.ts, value: d.value, forecast: d.forecast, lower: d.lower, upper: d.upper, score: d.score },
              coarse: d.decimated,
            };
            bump();
          }, setLoadError);
      }
    }, 150);
    return () => clearTimeout(t);
  }, [range?.[0], range?.[1], live, selectedKey]);

  const importFile = async (file: File) => {
    try {
      const text = await file.text();
      const t0 = performance.now();
      const table = readSeriesCsv(text, { source: file.name, timeOrder: "file" });
      const n = table.time.length;
      const key = `file\u0000${file.name}`;
      buffers.set(key, {
        key,
        source: "file",
        agent: "file",
        stream: file.name,
        overview: { x: table.time, value: table.value, forecast: [], lower: [], upper: [], score: [] },
        coarse: false,
        detail: null,
        anomalies: { x: [], value: [] },
        rows: n,
        lastSeq: 0,
        latest: {
          ts: table.time[n - 1],
          value: table.value[n - 1],
          forecast: null,
          lower: null,
          upper: null,
          anomalyScore: 0,
          isAnomaly: false,
        },
      });
      performance.measure("explorer:parse", { start: t0 });
      if (!useExplorer.getState().selected.includes(key)) useExplorer.getState().toggle(key);
      bump();
      notify("info", `imported ${n.toLocaleString()} rows from ${file.name}`);
      void api()
        .call("imports.save", { name: file.name, kind: "series", text })
        .catch(() => {});
    } catch (err) {
      notify("error", (err as Error).message);
    }
  };

  const exportCsv = async () => {
    const r = currentRange() ?? extentOf(selected);
    if (!r) return;
    const rows: (string | number | null)[][] = [];
    let note = "";
    for (const k of selected) {
      const b = buffers.get(k);
      if (!b) continue;
      let cols: Columns = b.overview;
      if (b.source === "hub" && b.coarse) {
        const d = await api().call("streams.series", {
          agent: b.agent,
          stream: b.stream,
          from: r[0],
          to: r[1],
          maxPoints: 200_000,
        });
        cols = { x: d.ts, value: d.value, forecast: d.forecast, lower: d.lower, upper: d.upper, score: d.score };
        if (d.decimated) note = " (some ranges exceed 200 000 rows and were exported min/max-decimated)";
      }
      for (let i = 0; i < cols.x.length; i++) {
        const x = cols.x[i];
        if (x < r[0] || x > r[1]) continue;
        rows.push([
          b.agent,
          b.stream,
          new Date(x).toISOString(),
          cols.value[i],
          cols.forecast[i] ?? null,
          cols.lower[i] ?? null,
          cols.upper[i] ?? null,
          cols.score[i] ?? null,
        ]);
      }
    }
    saveText(
      "nqp-streams.csv",
      toCsv(["agent", "stream", "timestamp", "value", "forecast", "lower", "upper", "anomaly_score"], rows),
      "text/csv",
    );
    notify("info", `exported ${rows.length.toLocaleString()} rows${note}`);
  };

  const exportPng = () => {
    const canvases: { title: string; canvas: HTMLCanvasElement }[] = [];
    for (const k of selected) {
      const b = buffers.get(k);
      for (const c of charts.get(k) ?? []) {
        const cv = c.handle.canvas();
        if (cv && b) canvases.push({ title: `${b.stream} (${b.agent})`, canvas: cv });
      }
    }
    if (!canvases.length) return;
    const w = Math.max(...canvases.map((c) => c.canvas.width));
    const pad = 28;
    const h = canvases.reduce((s, c) => s + c.canvas.height + pad, 0);
    const out = document.createElement("canvas");
    out.width = w;
    out.height = h;
    const ctx = out.getContext("2d");
    if (!ctx) return;
    const css = getComputedStyle(document.documentElement);
    ctx.fillStyle = css.getPropertyValue("--surface").trim();
    ctx.fillRect(0, 0, w, h);
    let y = 0;
    ctx.font = `${14 * devicePixelRatio}px system-ui, sans-serif`;
    for (const c of canvases) {
      ctx.fillStyle = css.getPropertyValue("--text").trim();
      ctx.fillText(c.title, 8, y + 19);
      ctx.drawImage(c.canvas, 0, y + pad);
      y += c.canvas.height + pad;
    }
    out.toBlob((blob) => blob && saveBlob("nqp-streams.png", blob), "image/png");
  };

  useShortcuts({
    l: () => setLive(!useExplorer.getState().live),
    e: () => void exportCsv(),
    p: exportPng,
  });

  const presetActive = (ms: number | null) => {
    if (live) return false;
    if (ms === null) return range === null;
    return range !== null && Math.abs(range[1] - range[0] - ms) < 1000;
  };
  const compact = selected.length > 4;
  const onlineRows = (validation.data?.streams ?? []).filter((v) => selected.includes(streamKey(v.agent, v.stream)));
  // biome-ignore lint/correctness/useExhaustiveDependencies: panels change with the selection's content only
  const panels = useMemo(
    () => selected.map((k, i) => <StreamPanel key={k} k={k} index={i} compact={compact} />),
    [selectedKey, compact],
  );

  if (list.error && !list.data) return <ErrorState error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading label="Loading streams…" />;
  return (
    <div className="split" data-ready="explorer">
      <StreamList streams={streams} onImport={importFile} />
      <div>
        <div className="toolbar" role="toolbar" aria-label="Explorer controls">
          <fieldset className="segmented" aria-label="Time range">
            {PRESETS.map((p) => (
              <button
                key={p.label}
                type="button"
                aria-pressed={presetActive(p.ms)}
                onClick={() => {
                  const e = extentOf(selected);
                  setRange(p.ms === null || !e ? null : [e[1] - p.ms, e[1]]);
                }}
              >
                {p.label}
              </button>
            ))}
          </fieldset>
          <button
            type="button"
            className="btn toggle"
            aria-pressed={live}
            onClick={() => setLive(!live)}
            title="Follow live data (l)"
          >
            <Radio size={14} aria-hidden="true" /> Live
          </button>
          {live && (
            <>
              <label className="visually-hidden" htmlFor="live-span">
                Live window
              </label>
              <select id="live-span" value={liveSpan} onChange={(e) => setLiveSpan(Number(e.target.value))}>
                <option value={600_000}>10 min</option>
                <option value={3_600_000}>1 h</option>
                <option value={6 * 3_600_000}>6 h</option>
                <option value={86_400_000}>1 d</option>
                <option value={7 * 86_400_000}>7 d</option>
              </select>
            </>
          )}
          <button
            type="button"
            className="btn toggle"
            aria-pressed={showForecast}
            onClick={() => setShowForecast(!showForecast)}
          >
            Forecast
          </button>
          <button type="button" className="btn toggle" aria-pressed={showBand} onClick={() => setShowBand(!showBand)}>
            Interval
          </button>
          <span className="spacer" />
          <span className="muted">
            {range ? `${time(range[0])} → ${time(range[1])}` : live ? "following live" : "whole extent"}
          </span>
          <button
            type="button"
            className="btn"
            onClick={() => void exportCsv()}
            disabled={!selected.length}
            title="Export the visible range (e)"
          >
            <Download size={14} aria-hidden="true" /> CSV
          </button>
          <button
            type="button"
            className="btn"
            onClick={exportPng}
            disabled={!selected.length}
            title="Export the charts (p)"
          >
            <Image size={14} aria-hidden="true" /> PNG
          </button>
        </div>
        {loadError !== undefined && <ErrorState error={loadError} retry={() => setLoadError(undefined)} />}
        <div className="legend" aria-hidden="true" style={{ marginBottom: 8 }}>
          <span>
            <span className="swatch" style={{ background: "var(--chart-value)" }} /> value
          </span>
          <span>
            <span className="swatch" style={{ background: "var(--chart-forecast)" }} /> forecast
          </span>
          <span>
            <span className="swatch" style={{ background: "var(--chart-band)", height: 8 }} /> interval
          </span>
          <span>
            <span className="swatch" style={{ background: "var(--danger)", height: 8, width: 8, borderRadius: 4 }} />{" "}
            anomaly
          </span>
          <span className="muted">wheel: zoom · shift+wheel: pan · drag: select · double-click: reset</span>
        </div>
        {selected.length === 0 ? (
          <Empty
            title="No stream selected"
            hint="Tick streams on the left to plot and compare them, or import a CSV file."
          />
        ) : (
          panels
        )}
        {onlineRows.length > 0 && (
          <Panel title="Online validation of these streams (reported by their agents)" id="explorer-validation">
            <OnlineValidationTable rows={onlineRows} label="Online validation of the plotted streams" />
          </Panel>
        )}
      </div>
    </div>
  );
}
