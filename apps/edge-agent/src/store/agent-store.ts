import { randomUUID } from "node:crypto";
import { closeSync, fsync, mkdirSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { AnomalyRecord, AuditRecord, PredictionRecord, StatusRecord } from "@nqp/contract";
import { type AuditEntry, chainEntry } from "@nqp/contract/audit";
import { NqpError, type PipelineRecord } from "@nqp/core";
import Database from "better-sqlite3";
import { AGENT_SCHEMA, AGENT_SCHEMA_VERSION } from "./schema";

const CHECKPOINT_EVERY_MS = 500;
/** The checkpoint thread (see AgentStore.startCheckpointer): it posts a message when it cannot go on. */
const CHECKPOINT_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  const db = new (require(workerData.module))(workerData.path);
  db.pragma("busy_timeout = 1000");
  setInterval(() => {
    try {
      db.pragma("wal_checkpoint(PASSIVE)");
    } catch (err) {
      if (err.code !== "SQLITE_BUSY") parentPort.postMessage(String(err));
    }
  }, ${CHECKPOINT_EVERY_MS});
} catch (err) {
  parentPort.postMessage(String(err));
}
`;

export interface StreamRow {
  id: number;
  name: string;
  config: string;
  snapshot: string | null;
  snapshotSeq: number;
  snapshotLastTs: number | null;
}

export type OutboxRecord =
  | { kind: "predictions"; record: PredictionRecord }
  | { kind: "anomalies"; record: AnomalyRecord }
  | { kind: "audit"; record: AuditRecord }
  | { kind: "status"; record: StatusRecord };

export interface ReplayRow {
  seq: number;
  streamId: number;
  ts: number;
  value: number;
}

export interface AgentStoreOptions {
  /**
   * "batched" (default): commits do not fsync; `barrier()` makes everything committed so far durable with one fsync.
   * "every-commit": every transaction fsyncs (SQLite synchronous=FULL).
   */
  durability?: "batched" | "every-commit";
}

const DB_FILE = "agent.db";

function prepareStatements(db: Database.Database) {
  return {
    getMeta: db.prepare("SELECT value FROM meta WHERE key = ?").pluck(),
    setMeta: db.prepare(
      "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ),
    insertStream: db.prepare("INSERT INTO streams(name, created_at, config) VALUES (?, ?, ?)"),
    saveSnapshot: db.prepare(
      "UPDATE streams SET snapshot = ?, snapshot_seq = ?, snapshot_last_ts = ?, snapshot_at = ? WHERE id = ?",
    ),
    insertPrediction: db.prepare(
      `INSERT INTO predictions(seq, stream_id, ts, value, forecast, lower, upper, anomaly_score, is_anomaly,
         next_forecast, next_lower, next_upper) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAnomaly: db.prepare(
      `INSERT INTO anomalies(seq, stream_id, ts, type, value, score, forecast, lower, upper, motif, prediction_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertAudit: db.prepare(
      "INSERT INTO audit(seq, idx, ts, actor, action, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertStatus: db.prepare("INSERT INTO status(seq, ts, body) VALUES (?, ?, ?)"),
    insertCommitLog: db.prepare("INSERT OR REPLACE INTO commit_log(seq, at) VALUES (?, ?)"),
    extendCommitLog: db.prepare("UPDATE commit_log SET seq = ? WHERE seq = ?"),
    predictionsAfter: db.prepare(
      `SELECT seq, stream_id, ts, value, forecast, lower, upper, anomaly_score, is_anomaly, next_forecast,
         next_lower, next_upper FROM predictions WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
    anomaliesAfter: db.prepare(
      `SELECT seq, stream_id, ts, type, value, score, forecast, lower, upper, motif, prediction_seq
       FROM anomalies WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
    auditAfter: db.prepare(
      "SELECT seq, idx, ts, actor, action, detail, prev_hash, hash FROM audit WHERE seq > ? ORDER BY seq LIMIT ?",
    ),
    statusAfter: db.prepare("SELECT seq, body FROM status WHERE seq > ? ORDER BY seq LIMIT ?"),
    firstUnackedCommit: db.prepare("SELECT at FROM commit_log WHERE seq > ? ORDER BY seq LIMIT 1").pluck(),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * The agent's database (better-sqlite3, WAL). All writes go through `transaction`, which the ingest path calls once
 * per group commit; seq numbers are handed out inside it, so a rolled-back transaction hands none out.
 */
export class AgentStore {
  readonly db: Database.Database;
  readonly path: string;
  /** Random id of this database, sent with every batch: a new one tells the hub the seq numbering restarted. */
  readonly epoch: string;
  private nextSeqValue: number;
  private acked: number;
  private auditHead: { index: number; hash: string } | undefined;
  private lastCommitLogAt = 0;
  private lastCommitLogSeq = 0;
  private readonly streamNames = new Map<number, string>();
  private readonly stmt: Statements;
  private readonly everyCommit: boolean;
  /** Every record with seq ≤ this survives a power cut. */
  private durable: number;
  /** A read-only descriptor of the write-ahead log, for fsync off the event loop (see `barrierAsync`). */
  private walFd: number | undefined;
  /** The hub's ack changed since it was last written (it is written with the next commit or barrier). */
  private ackDirty = false;
  /** Runs the write-ahead log's checkpoints off the event loop (durability "batched"; started by barrierAsync). */
  private checkpointer: Worker | undefined;

  constructor(dataDir: string, options: AgentStoreOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, DB_FILE);
    try {
      this.db = new Database(this.path);
    } catch (err) {
      throw new NqpError("bad-data-dir", `cannot open ${this.path}: ${(err as Error).message}`);
    }
    this.db.pragma("journal_mode = WAL");
    this.everyCommit = options.durability === "every-commit";
    // In WAL mode NORMAL syncs only at checkpoints; `barrier` adds one fsync when the agent needs durability.
    this.db.pragma(`synchronous = ${this.everyCommit ? "FULL" : "NORMAL"}`);
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(AGENT_SCHEMA);
    this.stmt = prepareStatements(this.db);
    const version = this.getMeta("schema_version");
    if (version === undefined) this.setMeta("schema_version", String(AGENT_SCHEMA_VERSION));
    else if (Number(version) !== AGENT_SCHEMA_VERSION)
      throw new NqpError(
        "bad-data-dir",
        `${this.path} has schema version ${version}; this agent reads version ${AGENT_SCHEMA_VERSION}`,
      );
    let epoch = this.getMeta("epoch");
    if (!epoch) {
      epoch = randomUUID();
      this.setMeta("epoch", epoch);
    }
    this.epoch = epoch;
    this.acked = Number(this.getMeta("acked_seq") ?? 0);
    // Never reuse a seq: rows up to acked_seq may have been removed by retention.
    const maxSeq = (
      this.db
        .prepare(
          `SELECT max(m) AS m FROM (SELECT max(seq) AS m FROM predictions UNION ALL SELECT max(seq) FROM anomalies
       UNION ALL SELECT max(seq) FROM audit UNION ALL SELECT max(seq) FROM status)`,
        )
        .get() as { m: number | null }
    ).m;
    this.nextSeqValue = Math.max(maxSeq ?? 0, this.acked) + 1;
    // What is in the database after recovery is durable.
    this.durable = this.nextSeqValue - 1;
    if (!this.everyCommit) {
      // One synchronous barrier creates the write-ahead log (and syncs its directory entry) before its fd is kept.
      this.db.pragma("synchronous = FULL");
      this.transaction(() => this.stmt.setMeta.run("durable_seq", String(this.durable)));
      this.db.pragma("synchronous = NORMAL");
      this.walFd = openSync(`${this.path}-wal`, "r");
    }
    const head = this.db.prepare("SELECT idx, hash FROM audit ORDER BY idx DESC LIMIT 1").get() as
      | { idx: number; hash: string }
      | undefined;
    this.auditHead = head ? { index: head.idx, hash: head.hash } : undefined;
    this.reloadStreamNames();
  }

  private reloadStreamNames(): void {
    this.streamNames.clear();
    for (const s of this.db.prepare("SELECT id, name FROM streams").all() as { id: number; name: string }[])
      this.streamNames.set(s.id, s.name);
  }

  getMeta(key: string): string | undefined {
    return this.stmt.getMeta.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value);
  }

  /** Runs `fn` in one IMMEDIATE transaction; seq numbers handed out inside are rolled back with it. */
  transaction<T>(fn: () => T): T {
    const seqBefore = this.nextSeqValue;
    const headBefore = this.auditHead;
    const logBefore = [this.lastCommitLogAt, this.lastCommitLogSeq];
    try {
      const result = this.db
        .transaction(() => {
          const result = fn();
          this.writeAck();
          const last = this.nextSeqValue - 1;
          const now = Date.now();
          if (last >= seqBefore) {
            // One row per 100 ms: a commit within 100 ms of the last row extends that row to its seq.
            if (now - this.lastCommitLogAt >= 100 || this.lastCommitLogSeq === 0) {
              this.stmt.insertCommitLog.run(last, now);
              this.lastCommitLogAt = now;
            } else this.stmt.extendCommitLog.run(last, this.lastCommitLogSeq);
            this.lastCommitLogSeq = last;
          }
          return result;
        })
        .immediate();
      if (this.everyCommit) this.durable = this.nextSeqValue - 1;
      return result;
    } catch (err) {
      this.nextSeqValue = seqBefore;
      this.auditHead = headBefore;
      [this.lastCommitLogAt, this.lastCommitLogSeq] = logBefore;
      this.reloadStreamNames();
      throw err;
    }
  }

  get ackedSeq(): number {
    return this.acked;
  }

  /** The last seq handed out (0 before any record). */
  get lastSeq(): number {
    return this.nextSeqValue - 1;
  }

  /** Records not yet acknowledged by the hub (seq is contiguous, so this is exact). */
  get outboxDepth(): number {
    return this.lastSeq - this.acked;
  }

  get auditHeadEntry(): { index: number; hash: string } | null {
    return this.auditHead ?? null;
  }

  /**
   * Records the hub's ack; ignores acks that go backwards or beyond what was ever written. It is written to the
   * database with the next commit or barrier: losing it in a crash only means resending what the hub already has.
   */
  setAcked(seq: number): boolean {
    if (!(seq > this.acked) || seq > this.lastSeq) return false;
    this.acked = seq;
    this.ackDirty = true;
    return true;
  }

  private writeAck(): void {
    if (!this.ackDirty) return;
    this.stmt.setMeta.run("acked_seq", String(this.acked));
    this.ackDirty = false;
  }

  /** Every record with seq ≤ this is durable (survives a power cut): only these may be acked or synced. */
  get durableSeq(): number {
    return this.durable;
  }

  /** True when a barrier would make more records durable or save the hub's ack. */
  get needsBarrier(): boolean {
    return this.durable < this.lastSeq || this.ackDirty;
  }

  /**
   * Makes every commit so far durable with one fsync: a small transaction committed with synchronous=FULL syncs
   * the write-ahead log, and with it every earlier transaction in it. Returns the durable seq.
   */
  barrier(): number {
    if (!this.needsBarrier) return this.durable;
    const target = this.lastSeq;
    if (!this.everyCommit) this.db.pragma("synchronous = FULL");
    try {
      this.db
        .transaction(() => {
          this.stmt.setMeta.run("durable_seq", String(target));
          this.writeAck();
        })
        .immediate();
    } finally {
      if (!this.everyCommit) this.db.pragma("synchronous = NORMAL");
    }
    this.durable = target;
    return target;
  }

  /**
   * The same as `barrier`, without blocking the event loop: the hub's ack (if it changed) is written in a normal
   * commit, then the write-ahead log is fsynced on libuv's thread pool. fsync flushes the file (the inode), not one
   * descriptor, so every commit made before the call is durable when it completes; a checkpoint in between is
   * harmless, since SQLite syncs the log before a checkpoint and the database after it. Resolves with the seq that
   * became durable. At most one should run at a time (the ingest processor sees to that).
   */
  async barrierAsync(): Promise<number> {
    if (this.everyCommit || this.walFd === undefined) return this.barrier();
    this.checkpointer ??= this.startCheckpointer();
    if (!this.needsBarrier) return this.durable;
    if (this.ackDirty) this.transaction(() => {});
    const target = this.lastSeq;
    const fd = this.walFd;
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
    if (target > this.durable) this.durable = target;
    return this.durable;
  }

  private takeSeq(): number {
    return this.nextSeqValue++;
  }

  streams(): StreamRow[] {
    return (
      this.db
        .prepare("SELECT id, name, config, snapshot, snapshot_seq, snapshot_last_ts FROM streams ORDER BY id")
        .all() as {
        id: number;
        name: string;
        config: string;
        snapshot: string | null;
        snapshot_seq: number;
        snapshot_last_ts: number | null;
      }[]
    ).map((r) => ({
      id: r.id,
      name: r.name,
      config: r.config,
      snapshot: r.snapshot,
      snapshotSeq: r.snapshot_seq,
      snapshotLastTs: r.snapshot_last_ts,
    }));
  }

  createStream(name: string, config: unknown): number {
    const id = Number(this.stmt.insertStream.run(name, Date.now(), JSON.stringify(config)).lastInsertRowid);
    this.streamNames.set(id, name);
    return id;
  }

  /** Saves a stream's pipeline state (JSON text) as of every record written so far. */
  saveSnapshot(streamId: number, snapshot: string, lastTs: number): void {
    this.stmt.saveSnapshot.run(snapshot, this.lastSeq, lastTs, Date.now(), streamId);
  }

  /** Writes one sample's prediction record and returns its seq. */
  insertPrediction(streamId: number, ts: number, value: number, r: PipelineRecord): number {
    const seq = this.takeSeq();
    this.stmt.insertPrediction.run(
      seq,
      streamId,
      ts,
      value,
      r.forecast,
      r.lower,
      r.upper,
      r.anomalyScore,
      r.isAnomaly ? 1 : 0,
      r.next?.forecast ?? null,
      r.next?.lower ?? null,
      r.next?.upper ?? null,
    );
    return seq;
  }

  insertAnomaly(
    streamId: number,
    ts: number,
    value: number,
    type: AnomalyRecord["type"],
    score: number,
    r: PipelineRecord,
    motif: number | null,
    predictionSeq: number,
  ): number {
    const seq = this.takeSeq();
    this.stmt.insertAnomaly.run(
      seq,
      streamId,
      ts,
      type,
      value,
      score,
      r.forecast,
      r.lower,
      r.upper,
      motif,
      predictionSeq,
    );
    return seq;
  }

  /** Appends to the hash-chained audit log (call inside `transaction`). */
  appendAudit(actor: string, action: string, detail: Record<string, unknown>, ts = Date.now()): AuditEntry {
    const entry = chainEntry(this.auditHead, { ts, actor, action, detail });
    const seq = this.takeSeq();
    this.stmt.insertAudit.run(
      seq,
      entry.index,
      entry.ts,
      entry.actor,
      entry.action,
      JSON.stringify(entry.detail),
      entry.prevHash,
      entry.hash,
    );
    this.auditHead = { index: entry.index, hash: entry.hash };
    return entry;
  }

  insertStatus(status: Omit<StatusRecord, "seq">): number {
    const seq = this.takeSeq();
    this.stmt.insertStatus.run(seq, status.ts, JSON.stringify(status));
    return seq;
  }

  /** Prediction rows with seq > fromSeq, in seq order, for rebuilding stream state on start. */
  *replayRows(fromSeq: number): Generator<ReplayRow> {
    const it = this.db
      .prepare("SELECT seq, stream_id, ts, value FROM predictions WHERE seq > ? ORDER BY seq")
      .raw()
      .iterate(fromSeq) as IterableIterator<[number, number, number, number]>;
    for (const [seq, streamId, ts, value] of it) yield { seq, streamId, ts, value };
  }

  /** Up to `limit` records with afterSeq < seq ≤ upToSeq (default: durable ones), in seq order, across all kinds. */
  readOutbox(afterSeq: number, limit: number, upToSeq = this.durable): OutboxRecord[] {
    limit = Math.max(0, Math.min(limit, upToSeq - afterSeq));
    if (limit === 0) return [];
    const name = (id: number) => this.streamNames.get(id) ?? `#${id}`;
    const out: OutboxRecord[] = [];
    for (const r of this.stmt.predictionsAfter.raw().all(afterSeq, limit) as unknown[][]) {
      out.push({
        kind: "predictions",
        record: {
          seq: r[0] as number,
          stream: name(r[1] as number),
          ts: r[2] as number,
          value: r[3] as number,
          forecast: r[4] as number | null,
          lower: r[5] as number | null,
          upper: r[6] as number | null,
          anomalyScore: r[7] as number,
          isAnomaly: r[8] === 1,
          next: r[9] === null ? null : { forecast: r[9] as number, lower: r[10] as number, upper: r[11] as number },
        },
      });
    }
    for (const r of this.stmt.anomaliesAfter.raw().all(afterSeq, limit) as unknown[][]) {
      out.push({
        kind: "anomalies",
        record: {
          seq: r[0] as number,
          stream: name(r[1] as number),
          ts: r[2] as number,
          type: r[3] as AnomalyRecord["type"],
          value: r[4] as number,
          score: r[5] as number,
          forecast: r[6] as number | null,
          lower: r[7] as number | null,
          upper: r[8] as number | null,
          motif: r[9] as number | null,
          predictionSeq: r[10] as number,
        },
      });
    }
    for (const r of this.stmt.auditAfter.raw().all(afterSeq, limit) as unknown[][]) {
      out.push({
        kind: "audit",
        record: {
          seq: r[0] as number,
          index: r[1] as number,
          ts: r[2] as number,
          actor: r[3] as string,
          action: r[4] as string,
          detail: JSON.parse(r[5] as string),
          prevHash: r[6] as string,
          hash: r[7] as string,
        },
      });
    }
    for (const r of this.stmt.statusAfter.raw().all(afterSeq, limit) as unknown[][])
      out.push({ kind: "status", record: { seq: r[0] as number, ...JSON.parse(r[1] as string) } });
    if (out.length > 1) out.sort((a, b) => a.record.seq - b.record.seq);
    if (out.length > limit) out.length = limit;
    return out;
  }

  /** Commit time of the oldest unacknowledged record, or undefined when everything is acknowledged. */
  oldestUnackedCommit(): number | undefined {
    if (this.outboxDepth === 0) return undefined;
    return (this.stmt.firstUnackedCommit.get(this.acked) as number | undefined) ?? undefined;
  }

  /**
   * Deletes acknowledged records older than `maxAgeMs` (by commit time) and, beyond `maxRows` prediction rows, the
   * oldest acknowledged ones. Rows a stream still needs to rebuild its state (after its last snapshot) are kept.
   * Works in chunks so that ingest is never blocked for long. Returns the number of rows deleted.
   */
  applyRetention(now: number, maxAgeMs: number, maxRows: number, chunk = 50_000): number {
    // The ack that allows the deletion is made durable first.
    this.barrier();
    const minSnapshotSeq =
      (this.db.prepare("SELECT min(snapshot_seq) FROM streams").pluck().get() as number | null) ?? this.lastSeq;
    let bound = Math.min(this.acked, minSnapshotSeq);
    const byAge = this.db
      .prepare("SELECT max(seq) FROM commit_log WHERE at < ?")
      .pluck()
      .get(now - maxAgeMs) as number | null;
    // Prediction rows dominate the seq space, so "the last maxRows seqs" keeps about maxRows rows without counting.
    const bySize = this.lastSeq - maxRows;
    bound = Math.min(bound, Math.max(byAge ?? 0, bySize));
    if (bound <= 0) return 0;
    let deleted = 0;
    for (const table of ["predictions", "anomalies", "status"]) {
      const del = this.db.prepare(
        `DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE seq <= ? ORDER BY seq LIMIT ?)`,
      );
      for (;;) {
        const n = this.transaction(() => del.run(bound, chunk).changes);
        deleted += n;
        if (n < chunk) break;
      }
    }
    this.transaction(() => this.db.prepare("DELETE FROM commit_log WHERE seq < ?").run(bound));
    return deleted;
  }

  /** Makes everything durable (and the ack saved), then closes the database. */
  /**
   * SQLite's automatic checkpoint runs inside the commit that fills the log past 1 000 pages, on the event loop, with
   * two fsyncs: 10–35 ms stalls every few MB written (measured here), which every sample queued behind it waits for.
   * Instead a thread with its own connection runs a passive checkpoint every CHECKPOINT_EVERY_MS: it copies what
   * the log holds into the database while this connection keeps writing, and the next commit after a complete one
   * restarts the log from its beginning, so its size stays bounded as before. Should the thread fail, the automatic
   * checkpoint comes back.
   */
  private startCheckpointer(): Worker {
    const worker = new Worker(CHECKPOINT_THREAD, {
      eval: true,
      workerData: { module: createRequire(import.meta.url).resolve("better-sqlite3"), path: this.path },
    });
    worker.unref();
    const fallBack = () => {
      if (this.db.open) this.db.pragma("wal_autocheckpoint = 1000");
      void worker.terminate();
    };
    worker.once("error", fallBack);
    worker.once("message", fallBack);
    this.db.pragma("wal_autocheckpoint = 0");
    return worker;
  }

  close(): void {
    if (!this.db.open) return;
    void this.checkpointer?.terminate();
    this.checkpointer = undefined;
    try {
      this.barrier();
    } finally {
      this.db.close();
      if (this.walFd !== undefined) closeSync(this.walFd);
      this.walFd = undefined;
    }
  }
}
