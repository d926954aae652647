import type {
  AgentConfigView,
  AgentSummary,
  Annotation,
  AnnotationLabel,
  AnomalyEvent,
  ApiHandlers,
  ApiResult,
  AuditRow,
  ConfigDocument,
  ConfigEnvelope,
  ConfigVersion,
  OnlineValidation,
  RemoteAgentConfig,
  Role,
  SessionInfo,
  StatusRecord,
} from "@nqp/contract";
import { signConfigDocument } from "@nqp/contract/signing";
import { NqpError } from "@nqp/core";
import { verifyHubAudit } from "../audit/verify";
import { loadSigningKey } from "../keys/signing-key";
import type { HubStore } from "../store/hub-store";
import { SeriesReader } from "./series";
import { ensureDashboardSchema } from "./users";

/** Who is calling: what the connection's token earned. */
export interface CallContext {
  user: string;
  role: Role;
}

export interface DashboardHandlersOptions {
  store: HubStore;
  /** The hub's data directory: its config-signing key lives there. */
  dataDir: string;
  hubVersion: string;
  /** Told about every change other connections should see (annotations, configs). */
  notify: (event: "anomalies.changed" | "config.changed", data: unknown) => void;
}

/** An agent counts as online when it was heard from within three of its default status intervals. */
export const ONLINE_WINDOW_MS = 30_000;

type AnnotationRow = {
  agent: string;
  seq: number;
  id: string;
  acknowledged: number;
  label: string | null;
  note: string;
  author: string;
  updated_at: number;
};

function toAnnotation(r: AnnotationRow): Annotation {
  return {
    id: r.id,
    acknowledged: r.acknowledged === 1,
    label: r.label as AnnotationLabel | null,
    note: r.note,
    author: r.author,
    updatedAt: r.updated_at,
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Escapes LIKE wildcards so that a search for "50%" finds "50%". */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The hub's implementation of the dashboard API (packages/contract/src/api): reads from the hub's database, writes
 * annotations and configs in one transaction with their audit entries. Transport-free: the WebSocket server calls it.
 */
export function dashboardHandlers(o: DashboardHandlersOptions): ApiHandlers<CallContext> {
  const db = o.store.db;
  ensureDashboardSchema(db);
  const series = new SeriesReader(db);
  const streamCount = db.prepare("SELECT count(*) FROM streams WHERE agent = ?").pluck();
  const firstTs = db.prepare("SELECT ts FROM predictions WHERE agent = ? AND stream = ? ORDER BY seq LIMIT 1").pluck();
  const predictionAt = db.prepare(
    `SELECT ts, value, forecast, lower, upper, anomaly_score AS anomalyScore, is_anomaly AS isAnomaly
     FROM predictions WHERE agent = ? AND seq = ?`,
  );
  const anomalyAt = db.prepare("SELECT stream, ts, type FROM anomalies WHERE agent = ? AND seq = ?");
  const annotationAt = db.prepare("SELECT * FROM annotations WHERE agent = ? AND seq = ?");
  const upsertAnnotation = db.prepare(
    `INSERT INTO annotations(agent, seq, id, acknowledged, label, note, author, created_at, updated_at)
     VALUES (@agent, @seq, @id, @acknowledged, @label, @note, @author, @at, @at)
     ON CONFLICT(agent, seq) DO UPDATE SET id = excluded.id, acknowledged = excluded.acknowledged,
       label = excluded.label, note = excluded.note, author = excluded.author, updated_at = excluded.updated_at`,
  );
  const configRows = db.prepare(
    `SELECT c.version, c.agent, c.envelope, c.created_at AS createdAt, n.author, n.note, n.rollback_of AS rollbackOf
     FROM configs c LEFT JOIN config_notes n ON n.version = c.version
     WHERE (? IS NULL OR c.agent = ? OR c.agent = '*') ORDER BY c.version DESC LIMIT ?`,
  );
  const configAt = db.prepare(
    `SELECT c.version, c.agent, c.envelope, c.created_at AS createdAt, n.author, n.note, n.rollback_of AS rollbackOf
     FROM configs c LEFT JOIN config_notes n ON n.version = c.version WHERE c.version = ?`,
  );
  const insertNote = db.prepare("INSERT INTO config_notes(version, author, note, rollback_of) VALUES (?, ?, ?, ?)");
  const configOutcomes = db.prepare(
    `SELECT ts, action, detail FROM agent_audit WHERE agent = ? AND action IN ('config-applied', 'config-rejected')
     ORDER BY seq DESC LIMIT 10`,
  );

  const toConfigVersion = (r: {
    version: number;
    agent: string;
    envelope: string;
    createdAt: number;
    author: string | null;
    note: string | null;
    rollbackOf: number | null;
  }): ConfigVersion => {
    const env = parseJson<ConfigEnvelope | null>(r.envelope, null);
    const doc = env ? parseJson<ConfigDocument | null>(env.doc, null) : null;
    return {
      version: r.version,
      target: r.agent,
      issuedAt: doc?.issuedAt ?? r.createdAt,
      createdAt: r.createdAt,
      config: doc?.config ?? {},
      key: env?.key ?? "",
      rollbackOf: r.rollbackOf ?? null,
      author: r.author ?? null,
      note: r.note ?? null,
    };
  };

  const issueConfig = (
    target: string,
    config: RemoteAgentConfig,
    ctx: CallContext,
    note: string | undefined,
    rollbackOf: number | null,
  ): { version: number; key: string } => {
    if (target !== "*" && !o.store.agent(target))
      throw new NqpError("unknown-agent", `agent '${target}' is not registered at this hub`);
    const key = loadSigningKey(o.dataDir);
    const version = o.store.transaction(() => {
      const v = o.store.addConfig(
        target,
        (version) => {
          const doc: ConfigDocument = { agent: target, version, issuedAt: Date.now(), config };
          return JSON.stringify(signConfigDocument(doc, key.privateKeyPem));
        },
        {
          via: "dashboard",
          author: ctx.user,
          keys: Object.keys(config),
          key: key.fingerprint,
          ...(rollbackOf !== null ? { rollbackOf } : {}),
          ...(note ? { note } : {}),
        },
      );
      insertNote.run(v, ctx.user, note ?? null, rollbackOf);
      return v;
    });
    o.notify("config.changed", { version, target });
    return { version, key: key.fingerprint };
  };

  return {
    "session.info": (_p, ctx): SessionInfo => ({
      role: ctx.role,
      user: ctx.user,
      via: "hub",
      hubVersion: o.hubVersion,
      connected: true,
      local: { jobs: false, imports: false, settings: false, backends: [] },
      serverTime: Date.now(),
    }),

    "fleet.list": () => {
      const now = Date.now();
      const agents: AgentSummary[] = o.store.agents().map((a) => {
        const s: StatusRecord | null = a.status;
        const hubRejected = Object.values(a.rejected).reduce((x, y) => x + y, 0);
        return {
          id: a.id,
          createdAt: a.createdAt,
          lastSeen: a.lastSeen,
          online: a.lastSeen !== null && now - a.lastSeen <= ONLINE_WINDOW_MS,
          ackedSeq: a.ackedSeq,
          backlog: s ? s.outboxDepth : null,
          records: a.records,
          streams: streamCount.get(a.id) as number,
          version: a.version,
          backend: a.backend,
          errors: (s?.rejectedTotal ?? 0) + hubRejected,
          rejected: {
            ...(s?.rejects ?? {}),
            ...Object.fromEntries(Object.entries(a.rejected).map(([k, v]) => [`hub:${k}`, v])),
          },
          configVersion: s ? s.configVersion : null,
          uptimeSeconds: s ? s.uptimeSeconds : null,
          rssBytes: s ? s.rssBytes : null,
        };
      });
      return { agents, onlineWindowMs: ONLINE_WINDOW_MS };
    },

    "streams.list": (p) => {
      const rows = (
        p.agent
          ? db
              .prepare(
                "SELECT agent, stream, records, last_seq AS lastSeq, last_ts AS lastTs FROM streams WHERE agent = ? ORDER BY stream",
              )
              .all(p.agent)
          : db
              .prepare(
                "SELECT agent, stream, records, last_seq AS lastSeq, last_ts AS lastTs FROM streams ORDER BY agent, stream",
              )
              .all()
      ) as { agent: string; stream: string; records: number; lastSeq: number; lastTs: number }[];
      return {
        streams: rows.map((r) => {
          const latest = predictionAt.get(r.agent, r.lastSeq) as
            | {
                ts: number;
                value: number;
                forecast: number | null;
                lower: number | null;
                upper: number | null;
                anomalyScore: number;
                isAnomaly: number;
              }
            | undefined;
          return {
            ...r,
            firstTs: (firstTs.get(r.agent, r.stream) as number | undefined) ?? null,
            latest: latest ? { ...latest, isAnomaly: latest.isAnomaly === 1 } : null,
          };
        }),
      };
    },

    "streams.series": (p) => series.series(p.agent, p.stream, p.from, p.to, p.maxPoints),

    // Each stream's online validation from its agent's latest status record (stored as it came, see hub-store).
    "streams.validation": (p) => {
      const now = Date.now();
      const streams: OnlineValidation[] = [];
      for (const a of p.agent ? [o.store.agent(p.agent)] : o.store.agents()) {
        const s = a?.status;
        if (!a || !s?.validation) continue;
        const online = a.lastSeen !== null && now - a.lastSeen <= ONLINE_WINDOW_MS;
        for (const [stream, metrics] of Object.entries(s.validation)) {
          if (p.stream !== undefined && stream !== p.stream) continue;
          streams.push({ agent: a.id, stream, reportedAt: s.ts, uptimeSeconds: s.uptimeSeconds, online, metrics });
        }
      }
      streams.sort((x, y) => (x.agent === y.agent ? (x.stream < y.stream ? -1 : 1) : x.agent < y.agent ? -1 : 1));
      return { streams };
    },

    "anomalies.list": (p) => {
      const where: string[] = [];
      const args: Record<string, unknown> = {};
      if (p.agent) {
        where.push("a.agent = @agent");
        args.agent = p.agent;
      }
      if (p.stream) {
        where.push("a.stream = @stream");
        args.stream = p.stream;
      }
      if (p.type) {
        where.push("a.type = @type");
        args.type = p.type;
      }
      if (p.search) {
        where.push(
          "(a.stream LIKE @search ESCAPE '\\' OR a.agent LIKE @search ESCAPE '\\' OR n.note LIKE @search ESCAPE '\\' OR n.label LIKE @search ESCAPE '\\')",
        );
        args.search = likePattern(p.search);
      }
      const base = where.length ? `WHERE ${where.join(" AND ")}` : "";
      const openCond = "(n.acknowledged IS NULL OR n.acknowledged = 0)";
      const statusCond = p.status === "open" ? openCond : p.status === "acknowledged" ? "n.acknowledged = 1" : "";
      const filtered = statusCond ? (base ? `${base} AND ${statusCond}` : `WHERE ${statusCond}`) : base;
      const from = "FROM anomalies a LEFT JOIN annotations n ON n.agent = a.agent AND n.seq = a.seq";
      const rows = db
        .prepare(
          `SELECT a.agent, a.seq, a.stream, a.ts, a.type, a.value, a.score, a.forecast, a.lower, a.upper, a.motif,
             n.id, n.acknowledged, n.label, n.note, n.author, n.updated_at
           ${from} ${filtered} ORDER BY a.ts DESC, a.seq DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ ...args, limit: p.limit, offset: p.offset }) as (Omit<AnomalyEvent, "annotation"> &
        Partial<AnnotationRow>)[];
      const total = db.prepare(`SELECT count(*) ${from} ${filtered}`).pluck().get(args) as number;
      const open = db
        .prepare(`SELECT count(*) ${from} ${base ? `${base} AND ${openCond}` : `WHERE ${openCond}`}`)
        .pluck()
        .get(args) as number;
      return {
        total,
        open,
        anomalies: rows.map((r) => ({
          agent: r.agent,
          seq: r.seq,
          stream: r.stream,
          ts: r.ts,
          type: r.type,
          value: r.value,
          score: r.score,
          forecast: r.forecast,
          lower: r.lower,
          upper: r.upper,
          motif: r.motif,
          annotation: r.id ? toAnnotation(r as AnnotationRow) : null,
        })),
      };
    },

    "anomalies.annotate": (p, ctx): ApiResult<"anomalies.annotate"> => {
      const at = Math.min(p.at ?? Date.now(), Date.now());
      const result = o.store.transaction(() => {
        const event = anomalyAt.get(p.agent, p.seq) as { stream: string; ts: number; type: string } | undefined;
        if (!event)
          throw new NqpError(
            "unknown-anomaly",
            `agent '${p.agent}' has no anomaly event with seq ${p.seq} at this hub`,
          );
        const existing = annotationAt.get(p.agent, p.seq) as AnnotationRow | undefined;
        const same =
          existing &&
          existing.id === p.id &&
          (existing.acknowledged === 1) === p.acknowledged &&
          existing.label === p.label &&
          existing.note === p.note;
        // A replay (same id and content) or an older edit than the stored one changes nothing and is not audited.
        if (existing && (same || existing.updated_at > at)) return { row: existing, auditIndex: null, changed: false };
        upsertAnnotation.run({
          agent: p.agent,
          seq: p.seq,
          id: p.id,
          acknowledged: p.acknowledged ? 1 : 0,
          label: p.label,
          note: p.note,
          author: ctx.user,
          at,
        });
        const entry = o.store.appendAudit(ctx.user, "anomaly-annotated", {
          agent: p.agent,
          seq: p.seq,
          stream: event.stream,
          eventTs: event.ts,
          id: p.id,
          acknowledged: p.acknowledged,
          label: p.label,
          note: p.note,
        });
        return { row: annotationAt.get(p.agent, p.seq) as AnnotationRow, auditIndex: entry.index, changed: true };
      });
      if (result.changed)
        o.notify("anomalies.changed", { agent: p.agent, seq: p.seq, acknowledged: p.acknowledged, label: p.label });
      return { annotation: toAnnotation(result.row), auditIndex: result.auditIndex, pending: false };
    },

    "config.get": (p): AgentConfigView => {
      const a = o.store.agent(p.agent);
      if (!a) throw new NqpError("unknown-agent", `agent '${p.agent}' is not registered at this hub`);
      const latest = configRows.all(p.agent, p.agent, 1) as Parameters<typeof toConfigVersion>[0][];
      const outcomes = (configOutcomes.all(p.agent) as { ts: number; action: string; detail: string }[]).map((r) => {
        const d = parseJson<{ version?: number; reason?: string }>(r.detail, {});
        return { ts: r.ts, action: r.action, version: d.version ?? null, reason: d.reason ?? null };
      });
      return {
        agent: p.agent,
        current: latest[0] ? toConfigVersion(latest[0]) : null,
        appliedVersion: a.status ? a.status.configVersion : null,
        outcomes,
        keyFingerprint: loadSigningKey(o.dataDir).fingerprint,
      };
    },

    "config.history": (p) => ({
      versions: (
        configRows.all(p.agent ?? null, p.agent ?? null, p.limit) as Parameters<typeof toConfigVersion>[0][]
      ).map(toConfigVersion),
    }),

    "config.push": (p, ctx) => {
      const r = issueConfig(p.target, p.config, ctx, p.note, null);
      return { version: r.version, target: p.target, key: r.key };
    },

    "config.rollback": (p, ctx) => {
      const row = configAt.get(p.version) as Parameters<typeof toConfigVersion>[0] | undefined;
      if (!row) throw new NqpError("unknown-version", `there is no config version ${p.version} at this hub`);
      if (row.agent !== "*" && row.agent !== p.target)
        throw new NqpError(
          "wrong-target",
          `config version ${p.version} was issued for '${row.agent}', not '${p.target}': roll back to one of its own versions`,
        );
      // Agents only apply newer versions, so a rollback re-issues the old content under a new version.
      const old = toConfigVersion(row);
      const r = issueConfig(p.target, old.config, ctx, p.note ?? `rollback to version ${p.version}`, p.version);
      return { version: r.version, target: p.target, key: r.key, rollbackOf: p.version };
    },

    "audit.list": (p) => {
      const chains = [
        "hub",
        ...(db.prepare("SELECT DISTINCT agent FROM agent_audit ORDER BY agent").pluck().all() as string[]).map(
          (a) => `agent:${a}`,
        ),
      ];
      const search = p.search ? likePattern(p.search) : null;
      const cond =
        "(@search IS NULL OR action LIKE @search ESCAPE '\\' OR actor LIKE @search ESCAPE '\\' OR detail LIKE @search ESCAPE '\\')";
      let rows: { idx: number; ts: number; actor: string; action: string; detail: string; hash: string }[];
      let total: number;
      if (p.chain === "hub") {
        rows = db
          .prepare(
            `SELECT idx, ts, actor, action, detail, hash FROM audit WHERE ${cond} ORDER BY idx DESC LIMIT @limit OFFSET @offset`,
          )
          .all({ search, limit: p.limit, offset: p.offset }) as typeof rows;
        total = db.prepare(`SELECT count(*) FROM audit WHERE ${cond}`).pluck().get({ search }) as number;
      } else if (p.chain.startsWith("agent:")) {
        const agent = p.chain.slice("agent:".length);
        rows = db
          .prepare(
            `SELECT idx, ts, actor, action, detail, hash FROM agent_audit WHERE agent = @agent AND ${cond}
             ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
          )
          .all({ agent, search, limit: p.limit, offset: p.offset }) as typeof rows;
        total = db
          .prepare(`SELECT count(*) FROM agent_audit WHERE agent = @agent AND ${cond}`)
          .pluck()
          .get({ agent, search }) as number;
      } else throw new NqpError("unknown-chain", `no audit chain '${p.chain}' (expected hub or agent:ID)`);
      const entries: AuditRow[] = rows.map((r) => ({
        chain: p.chain,
        index: r.idx,
        ts: r.ts,
        actor: r.actor,
        action: r.action,
        detail: parseJson<Record<string, unknown>>(r.detail, { unparseable: r.detail }),
        hash: r.hash,
      }));
      return { entries, total, chains };
    },

    "audit.verify": () => {
      const reports = verifyHubAudit(o.store);
      return {
        ok: reports.every((r) => r.ok),
        checkedAt: Date.now(),
        chains: reports.map((r) => ({
          chain: r.chain,
          ok: r.ok,
          entries: r.entries,
          head: r.head,
          problems: r.problems.map((x) => ({ index: x.index, kind: x.kind, message: x.message })),
        })),
      };
    },
  };
}
