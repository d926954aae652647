import type { SpikeJobResult } from "@nqp/contract/api";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { Raster } from "../charts/Raster";
import { TimeChart } from "../charts/TimeChart";
import { Empty, ErrorState, Field, Loading, Panel, Stat } from "../components/common";
import { JobBar } from "../components/JobBar";
import { fetchWindow, StreamPicker } from "../components/StreamPicker";
import { num, pct, time } from "../format";
import { useShortcuts } from "../shortcuts";
import { useJob } from "../state/jobs";
import { useSession } from "../state/session";
import { useApi } from "../state/useApi";
import { useVersion } from "../state/version";

export function SpikesView() {
  const list = useApi("streams.list", {});
  const focus = useSession((s) => s.focus);
  const setFocus = useSession((s) => s.setFocus);
  const [pick, setPick] = useState<{ agent: string; stream: string } | null>(null);
  const [rows, setRows] = useState(600);
  const [encoder, setEncoder] = useState<"delta" | "population" | "rate">("population");
  const [channels, setChannels] = useState(16);
  const [units, setUnits] = useState(120);
  const [fetchError, setFetchError] = useState<unknown>();
  const job = useJob<SpikeJobResult>();
  const streams = list.data?.streams ?? [];
  const current =
    pick ?? (focus?.stream ? focus : streams[0] ? { agent: streams[0].agent, stream: streams[0].stream } : null);
  const summary = streams.find((s) => s.agent === current?.agent && s.stream === current?.stream);

  const run = async () => {
    if (!summary) return;
    setFetchError(undefined);
    try {
      const w = await fetchWindow(
        (from, to) =>
          api().call("streams.series", { agent: summary.agent, stream: summary.stream, from, to, maxPoints: 20_000 }),
        summary,
        rows,
        focus?.stream === summary.stream && focus.agent === summary.agent ? focus.ts : undefined,
      );
      await job.run({ kind: "spikes", ts: w.ts, value: w.value, encoder, channels, units });
    } catch (err) {
      setFetchError(err);
    }
  };

  // Run once a stream is known, and again when the stream or the settings change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: run reads the current settings
  useEffect(() => {
    if (summary) void run();
  }, [summary?.agent, summary?.stream, encoder, rows, channels, units]);

  useShortcuts({ "mod+Enter": () => void run(), Escape: job.cancel });

  const r = job.result;
  const version = useVersion(r);
  if (list.error && !list.data) return <ErrorState error={list.error} retry={list.reload} />;
  if (!list.data) return <Loading />;
  if (!streams.length) return <Empty title="No streams yet" hint="The spike view needs a stream with data." />;
  return (
    <div data-ready={r ? "spikes" : undefined}>
      <Panel title="Window and encoding" id="spike-settings">
        <div className="form-row">
          <StreamPicker
            id="spike-stream"
            streams={streams}
            value={current}
            onChange={(v) => {
              setPick(v);
              setFocus({ ...v });
            }}
          />
          <Field label="Samples" htmlFor="spike-rows">
            <select id="spike-rows" value={rows} onChange={(e) => setRows(Number(e.target.value))}>
              {[200, 600, 1000, 2000, 5000].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Encoder" htmlFor="spike-encoder">
            <select id="spike-encoder" value={encoder} onChange={(e) => setEncoder(e.target.value as typeof encoder)}>
              <option value="population">Population (Gaussian fields)</option>
              <option value="delta">Send-on-delta (ON/OFF)</option>
              <option value="rate">Rate</option>
            </select>
          </Field>
          <Field label="Channels" htmlFor="spike-channels">
            <input
              id="spike-channels"
              type="number"
              min={3}
              max={64}
              value={channels}
              disabled={encoder === "delta"}
              onChange={(e) => setChannels(Math.max(3, Math.min(64, Number(e.target.value) || 16)))}
            />
          </Field>
          <Field label="Reservoir units (LIF)" htmlFor="spike-units">
            <input
              id="spike-units"
              type="number"
              min={8}
              max={1000}
              value={units}
              onChange={(e) => setUnits(Math.max(8, Math.min(1000, Number(e.target.value) || 120)))}
            />
          </Field>
        </div>
        <div style={{ marginTop: 10 }}>
          <JobBar job={job} onRun={() => void run()} disabled={!summary} />
        </div>
      </Panel>
      {fetchError !== undefined && <ErrorState error={fetchError} retry={() => void run()} />}
      {job.error && job.error.message !== "cancelled" && <ErrorState error={job.error} retry={() => void run()} />}
      {r && (
        <>
          <div className="stats">
            <Stat
              label="Window"
              value={`${r.stats.steps} samples`}
              hint={`${time(r.ts[0])} → ${time(r.ts[r.ts.length - 1])}`}
            />
            <Stat label="Input spikes" value={r.stats.inputSpikes.toLocaleString()} />
            <Stat label="Reservoir spikes" value={r.stats.reservoirSpikes.toLocaleString()} />
            <Stat label="Mean firing rate" value={pct(r.stats.meanRate, 2)} hint="share of units firing per step" />
            <Stat label="Encoder" value={`${r.encoder.name} × ${r.encoder.channels}`} />
          </div>
          <Panel title={`Signal — ${summary?.stream ?? ""}`} id="spike-signal">
            <TimeChart
              data={() => ({ x: r.ts, value: r.value })}
              range={() => null}
              version={version}
              height={120}
              label="signal window"
              showBand={false}
              showForecast={false}
              syncKey="spikes"
            />
          </Panel>
          <Panel title={`Encoder raster (${r.encoder.name})`} id="spike-input">
            <Raster
              steps={r.stats.steps}
              rows={r.encoder.channels}
              step={r.inputSpikes.step}
              row={r.inputSpikes.channel}
              height={Math.max(60, Math.min(200, r.encoder.channels * 10))}
              label="encoder spike raster"
              rowLabels={r.encoder.labels}
            />
          </Panel>
          <Panel
            title={`Reservoir activity — ${r.reservoir.shown} most active of ${r.reservoir.units} LIF units (spikes over their traces)`}
            id="spike-reservoir"
          >
            <Raster
              steps={r.stats.steps}
              rows={r.reservoir.shown}
              step={r.reservoirSpikes.step}
              row={r.reservoirSpikes.unit}
              heat={r.trace}
              height={260}
              label="reservoir spike raster"
              color="var(--chart-forecast)"
            />
            <div className="muted" style={{ margin: "8px 0 2px" }}>
              Population rate (share of units firing per step), mean {num(r.stats.meanRate * 100, 3)} %
            </div>
            <TimeChart
              data={() => ({ x: r.ts, value: r.populationRate })}
              range={() => null}
              version={version}
              height={90}
              label="population rate"
              showBand={false}
              showForecast={false}
              syncKey="spikes"
              color="var(--chart-score)"
            />
          </Panel>
        </>
      )}
    </div>
  );
}
