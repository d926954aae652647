/**
 * The agent's SQLite schema (WAL). The database is the truth; memory is a cache.
 *
 * Every synced record has a `seq`, strictly increasing per agent across all four record tables and assigned in
 * the transaction that writes the record. The outbox is the set of records with seq > acked_seq (meta): there is no
 * second copy of a record to keep consistent, and "written in the same transaction as its outbox entry" holds by
 * construction. Retention deletes only records with seq ≤ acked_seq.
 */
export const AGENT_SCHEMA_VERSION = 1;

export const AGENT_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per stream. The pipeline's state is saved here now and then (snapshot); on start the agent loads it and
-- replays the stream's predictions rows with seq > snapshot_seq, which rebuilds the state exactly.
CREATE TABLE IF NOT EXISTS streams (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  created_at       INTEGER NOT NULL,
  config           TEXT NOT NULL,
  snapshot         TEXT,
  snapshot_seq     INTEGER NOT NULL DEFAULT 0,
  snapshot_last_ts REAL,
  snapshot_at      INTEGER
);

-- Exactly one row per accepted sample.
CREATE TABLE IF NOT EXISTS predictions (
  seq           INTEGER PRIMARY KEY,
  stream_id     INTEGER NOT NULL,
  ts            REAL NOT NULL,
  value         REAL NOT NULL,
  forecast      REAL,
  lower         REAL,
  upper         REAL,
  anomaly_score REAL NOT NULL,
  is_anomaly    INTEGER NOT NULL,
  next_forecast REAL,
  next_lower    REAL,
  next_upper    REAL
);

CREATE TABLE IF NOT EXISTS anomalies (
  seq            INTEGER PRIMARY KEY,
  stream_id      INTEGER NOT NULL,
  ts             REAL NOT NULL,
  type           TEXT NOT NULL,
  value          REAL NOT NULL,
  score          REAL NOT NULL,
  forecast       REAL,
  lower          REAL,
  upper          REAL,
  motif          INTEGER,
  prediction_seq INTEGER NOT NULL
);

-- Append-only and hash-chained (see @nqp/contract/audit); never removed by retention.
CREATE TABLE IF NOT EXISTS audit (
  seq       INTEGER PRIMARY KEY,
  idx       INTEGER NOT NULL UNIQUE,
  ts        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS status (
  seq  INTEGER PRIMARY KEY,
  ts   INTEGER NOT NULL,
  body TEXT NOT NULL
);

-- When records were committed (one row per group commit, at most every 100 ms): retention by age and the sync lag
-- go by commit time, not by sample time (replayed historic data would otherwise expire at once).
CREATE TABLE IF NOT EXISTS commit_log (
  seq INTEGER PRIMARY KEY,
  at  INTEGER NOT NULL
);
`;
