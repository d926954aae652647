import type { ConfigVersion } from "@nqp/contract/api";
import { formatIssues, parseConfigText, RemoteAgentConfigSchema } from "@nqp/contract/config";
import { diffLines } from "diff";
import { History, RotateCcw, Send } from "lucide-react";
import { useEffect, useMemo, useState } from "react";
import YAML from "yaml";
import { api } from "../api/client";
import { Empty, ErrorState, Field, Loading, Panel } from "../components/common";
import { ago, time } from "../format";
import { can, useSession } from "../state/session";
import { useApi } from "../state/useApi";

const TEMPLATE = `# Remote agent settings (signed by the hub, applied live). Keys: pipeline, retention, sync, log, labels, streams.
log:
  level: info
`;

function toYaml(config: unknown): string {
  return config && Object.keys(config as object).length ? YAML.stringify(config) : "";
}

/** Parses and checks the editor's text; returns the config or the problem, naming the key. */
function check(
  text: string,
): { ok: true; config: ReturnType<typeof RemoteAgentConfigSchema.parse> } | { ok: false; message: string } {
  try {
    const raw = parseConfigText(text, "config");
    const r = RemoteAgentConfigSchema.safeParse(raw);
    return r.success ? { ok: true, config: r.data } : { ok: false, message: formatIssues(r.error.issues) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

function Diff(p: { before: string; after: string }) {
  const parts = diffLines(p.before, p.after);
  if (parts.every((x) => !x.added && !x.removed))
    return <div className="muted">No changes against the current version.</div>;
  return (
    <pre className="diff">
      {parts.map((x, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: diff hunks are positional
        <span key={i} className={x.added ? "add" : x.removed ? "del" : "muted"}>
          {x.value
            .replace(/\n$/, "")
            .split("\n")
            .map((l) => `${x.added ? "+ " : x.removed ? "- " : "  "}${l}`)
            .join("\n")}
          {"\n"}
        </span>
      ))}
    </pre>
  );
}

export function ConfigView() {
  const role = useSession((s) => s.session?.role);
  const notify = useSession((s) => s.notify);
  const fleet = useApi("fleet.list", {});
  const agents = fleet.data?.agents ?? [];
  const [target, setTarget] = useState<string>("");
  const agent = target || agents[0]?.id || "";
  const view = useApi("config.get", agent && agent !== "*" ? { agent } : null, { refreshMs: 3000 });
  const history = useApi("config.history", agent && agent !== "*" ? { agent, limit: 50 } : { limit: 50 });
  const [text, setText] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const admin = can(role, "admin");
  // biome-ignore lint/correctness/useExhaustiveDependencies: a version's content never changes, so its number is the key
  const currentText = useMemo(() => toYaml(view.data?.current?.config), [view.data?.current?.version]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: another target starts from its own current config
  useEffect(() => setText(null), [agent]);
  const editorText = text ?? (currentText || TEMPLATE);
  const checked = useMemo(() => check(editorText), [editorText]);
  useEffect(
    () =>
      api().on("config.changed", () => {
        view.reload();
        history.reload();
      }),
    [view.reload, history.reload],
  );

  const push = async () => {
    if (!checked.ok) return;
    setBusy(true);
    try {
      const r = await api().call("config.push", { target: agent, config: checked.config, note: note || undefined });
      notify(
        "info",
        `version ${r.version} signed (key ${r.key}) and published to ${r.target === "*" ? "every agent" : r.target}`,
      );
      setText(null);
      setNote("");
      view.reload();
      history.reload();
    } catch (err) {
      notify("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const rollback = async (v: ConfigVersion) => {
    setBusy(true);
    try {
      const r = await api().call("config.rollback", { target: v.target === "*" ? "*" : agent, version: v.version });
      notify("info", `rolled back: version ${r.version} re-issues version ${r.rollbackOf}`);
      view.reload();
      history.reload();
    } catch (err) {
      notify("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (fleet.error && !fleet.data) return <ErrorState error={fleet.error} retry={fleet.reload} />;
  if (!fleet.data) return <Loading />;
  if (!agents.length) return <Empty title="No agents registered" hint="Configs are pushed to registered agents." />;
  const v = view.data;
  const applied = v?.current && v.appliedVersion !== null && v.appliedVersion >= v.current.version;
  return (
    <div className="split wide-left" data-ready={v || agent === "*" ? "config" : undefined}>
      <div>
        <Panel
          title="Edit"
          id="cfg-edit"
          actions={
            <Field label="Target" htmlFor="cfg-target">
              <select id="cfg-target" value={agent} onChange={(e) => setTarget(e.target.value)}>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.id}
                  </option>
                ))}
                <option value="*">All agents (fleet)</option>
              </select>
            </Field>
          }
        >
          <Field label="Remote config (YAML or JSON)" htmlFor="cfg-text">
            <textarea
              id="cfg-text"
              rows={14}
              value={editorText}
              onChange={(e) => setText(e.target.value)}
              readOnly={!admin}
              spellCheck={false}
              data-testid="config-editor"
            />
          </Field>
          <div
            className={checked.ok ? "ok-text" : "bad-text"}
            role="status"
            style={{ margin: "6px 0" }}
            data-testid="config-check"
          >
            {checked.ok ? "valid" : checked.message}
          </div>
          <h3 className="panel-title" style={{ margin: "10px 0 6px" }}>
            Diff against the current version
          </h3>
          <Diff before={currentText} after={editorText} />
          <div className="form-row" style={{ marginTop: 10 }}>
            <Field label="Note (kept in the history and the audit log)" htmlFor="cfg-note">
              <input
                id="cfg-note"
                type="text"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                readOnly={!admin}
                style={{ minWidth: 280 }}
              />
            </Field>
            <button
              type="button"
              className="btn primary"
              disabled={!admin || !checked.ok || busy}
              onClick={() => void push()}
              data-testid="config-push"
            >
              <Send size={14} aria-hidden="true" /> Sign and push to {agent === "*" ? "the fleet" : agent}
            </button>
          </div>
          {!admin && <div className="muted">Read-only: pushing configs needs the admin role.</div>}
        </Panel>
      </div>
      <div>
        {agent !== "*" && (
          <Panel title="Status" id="cfg-status">
            {!v ? (
              view.error ? (
                <ErrorState error={view.error} retry={view.reload} />
              ) : (
                <Loading />
              )
            ) : (
              <>
                <div
                  className="stream-meta"
                  data-testid="config-status"
                  data-applied={applied ? "true" : "false"}
                  data-version={v.current?.version ?? 0}
                >
                  <span>
                    current <b>{v.current ? `v${v.current.version}` : "none"}</b>
                  </span>
                  <span>
                    agent applied <b>{v.appliedVersion === null ? "unknown" : `v${v.appliedVersion}`}</b>
                  </span>
                  <span className={applied ? "ok-text" : "warn-text"}>
                    {v.current ? (applied ? "✓ applied" : "waiting for the agent") : ""}
                  </span>
                  <span>
                    key <b className="mono">{v.keyFingerprint}</b>
                  </span>
                </div>
                {v.outcomes.length > 0 && (
                  <table className="table compact" aria-label="The agent's config outcomes" style={{ marginTop: 8 }}>
                    <tbody>
                      {v.outcomes.map((o) => (
                        <tr key={`${o.ts}-${o.action}-${o.version}`}>
                          <td>{ago(o.ts)}</td>
                          <td className={o.action === "config-applied" ? "ok-text" : "bad-text"}>{o.action}</td>
                          <td>{o.version === null ? "" : `v${o.version}`}</td>
                          <td className="wrap">{o.reason ?? ""}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </>
            )}
          </Panel>
        )}
        <Panel title="History" id="cfg-history">
          {history.error !== undefined && !history.data ? (
            <ErrorState error={history.error} retry={history.reload} />
          ) : !history.data ? (
            <Loading />
          ) : history.data.versions.length === 0 ? (
            <Empty icon={<History size={28} />} title="No config pushed yet" />
          ) : (
            <table className="table compact" aria-label="Config history">
              <thead>
                <tr>
                  <th scope="col">version</th>
                  <th scope="col">target</th>
                  <th scope="col">when</th>
                  <th scope="col">by</th>
                  <th scope="col">note</th>
                  <th scope="col">
                    <span className="visually-hidden">actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.data.versions.map((h) => (
                  <tr key={h.version}>
                    <td>v{h.version}</td>
                    <td>{h.target === "*" ? "all" : h.target}</td>
                    <td title={time(h.createdAt)}>{ago(h.createdAt)}</td>
                    <td>{h.author ?? "cli"}</td>
                    <td className="wrap">
                      {h.rollbackOf ? `rollback to v${h.rollbackOf}${h.note ? ` — ${h.note}` : ""}` : (h.note ?? "")}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => setText(toYaml(h.config) || TEMPLATE)}
                        aria-label={`Load version ${h.version} into the editor`}
                      >
                        Load
                      </button>{" "}
                      <button
                        type="button"
                        className="btn"
                        disabled={!admin || busy}
                        onClick={() => void rollback(h)}
                        aria-label={`Roll back to version ${h.version}`}
                      >
                        <RotateCcw size={13} aria-hidden="true" /> Roll back
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
    </div>
  );
}
