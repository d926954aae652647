/**
 * Tables of the dashboard module, in the hub's database beside the sync tables (created if missing; the sync schema
 * is untouched). Annotations are keyed by the event they annotate: the latest state wins, and every accepted change
 * is also an entry in the hub's hash-chained audit log.
 */
export const DASHBOARD_SCHEMA = `
CREATE TABLE IF NOT EXISTS dashboard_users (
  name       TEXT PRIMARY KEY,
  role       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS annotations (
  agent        TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  id           TEXT NOT NULL,
  acknowledged INTEGER NOT NULL,
  label        TEXT,
  note         TEXT NOT NULL,
  author       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (agent, seq)
) WITHOUT ROWID;

-- Who pushed each config version through the dashboard, why, and which version a rollback re-issued.
CREATE TABLE IF NOT EXISTS config_notes (
  version     INTEGER PRIMARY KEY,
  author      TEXT NOT NULL,
  note        TEXT,
  rollback_of INTEGER
);
`;
