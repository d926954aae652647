import { closeSync, fsync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { AnomalyRecord, AuditRecord, PredictionRow, StatusRecord, UpBatch } from "@nqp/contract";
import { type AuditEntry, chainEntry } from "@nqp/contract/audit";
import { NqpError } from "@nqp/core";
import Database from "better-sqlite3";
import { HUB_SCHEMA, HUB_SCHEMA_VERSION } from "./schema";

export const HUB_DB_FILE = "hub.db";

export interface AgentRow {
  id: string;
  createdAt: number;
  epoch: string | null;
  ackedSeq: number;
  lastSeen: number | null;
  version: string | null;
  backend: string | null;
  status: StatusRecord | null;
  records: number;
  rejected: Record<string, number>;
  hasPassword: boolean;
}

export type IngestOutcome =
  | { ok: true; acked: number; advanced: boolean; stored: number }
  | { ok: false; reason: "epoch-mismatch"; acked: number; message: string };

function prepareStatements(db: Database.Database) {
  return {
    getMeta: db.prepare("SELECT value FROM meta WHERE key = ?").pluck(),
    setMeta: db.prepare(
      "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ),
    agent: db.prepare("SELECT * FROM agents WHERE id = ?"),
    insertAgent: db.prepare("INSERT INTO agents(id, password_hash, created_at) VALUES (?, ?, ?)"),
    ensureAgent: db.prepare(
      "INSERT INTO agents(id, password_hash, created_at) VALUES (?, NULL, ?) ON CONFLICT(id) DO NOTHING",
    ),
    setEpoch: db.prepare("UPDATE agents SET epoch = ? WHERE id = ?"),
    touchAgent: db.prepare("UPDATE agents SET last_seen = ?, records = records + ? WHERE id = ?"),
    setAgentStatus: db.prepare("UPDATE agents SET version = ?, backend = ?, status = ? WHERE id = ?"),
    setAcked: db.prepare("UPDATE agents SET acked_seq = ? WHERE id = ?"),
    addRange: db.prepare(
      "INSERT INTO received(agent, first, last) VALUES (?, ?, ?) ON CONFLICT(agent, first) DO UPDATE SET last = max(last, excluded.last)",
    ),
    rangesFrom: db.prepare("SELECT first, last FROM received WHERE agent = ? AND first <= ? ORDER BY first"),
    deleteRangesUpTo: db.prepare("DELETE FROM received WHERE agent = ? AND last <= ?"),
    // A record never changes once the agent committed it, so keeping the stored copy is the upsert.
    upsertPrediction: db.prepare(
      `INSERT INTO predictions(agent, seq, stream, ts, value, forecast, lower, upper, anomaly_score, is_anomaly,
         next_forecast, next_lower, next_upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(agent, seq) DO NOTHING`,
    ),
    upsertAnomaly: db.prepare(
      `INSERT INTO anomalies(agent, seq, stream, ts, type, value, score, forecast, lower, upper, motif, prediction_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(agent, seq) DO UPDATE SET stream = excluded.stream, ts = excluded.ts, type = excluded.type,
         value = excluded.value, score = excluded.score, forecast = excluded.forecast, lower = excluded.lower,
         upper = excluded.upper, motif = excluded.motif, prediction_seq = excluded.prediction_seq`,
    ),
    insertAgentAudit: db.prepare(
      `INSERT INTO agent_audit(agent, seq, idx, ts, actor, action, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(agent, seq) DO NOTHING`,
    ),
    upsertStatus: db.prepare(
      "INSERT INTO agent_status(agent, seq, ts, body) VALUES (?, ?, ?, ?) ON CONFLICT(agent, seq) DO UPDATE SET body = excluded.body",
    ),
    upsertStream: db.prepare(
      `INSERT INTO streams(agent, stream, records, last_seq, last_ts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(agent, stream) DO UPDATE SET records = records + excluded.records,
         last_seq = max(last_seq, excluded.last_seq), last_ts = max(last_ts, excluded.last_ts)`,
    ),
    auditHead: db.prepare("SELECT idx, hash FROM audit ORDER BY idx DESC LIMIT 1"),
    insertAudit: db.prepare(
      "INSERT INTO audit(idx, ts, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    mergeRejected: db.prepare("UPDATE agents SET rejected = ? WHERE id = ?"),
    maxConfigVersion: db.prepare("SELECT coalesce(max(version), 0) FROM configs").pluck(),
    insertConfig: db.prepare("INSERT INTO configs(version, agent, envelope, created_at) VALUES (?, ?, ?, ?)"),
    latestConfig: db.prepare(
      "SELECT version, envelope FROM configs WHERE agent = ? OR agent = '*' ORDER BY version DESC LIMIT 1",
    ),
  };
}

/**
 * The hub's database (better-sqlite3, WAL, busy timeout so that several hub processes can share it). Every write is
 * one IMMEDIATE transaction.
 */
export class HubStore {
  readonly db: Database.Database;
  readonly path: string;
  private readonly stmt: ReturnType<typeof prepareStatements>;
  /** A read-only descriptor of the write-ahead log, for fsync off the event loop (see `barrierAsync`). */
  private walFd: number | undefined;

  constructor(dataDir: string, options: { readonly?: boolean } = {}) {
    this.path = join(dataDir, HUB_DB_FILE);
    if (!options.readonly) mkdirSync(dataDir, { recursive: true });
    try {
      this.db = new Database(this.path, {
        readonly: options.readonly === true,
        fileMustExist: options.readonly === true,
      });
    } catch (err) {
      throw new NqpError(
        "bad-data-dir",
        options.readonly
          ? `${dataDir} holds no hub database (${HUB_DB_FILE}): is it the --data directory of a hub?`
          : `cannot open ${this.path}: ${(err as Error).message}`,
      );
    }
    this.db.pragma("busy_timeout = 10000");
    if (!options.readonly) {
      this.db.pragma("journal_mode = WAL");
      // Commits do not fsync; `barrier` does, before the hub acknowledges anything to an agent.
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(HUB_SCHEMA);
      const v = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() as
        | string
        | undefined;
      if (v === undefined)
        this.db.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)").run(String(HUB_SCHEMA_VERSION));
      else if (Number(v) !== HUB_SCHEMA_VERSION)
        throw new NqpError(
          "bad-data-dir",
          `${this.path} has schema version ${v}; this hub reads ${HUB_SCHEMA_VERSION}`,
        );
    }
    this.stmt = prepareStatements(this.db);
    if (!options.readonly) {
      this.barrier();
      this.walFd = openSync(`${this.path}-wal`, "r");
    }
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Makes every commit so far durable with one fsync (a small transaction committed with synchronous=FULL syncs
   * the write-ahead log, shared by every hub process on this database). The hub acks agents only after it.
   */
  barrier(): void {
    this.db.pragma("synchronous = FULL");
    try {
      this.transaction(() => this.setMeta("barrier_at", String(Date.now())));
    } finally {
      this.db.pragma("synchronous = NORMAL");
    }
  }

  getMeta(key: string): string | undefined {
    return this.stmt.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  // ---- fleet registry ----

  addAgent(id: string, passwordHash: string): void {
    this.transaction(() => {
      if (this.stmt.agent.get(id))
        throw new NqpError(
          "agent-exists",
          `agent '${id}' is already registered (its password was shown when it was added)`,
        );
      this.stmt.insertAgent.run(id, passwordHash, Date.now());
      this.appendAudit("operator", "agent-added", { agent: id });
    });
  }

  passwordHash(id: string): string | null | undefined {
    const row = this.stmt.agent.get(id) as { password_hash: string | null } | undefined;
    return row ? row.password_hash : undefined;
  }

  agent(id: string): AgentRow | undefined {
    const row = this.stmt.agent.get(id) as Record<string, unknown> | undefined;
    return row ? toAgentRow(row) : undefined;
  }

  agents(): AgentRow[] {
    return (this.db.prepare("SELECT * FROM agents ORDER BY id").all() as Record<string, unknown>[]).map(toAgentRow);
  }

  /** Adds rejection counts (from the broker's access checks and malformed batches) to an agent's row. */
  addRejections(id: string, counts: Record<string, number>): void {
    this.transaction(() => {
      const row = this.stmt.agent.get(id) as { rejected: string } | undefined;
      if (!row) return;
      const merged = JSON.parse(row.rejected) as Record<string, number>;
      for (const [k, v] of Object.entries(counts)) merged[k] = (merged[k] ?? 0) + v;
      this.stmt.mergeRejected.run(JSON.stringify(merged), id);
    });
  }

  // ---- sync ----

  /**
   * Stores a batch (upsert on (agent, seq)) and advances the agent's ack over the contiguous seq prefix, all in one
   * transaction. The seq ranges of every kind are merged, so the ack waits for the records of all kinds below it.
   */
  ingest(batch: UpBatch, now = Date.now()): IngestOutcome {
    return this.transaction((): IngestOutcome => {
      const agent = batch.agent;
      this.stmt.ensureAgent.run(agent, now);
      const row = this.stmt.agent.get(agent) as { epoch: string | null; acked_seq: number };
      if (row.epoch === null) this.stmt.setEpoch.run(batch.epoch, agent);
      else if (row.epoch !== batch.epoch)
        return {
          ok: false,
          reason: "epoch-mismatch",
          acked: row.acked_seq,
          message: `agent '${agent}' sent records from a new database (epoch ${batch.epoch}, registered ${row.epoch}); its seq numbering restarted`,
        };
      const seqs: number[] = [];
      const n = batch.kind === "predictions" ? batch.rows.length : batch.records.length;
      switch (batch.kind) {
        case "predictions": {
          const perStream = batch.streams.map(() => ({ n: 0, seq: 0, ts: 0 }));
          for (const r of batch.rows) {
            // Only records new to this hub count towards the stream summary (a resend changes nothing).
            if (this.insertPrediction(agent, batch.streams[r[1]], r)) {
              const s = perStream[r[1]];
              s.n++;
              s.seq = Math.max(s.seq, r[0]);
              s.ts = Math.max(s.ts, r[2]);
            }
            seqs.push(r[0]);
          }
          perStream.forEach((s, i) => {
            if (s.n) this.stmt.upsertStream.run(agent, batch.streams[i], s.n, s.seq, s.ts);
          });
          break;
        }
        case "anomalies":
          for (const r of batch.records) {
            this.upsertAnomaly(agent, r);
            seqs.push(r.seq);
          }
          break;
        case "audit":
          for (const r of batch.records) {
            this.insertAgentAudit(agent, r);
            seqs.push(r.seq);
          }
          break;
        case "status": {
          let latest: StatusRecord | undefined;
          for (const r of batch.records) {
            this.stmt.upsertStatus.run(agent, r.seq, r.ts, JSON.stringify(r));
            seqs.push(r.seq);
            if (!latest || r.seq > latest.seq) latest = r;
          }
          if (latest) this.stmt.setAgentStatus.run(latest.version, latest.backend, JSON.stringify(latest), agent);
          break;
        }
      }
      seqs.sort((a, b) => a - b);
      let first = seqs[0];
      for (let i = 1; i <= seqs.length; i++) {
        if (i < seqs.length && seqs[i] <= seqs[i - 1] + 1) continue;
        if (seqs[i - 1] > row.acked_seq) this.stmt.addRange.run(agent, Math.max(first, row.acked_seq + 1), seqs[i - 1]);
        first = seqs[i];
      }
      const acked = this.advance(agent, row.acked_seq);
      this.stmt.touchAgent.run(now, n, agent);
      return { ok: true, acked, advanced: acked > row.acked_seq, stored: seqs.length };
    });
  }

  private advance(agent: string, acked: number): number {
    let a = acked;
    for (;;) {
      const ranges = this.stmt.rangesFrom.all(agent, a + 1) as { first: number; last: number }[];
      let moved = false;
      for (const r of ranges)
        if (r.last > a) {
          a = r.last;
          moved = true;
        }
      if (!moved) break;
    }
    if (a > acked) {
      this.stmt.setAcked.run(a, agent);
      // Every range starting at or below a + 1 ends at or below a now (else the loop would have gone on).
      this.stmt.deleteRangesUpTo.run(agent, a);
    }
    return a;
  }

  /** Stores a prediction row; true when it was new (not a resend of a stored one). */
  private insertPrediction(agent: string, stream: string, r: PredictionRow): boolean {
    return (
      this.stmt.upsertPrediction.run(agent, r[0], stream, r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11])
        .changes === 1
    );
  }

  private upsertAnomaly(agent: string, r: AnomalyRecord): void {
    this.stmt.upsertAnomaly.run(
      agent,
      r.seq,
      r.stream,
      r.ts,
      r.type,
      r.value,
      r.score,
      r.forecast,
      r.lower,
      r.upper,
      r.motif,
      r.predictionSeq,
    );
  }

  private insertAgentAudit(agent: string, r: AuditRecord): void {
    this.stmt.insertAgentAudit.run(
      agent,
      r.seq,
      r.index,
      r.ts,
      r.actor,
      r.action,
      JSON.stringify(r.detail),
      r.prevHash,
      r.hash,
    );
  }

  // ---- audit ----

  /** Appends to the hub's audit log; the head is read inside the transaction, so concurrent hubs chain correctly. */
  appendAudit(actor: string, action: string, detail: Record<string, unknown>, ts = Date.now()): AuditEntry {
    return this.transaction(() => {
      const head = this.stmt.auditHead.get() as { idx: number; hash: string } | undefined;
      const entry = chainEntry(head ? { index: head.idx, hash: head.hash } : undefined, { ts, actor, action, detail });
      this.stmt.insertAudit.run(
        entry.index,
        entry.ts,
        entry.actor,
        entry.action,
        JSON.stringify(entry.detail),
        entry.prevHash,
        entry.hash,
      );
      return entry;
    });
  }

  // ---- config ----

  /** Stores a new config document under the next version; `sign` turns (version) into the signed envelope. */
  addConfig(agent: string, sign: (version: number) => string, detail: Record<string, unknown>): number {
    return this.transaction(() => {
      const version = (this.stmt.maxConfigVersion.get() as number) + 1;
      this.stmt.insertConfig.run(version, agent, sign(version), Date.now());
      this.appendAudit("operator", "config-set", { agent, version, ...detail });
      return version;
    });
  }

  latestConfig(agent: string): { version: number; envelope: string } | undefined {
    return this.stmt.latestConfig.get(agent) as { version: number; envelope: string } | undefined;
  }

  /**
   * The same as `barrier` without blocking the event loop: an fsync of the write-ahead log on libuv's thread pool
   * (fsync flushes the file, whoever wrote it), so every commit made before the call, by any hub process on this
   * database, is durable when it resolves.
   */
  async barrierAsync(): Promise<void> {
    const fd = this.walFd;
    if (fd === undefined) return this.barrier();
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
  }

  close(): void {
    if (!this.db.open) return;
    try {
      if (!this.db.readonly) this.barrier();
    } finally {
      this.db.close();
      if (this.walFd !== undefined) closeSync(this.walFd);
      this.walFd = undefined;
    }
  }
}

function toAgentRow(r: Record<string, unknown>): AgentRow {
  return {
    id: r.id as string,
    createdAt: r.created_at as number,
    epoch: r.epoch as string | null,
    ackedSeq: r.acked_seq as number,
    lastSeen: r.last_seen as number | null,
    version: r.version as string | null,
    backend: r.backend as string | null,
    status: r.status ? (JSON.parse(r.status as string) as StatusRecord) : null,
    records: r.records as number,
    rejected: JSON.parse(r.rejected as string) as Record<string, number>,
    hasPassword: r.password_hash !== null,
  };
}
