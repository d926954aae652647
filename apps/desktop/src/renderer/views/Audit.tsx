import { ShieldAlert, ShieldCheck } from "lucide-react";
import { useEffect, useState } from "react";
import { Empty, ErrorState, Loading, Panel } from "../components/common";
import { time } from "../format";
import { useApi } from "../state/useApi";

export function AuditView() {
  const [chain, setChain] = useState("hub");
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [limit, setLimit] = useState(200);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(t);
  }, [search]);
  const q = useApi("audit.list", { chain, search: debounced || undefined, limit }, { refreshMs: 10_000 });
  const verify = useApi("audit.verify", {});
  const v = verify.data;
  return (
    <div data-ready={q.data && v ? "audit" : undefined}>
      {verify.error !== undefined && !v ? (
        <ErrorState error={verify.error} retry={verify.reload} />
      ) : !v ? (
        <Loading label="Verifying the hash chains…" />
      ) : (
        <div
          className={`banner ${v.ok ? "ok" : "bad"}`}
          role="status"
          data-testid="audit-verify"
          data-ok={v.ok ? "true" : "false"}
        >
          {v.ok ? (
            <ShieldCheck size={18} className="ok-text" aria-hidden="true" />
          ) : (
            <ShieldAlert size={18} className="bad-text" aria-hidden="true" />
          )}
          <div style={{ flex: 1 }}>
            <b>{v.ok ? "All audit chains verify" : "Audit chain problems found"}</b>
            <span className="muted">
              {" "}
              —{" "}
              {v.chains
                .map((c) => `${c.chain}: ${c.entries} entries ${c.ok ? "✓" : `✗ ${c.problems.length} problem(s)`}`)
                .join(" · ")}{" "}
              (checked {time(v.checkedAt)})
            </span>
            {!v.ok && (
              <ul>
                {v.chains.flatMap((c) =>
                  c.problems.map((p) => <li key={`${c.chain}-${p.index}-${p.kind}`}>{`${c.chain}: ${p.message}`}</li>),
                )}
              </ul>
            )}
          </div>
          <button type="button" className="btn" onClick={verify.reload}>
            Verify again
          </button>
        </div>
      )}
      <Panel
        title={q.data ? `Entries — ${q.data.total.toLocaleString()}${debounced ? " matching" : ""}` : "Entries"}
        id="audit"
        actions={
          <>
            <label className="visually-hidden" htmlFor="audit-chain">
              Chain
            </label>
            <select id="audit-chain" value={chain} onChange={(e) => setChain(e.target.value)}>
              {(q.data?.chains ?? ["hub"]).map((c) => (
                <option key={c} value={c}>
                  {c === "hub" ? "hub" : c.replace("agent:", "agent ")}
                </option>
              ))}
            </select>
            <label className="visually-hidden" htmlFor="audit-search">
              Search the audit log
            </label>
            <input
              id="audit-search"
              type="search"
              placeholder="Search action, actor, detail  ( / )"
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
        ) : q.data.entries.length === 0 ? (
          <Empty title="No entries match" />
        ) : (
          <>
            <div className="table-wrap">
              <table className="table compact" aria-label="Audit entries">
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">time</th>
                    <th scope="col">actor</th>
                    <th scope="col">action</th>
                    <th scope="col">detail</th>
                    <th scope="col">hash</th>
                  </tr>
                </thead>
                <tbody>
                  {q.data.entries.map((e) => (
                    <tr key={`${e.chain}-${e.index}`}>
                      <td className="num">{e.index}</td>
                      <td>{time(e.ts)}</td>
                      <td className="mono">{e.actor}</td>
                      <td>{e.action}</td>
                      <td className="wrap mono">{JSON.stringify(e.detail)}</td>
                      <td className="mono muted" title={e.hash}>
                        {e.hash.slice(0, 10)}…
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {q.data.entries.length < q.data.total && (
              <button
                type="button"
                className="btn"
                style={{ marginTop: 8 }}
                onClick={() => setLimit((l) => Math.min(2000, l + 200))}
              >
                Show more ({q.data.total - q.data.entries.length} older)
              </button>
            )}
          </>
        )}
      </Panel>
    </div>
  );
}
