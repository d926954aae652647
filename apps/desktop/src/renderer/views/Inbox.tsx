import type { AnnotationLabel, AnomalyEvent } from "@nqp/contract/api";
import { Activity, Check, RotateCcw } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { TimeChart } from "../charts/TimeChart";
import { Empty, ErrorState, Field, Loading, Panel } from "../components/common";
import { num, shortId, time } from "../format";
import { useShortcuts } from "../shortcuts";
import { can, useSession } from "../state/session";
import { useApi } from "../state/useApi";
import { useVersion } from "../state/version";

const LABELS: { value: AnnotationLabel; text: string }[] = [
  { value: "true-positive", text: "True positive" },
  { value: "false-positive", text: "False positive" },
  { value: "unsure", text: "Unsure" },
];

function EventContext(p: { event: AnomalyEvent }) {
  const e = p.event;
  const [data, setData] = useState<{
    x: number[];
    value: number[];
    forecast: (number | null)[];
    lower: (number | null)[];
    upper: (number | null)[];
    anomalies: { x: number[]; value: number[] };
  } | null>(null);
  useEffect(() => {
    let live = true;
    setData(null);
    // About 150 samples either side: the stream's cadence is unknown here, so ask for a generous range.
    void api()
      .call("streams.list", { agent: e.agent })
      .then((l) => {
        const s = l.streams.find((x) => x.stream === e.stream);
        const step = s && s.firstTs !== null && s.records > 1 ? (s.lastTs - s.firstTs) / (s.records - 1) : 60_000;
        return api().call("streams.series", {
          agent: e.agent,
          stream: e.stream,
          from: e.ts - 150 * step,
          to: e.ts + 150 * step,
          maxPoints: 2000,
        });
      })
      .then((d) => {
        if (live)
          setData({
            x: d.ts,
            value: d.value,
            forecast: d.forecast,
            lower: d.lower,
            upper: d.upper,
            anomalies: { x: d.anomalies.ts, value: d.anomalies.value },
          });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [e.agent, e.stream, e.ts]);
  const version = useVersion(data);
  if (!data) return <Loading label="Loading the event's context…" />;
  return (
    <TimeChart
      data={() => data}
      range={() => null}
      version={version}
      height={170}
      label={`${e.stream} around the event`}
    />
  );
}

export function InboxView() {
  const role = useSession((s) => s.session?.role);
  const setFocus = useSession((s) => s.setFocus);
  const go = useSession((s) => s.go);
  const notify = useSession((s) => s.notify);
  const [status, setStatus] = useState<"open" | "acknowledged" | "all">("open");
  const [type, setType] = useState<"" | "anomaly" | "motif" | "change-point">("");
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [selected, setSelected] = useState(0);
  const [note, setNote] = useState("");
  const [label, setLabel] = useState<AnnotationLabel | null>(null);
  const [saving, setSaving] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(t);
  }, [search]);
  const q = useApi(
    "anomalies.list",
    { status, type: type || undefined, search: debounced || undefined, limit: 300 },
    { refreshMs: 10_000 },
  );
  useEffect(() => api().on("anomalies.changed", () => q.reload()), [q.reload]);
  const events = q.data?.anomalies ?? [];
  const current: AnomalyEvent | undefined = events[Math.min(selected, events.length - 1)];
  const writable = can(role, "analyst");

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset the form when another event (or its annotation) is shown
  useEffect(() => {
    setNote(current?.annotation?.note ?? "");
    setLabel(current?.annotation?.label ?? null);
  }, [current?.agent, current?.seq, current?.annotation?.updatedAt]);

  const save = async (acknowledged: boolean) => {
    if (!current) return;
    setSaving(true);
    try {
      const r = await api().call("anomalies.annotate", {
        id: current.annotation?.id ?? shortId(),
        agent: current.agent,
        seq: current.seq,
        acknowledged,
        label,
        note,
        at: Date.now(),
      });
      notify(
        "info",
        r.pending
          ? "saved locally; it syncs to the hub when the link is back"
          : acknowledged
            ? "acknowledged"
            : "saved",
      );
      q.reload();
    } catch (err) {
      notify("error", (err as Error).message);
    } finally {
      setSaving(false);
    }
  };

  useShortcuts({
    j: () => setSelected((s) => Math.min(events.length - 1, s + 1)),
    k: () => setSelected((s) => Math.max(0, s - 1)),
    a: () => writable && current && void save(!current.annotation?.acknowledged),
    n: () => noteRef.current?.focus(),
    s: () => {
      if (!current) return;
      setFocus({ agent: current.agent, stream: current.stream, ts: current.ts });
      go("spikes");
    },
  });

  return (
    <div className="split wide-left" data-ready={q.data ? "inbox" : undefined}>
      <Panel
        title={
          q.data ? `Events — ${q.data.open} open of ${q.data.total} ${status === "all" ? "" : "matching"}` : "Events"
        }
        id="inbox"
        actions={
          <>
            <fieldset className="segmented" aria-label="Status">
              {(["open", "acknowledged", "all"] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  aria-pressed={status === s}
                  onClick={() => {
                    setStatus(s);
                    setSelected(0);
                  }}
                >
                  {s}
                </button>
              ))}
            </fieldset>
            <label className="visually-hidden" htmlFor="inbox-type">
              Event type
            </label>
            <select id="inbox-type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
              <option value="">All types</option>
              <option value="anomaly">Anomalies</option>
              <option value="motif">Motifs</option>
              <option value="change-point">Change points</option>
            </select>
            <label className="visually-hidden" htmlFor="inbox-search">
              Search events
            </label>
            <input
              id="inbox-search"
              type="search"
              placeholder="Search stream, agent, note  ( / )"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              data-search
            />
          </>
        }
      >
        {q.error !== undefined && !q.data ? (
          <ErrorState error={q.error} retry={q.reload} />
        ) : !q.data ? (
          <Loading />
        ) : events.length === 0 ? (
          <Empty
            title={status === "open" ? "Inbox zero" : "No events match"}
            hint={status === "open" ? "Every event has been acknowledged." : undefined}
          />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Anomaly events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Stream</th>
                  <th scope="col">Type</th>
                  <th scope="col" className="num">
                    Value
                  </th>
                  <th scope="col" className="num">
                    Score
                  </th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e, i) => (
                  <tr
                    key={`${e.agent}/${e.seq}`}
                    className={i === selected ? "selected" : undefined}
                    aria-selected={i === selected}
                    onClick={() => setSelected(i)}
                    data-event={`${e.agent}/${e.seq}`}
                  >
                    <td>
                      <button
                        type="button"
                        className="sort-btn"
                        onClick={() => setSelected(i)}
                        aria-label={`Select event ${e.stream} at ${time(e.ts)}`}
                      >
                        {time(e.ts)}
                      </button>
                    </td>
                    <td className="mono">{e.agent}</td>
                    <td>{e.stream}</td>
                    <td>
                      <span className={`badge ${e.type === "anomaly" ? "bad" : "warn"}`}>{e.type}</span>
                    </td>
                    <td className="num">{num(e.value)}</td>
                    <td className="num">{num(e.score, 3)}</td>
                    <td>
                      {e.annotation?.acknowledged ? (
                        <span className="ok-text">acknowledged</span>
                      ) : (
                        <span className="warn-text">open</span>
                      )}
                      {e.annotation?.label && <span className="muted"> · {e.annotation.label}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <div>
        {current ? (
          <Panel
            title={`${current.stream} · ${current.agent}`}
            id="event"
            actions={
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setFocus({ agent: current.agent, stream: current.stream, ts: current.ts });
                  go("spikes");
                }}
                title="Spike view of this moment (s)"
              >
                <Activity size={14} aria-hidden="true" /> Spikes
              </button>
            }
          >
            <div className="stream-meta" style={{ marginBottom: 8 }}>
              <span>
                at <b>{time(current.ts)}</b>
              </span>
              <span>
                value <b>{num(current.value)}</b>
              </span>
              <span>
                forecast <b>{num(current.forecast)}</b>
              </span>
              <span>
                interval <b>{current.lower === null ? "–" : `${num(current.lower)} … ${num(current.upper)}`}</b>
              </span>
              <span>
                score <b>{num(current.score, 3)}</b>
              </span>
            </div>
            <EventContext event={current} />
            <fieldset className="field" style={{ border: "none", padding: 0, margin: "10px 0" }} disabled={!writable}>
              <legend className="muted" style={{ fontSize: 12 }}>
                Label
              </legend>
              <fieldset className="segmented" aria-label="Label">
                {LABELS.map((l) => (
                  <button
                    key={l.value}
                    type="button"
                    aria-pressed={label === l.value}
                    onClick={() => setLabel(label === l.value ? null : l.value)}
                    disabled={!writable}
                  >
                    {l.text}
                  </button>
                ))}
              </fieldset>
            </fieldset>
            <Field
              label="Note"
              htmlFor="event-note"
              hint={writable ? "n focuses here; a acknowledges" : "read-only: your role is viewer"}
            >
              <textarea
                id="event-note"
                ref={noteRef}
                rows={3}
                value={note}
                onChange={(e) => setNote(e.target.value)}
                readOnly={!writable}
              />
            </Field>
            <div className="toolbar" style={{ marginTop: 8 }}>
              <button
                type="button"
                className="btn"
                disabled={!writable || saving}
                onClick={() => void save(current.annotation?.acknowledged ?? false)}
                data-testid="annotation-save"
              >
                Save note
              </button>
              <button
                type="button"
                className="btn primary"
                disabled={!writable || saving}
                onClick={() => void save(!current.annotation?.acknowledged)}
                data-testid="annotation-ack"
              >
                {current.annotation?.acknowledged ? (
                  <RotateCcw size={14} aria-hidden="true" />
                ) : (
                  <Check size={14} aria-hidden="true" />
                )}
                {current.annotation?.acknowledged ? "Re-open" : "Acknowledge"}
              </button>
            </div>
            {current.annotation && (
              <div className="muted">
                last change by {current.annotation.author}, {time(current.annotation.updatedAt)} (audited at the hub)
              </div>
            )}
          </Panel>
        ) : (
          <Empty title="No event selected" />
        )}
      </div>
    </div>
  );
}
