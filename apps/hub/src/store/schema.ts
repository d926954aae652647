/**
 * The hub's SQLite schema (WAL). Several hub processes may share one database file on one machine (two hubs on one
 * broker with shared subscriptions): every write is one IMMEDIATE transaction and the ack is computed from the
 * database, never from one process's memory.
 *
 * Agent records are keyed by (agent, seq) and upserted, so a batch received twice is stored once. `received` holds
 * the seq ranges stored beyond the contiguous prefix; `agents.acked_seq` is that prefix's end, the value acked.
 */
export const HUB_SCHEMA_VERSION = 1;

export const HUB_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Fleet registry. password_hash is NULL for agents that authenticate at an external broker.
CREATE TABLE IF NOT EXISTS agents (
  id            TEXT PRIMARY KEY,
  password_hash TEXT,
  created_at    INTEGER NOT NULL,
  epoch         TEXT,
  acked_seq     INTEGER NOT NULL DEFAULT 0,
  last_seen     INTEGER,
  version       TEXT,
  backend       TEXT,
  status        TEXT,
  records       INTEGER NOT NULL DEFAULT 0,
  rejected      TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS received (
  agent TEXT NOT NULL,
  first INTEGER NOT NULL,
  last  INTEGER NOT NULL,
  PRIMARY KEY (agent, first)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS predictions (
  agent         TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  stream        TEXT NOT NULL,
  ts            REAL NOT NULL,
  value         REAL NOT NULL,
  forecast      REAL,
  lower         REAL,
  upper         REAL,
  anomaly_score REAL NOT NULL,
  is_anomaly    INTEGER NOT NULL,
  next_forecast REAL,
  next_lower    REAL,
  next_upper    REAL,
  PRIMARY KEY (agent, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS predictions_by_stream ON predictions (agent, stream, seq);

-- One row per (agent, stream), kept up to date by ingest: what the dashboard lists without scanning predictions.
CREATE TABLE IF NOT EXISTS streams (
  agent    TEXT NOT NULL,
  stream   TEXT NOT NULL,
  records  INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  last_ts  REAL NOT NULL,
  PRIMARY KEY (agent, stream)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS anomalies (
  agent          TEXT NOT NULL,
  seq            INTEGER NOT NULL,
  stream         TEXT NOT NULL,
  ts             REAL NOT NULL,
  type           TEXT NOT NULL,
  value          REAL NOT NULL,
  score          REAL NOT NULL,
  forecast       REAL,
  lower          REAL,
  upper          REAL,
  motif          INTEGER,
  prediction_seq INTEGER NOT NULL,
  PRIMARY KEY (agent, seq)
) WITHOUT ROWID;

-- Agents' audit logs as they sent them (first copy kept: append-only).
CREATE TABLE IF NOT EXISTS agent_audit (
  agent     TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  idx       INTEGER NOT NULL,
  ts        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL,
  PRIMARY KEY (agent, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS agent_status (
  agent TEXT NOT NULL,
  seq   INTEGER NOT NULL,
  ts    INTEGER NOT NULL,
  body  TEXT NOT NULL,
  PRIMARY KEY (agent, seq)
) WITHOUT ROWID;

-- Signed config documents; version is one counter for the whole hub, so each agent sees versions increase.
CREATE TABLE IF NOT EXISTS configs (
  version    INTEGER PRIMARY KEY,
  agent      TEXT NOT NULL,
  envelope   TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- The hub's own audit log, hash-chained like the agents'.
CREATE TABLE IF NOT EXISTS audit (
  idx       INTEGER PRIMARY KEY,
  ts        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
`;
