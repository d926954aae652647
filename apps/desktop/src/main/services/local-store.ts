import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ImportSummary } from "@nqp/contract";
import Database from "better-sqlite3";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS cache (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  fetched_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Annotations made in the desktop, kept until the hub has stored them (the desktop's own outbox).
CREATE TABLE IF NOT EXISTS annotation_outbox (
  id         TEXT PRIMARY KEY,
  agent      TEXT NOT NULL,
  seq        INTEGER NOT NULL,
  params     TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  synced_at  INTEGER,
  error      TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS imports (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  text       TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
`;

export const LOCAL_DB_FILE = "nqp-desktop.db";

export interface OutboxAnnotation {
  id: string;
  agent: string;
  seq: number;
  params: Record<string, unknown>;
  createdAt: number;
}

/**
 * The workstation's local SQLite cache (better-sqlite3, WAL): answers of the hub the analyst has seen (so views
 * open offline), annotations not yet at the hub, and imported files. Main process only: the renderer never opens
 * files or databases.
 */
export class LocalStore {
  readonly db: Database.Database;
  /** Cached answers kept at most (oldest dropped first). */
  private readonly maxEntries: number;

  constructor(dir: string, options: { maxEntries?: number } = {}) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, LOCAL_DB_FILE));
    this.db.pragma("journal_mode = WAL");
    this.db.exec(SCHEMA);
    this.maxEntries = options.maxEntries ?? 5000;
  }

  put(key: string, value: unknown, now = Date.now()): void {
    this.db
      .prepare(
        "INSERT INTO cache(key, value, fetched_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at",
      )
      .run(key, JSON.stringify(value), now);
    const n = this.db.prepare("SELECT count(*) FROM cache").pluck().get() as number;
    if (n > this.maxEntries)
      this.db
        .prepare("DELETE FROM cache WHERE key IN (SELECT key FROM cache ORDER BY fetched_at LIMIT ?)")
        .run(n - this.maxEntries);
  }

  get<T>(key: string): { value: T; fetchedAt: number } | undefined {
    const row = this.db.prepare("SELECT value, fetched_at AS fetchedAt FROM cache WHERE key = ?").get(key) as
      | { value: string; fetchedAt: number }
      | undefined;
    return row ? { value: JSON.parse(row.value) as T, fetchedAt: row.fetchedAt } : undefined;
  }

  /** Every cached answer whose key starts with `prefix`. */
  getAll<T>(prefix: string): { key: string; value: T; fetchedAt: number }[] {
    return (
      this.db
        .prepare("SELECT key, value, fetched_at AS fetchedAt FROM cache WHERE substr(key, 1, ?) = ?")
        .all(prefix.length, prefix) as { key: string; value: string; fetchedAt: number }[]
    ).map((r) => ({ key: r.key, value: JSON.parse(r.value) as T, fetchedAt: r.fetchedAt }));
  }

  queueAnnotation(a: OutboxAnnotation): void {
    this.db
      .prepare(
        `INSERT INTO annotation_outbox(id, agent, seq, params, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET params = excluded.params, created_at = excluded.created_at, synced_at = NULL, error = NULL`,
      )
      .run(a.id, a.agent, a.seq, JSON.stringify(a.params), a.createdAt);
  }

  pendingAnnotations(): OutboxAnnotation[] {
    return (
      this.db
        .prepare(
          "SELECT id, agent, seq, params, created_at AS createdAt FROM annotation_outbox WHERE synced_at IS NULL ORDER BY created_at",
        )
        .all() as { id: string; agent: string; seq: number; params: string; createdAt: number }[]
    ).map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown> }));
  }

  markSynced(id: string, now = Date.now()): void {
    this.db.prepare("UPDATE annotation_outbox SET synced_at = ?, error = NULL WHERE id = ?").run(now, id);
  }

  /** The hub refused it for good: kept with the reason (synced_at −1), never sent again. */
  markRefused(id: string, error: string): void {
    this.db.prepare("UPDATE annotation_outbox SET synced_at = -1, error = ? WHERE id = ?").run(error, id);
  }

  saveImport(name: string, kind: ImportSummary["kind"], text: string): ImportSummary {
    const s: ImportSummary = { id: randomUUID(), name, kind, bytes: Buffer.byteLength(text), createdAt: Date.now() };
    this.db
      .prepare("INSERT INTO imports(id, name, kind, text, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(s.id, name, kind, text, s.bytes, s.createdAt);
    return s;
  }

  imports(): ImportSummary[] {
    return this.db
      .prepare("SELECT id, name, kind, bytes, created_at AS createdAt FROM imports ORDER BY created_at DESC")
      .all() as ImportSummary[];
  }

  importText(id: string): (ImportSummary & { text: string }) | undefined {
    return this.db
      .prepare("SELECT id, name, kind, bytes, created_at AS createdAt, text FROM imports WHERE id = ?")
      .get(id) as (ImportSummary & { text: string }) | undefined;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
