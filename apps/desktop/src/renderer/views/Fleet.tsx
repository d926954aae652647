import type { AgentSummary } from "@nqp/contract/api";
import { ArrowDown, ArrowUp, LineChart, Server } from "lucide-react";
import { useMemo, useState } from "react";
import { Empty, ErrorState, Loading, Panel, Stat } from "../components/common";
import { OnlineValidationTable, scoreTone } from "../components/OnlineValidation";
import { ago, bytes, num } from "../format";
import { useSession } from "../state/session";
import { useApi } from "../state/useApi";

type SortKey = "id" | "status" | "lastSeen" | "backlog" | "records" | "streams" | "errors" | "backend" | "version";

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: "status", label: "Status" },
  { key: "id", label: "Agent" },
  { key: "lastSeen", label: "Last seen" },
  { key: "backlog", label: "Backlog", numeric: true },
  { key: "records", label: "Records", numeric: true },
  { key: "streams", label: "Streams", numeric: true },
  { key: "errors", label: "Errors", numeric: true },
  { key: "backend", label: "Backend" },
  { key: "version", label: "Version" },
];

function sortValue(a: AgentSummary, key: SortKey): string | number {
  switch (key) {
    case "status":
      return a.online ? 1 : 0;
    case "lastSeen":
      return a.lastSeen ?? 0;
    case "backlog":
      return a.backlog ?? -1;
    case "backend":
      return a.backend ?? "";
    case "version":
      return a.version ?? "";
    default:
      return a[key];
  }
}

export function FleetView() {
  const q = useApi("fleet.list", {}, { refreshMs: 5000 });
  const validation = useApi("streams.validation", {}, { refreshMs: 5000 });
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: "id", dir: 1 });
  const [filter, setFilter] = useState("");
  const [status, setStatus] = useState<"all" | "online" | "offline">("all");
  const go = useSession((s) => s.go);
  const setFocus = useSession((s) => s.setFocus);
  const agents = q.data?.agents ?? [];
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return agents
      .filter((a) => status === "all" || (status === "online") === a.online)
      .filter((a) => !f || [a.id, a.backend ?? "", a.version ?? ""].some((s) => s.toLowerCase().includes(f)))
      .sort((a, b) => {
        const x = sortValue(a, sort.key);
        const y = sortValue(b, sort.key);
        return (x < y ? -1 : x > y ? 1 : 0) * sort.dir;
      });
  }, [agents, filter, status, sort]);

  if (q.error && !q.data) return <ErrorState error={q.error} retry={q.reload} />;
  if (!q.data) return <Loading label="Loading the fleet…" />;
  const online = agents.filter((a) => a.online).length;
  const backlog = agents.reduce((s, a) => s + (a.backlog ?? 0), 0);
  const errors = agents.reduce((s, a) => s + a.errors, 0);
  const shown = new Set(rows.map((a) => a.id));
  const reported = (validation.data?.streams ?? []).filter((v) => shown.has(v.agent));
  const scores = reported.map((v) => v.metrics.score).filter((x): x is number => x !== null && Number.isFinite(x));
  const meanScore = scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : null;
  return (
    <div data-ready="fleet">
      <div className="stats">
        <Stat
          label="Agents online"
          value={`${online} / ${agents.length}`}
          tone={online === agents.length ? "ok" : "warn"}
        />
        <Stat label="Streams" value={agents.reduce((s, a) => s + a.streams, 0)} />
        <Stat label="Records at hub" value={agents.reduce((s, a) => s + a.records, 0).toLocaleString()} />
        <Stat label="Unsynced backlog" value={backlog.toLocaleString()} tone={backlog > 10_000 ? "warn" : undefined} />
        <Stat label="Rejected messages" value={errors.toLocaleString()} tone={errors ? "warn" : undefined} />
        <Stat
          label="Online validation score"
          value={meanScore === null ? "–" : `${num(meanScore, 3)} / 100`}
          tone={scoreTone(meanScore)}
          hint="mean over the streams of the agents shown, as their agents last reported it"
        />
      </div>
      <Panel
        title="Agents"
        id="fleet"
        actions={
          <>
            <label className="visually-hidden" htmlFor="fleet-filter">
              Filter agents
            </label>
            <input
              id="fleet-filter"
              type="search"
              placeholder="Filter by id, backend, version  ( / )"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              data-search
            />
            <label className="visually-hidden" htmlFor="fleet-status">
              Status
            </label>
            <select id="fleet-status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
              <option value="all">All</option>
              <option value="online">Online</option>
              <option value="offline">Offline</option>
            </select>
          </>
        }
      >
        {agents.length === 0 ? (
          <Empty
            icon={<Server size={28} />}
            title="No agents yet"
            hint="Register one with `nqp hub agent add ID`, or start `pnpm demo`."
          />
        ) : rows.length === 0 ? (
          <Empty title="No agent matches the filter" />
        ) : (
          <div className="table-wrap">
            <table className="table" aria-label="Agents">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th
                      key={c.key}
                      className={c.numeric ? "num" : undefined}
                      aria-sort={sort.key === c.key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}
                      scope="col"
                    >
                      <button
                        type="button"
                        className="sort-btn"
                        onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? (-s.dir as 1 | -1) : 1 }))}
                      >
                        {c.label}
                        {sort.key === c.key &&
                          (sort.dir === 1 ? (
                            <ArrowUp size={12} aria-hidden="true" />
                          ) : (
                            <ArrowDown size={12} aria-hidden="true" />
                          ))}
                      </button>
                    </th>
                  ))}
                  <th scope="col">Config</th>
                  <th scope="col">Uptime</th>
                  <th scope="col" className="num">
                    Memory
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id} data-agent={a.id}>
                    <td>
                      <span className={`dot ${a.online ? "ok" : "bad"}`} aria-hidden="true" />
                      <span className={a.online ? "ok-text" : "bad-text"}>{a.online ? "online" : "offline"}</span>
                    </td>
                    <td className="mono">{a.id}</td>
                    <td title={a.lastSeen ? new Date(a.lastSeen).toISOString() : undefined}>{ago(a.lastSeen)}</td>
                    <td className="num">{a.backlog ?? "–"}</td>
                    <td className="num">{a.records.toLocaleString()}</td>
                    <td className="num">{a.streams}</td>
                    <td className={`num ${a.errors ? "warn-text" : ""}`} title={JSON.stringify(a.rejected)}>
                      {a.errors}
                    </td>
                    <td>{a.backend ?? "–"}</td>
                    <td>{a.version ?? "–"}</td>
                    <td>{a.configVersion === null ? "–" : `v${a.configVersion}`}</td>
                    <td>{a.uptimeSeconds === null ? "–" : `${num(a.uptimeSeconds / 3600, 3)} h`}</td>
                    <td className="num">{bytes(a.rssBytes)}</td>
                    <td>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => {
                          setFocus({ agent: a.id, stream: "" });
                          go("explorer");
                        }}
                        aria-label={`Explore the streams of ${a.id}`}
                      >
                        <LineChart size={14} aria-hidden="true" /> Streams
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <Panel title="Online validation per stream (reported by the agents)" id="fleet-validation">
        {reported.length ? (
          <OnlineValidationTable rows={reported} label="Online validation per stream" />
        ) : validation.error && !validation.data ? (
          <ErrorState error={validation.error} retry={validation.reload} />
        ) : (
          <span className="muted">
            {validation.data ? "no agent shown has reported validation metrics yet" : "loading…"}
          </span>
        )}
      </Panel>
    </div>
  );
}
