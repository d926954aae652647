import type { Writable } from "node:stream";
import { NqpError } from "@nqp/core";
import type { HubStore } from "../store/hub-store";

export type ExportKind = "predictions" | "anomalies" | "audit";
export type ExportFormat = "jsonl" | "csv";

const COLUMNS: Record<ExportKind, { sql: string; columns: string[] }> = {
  predictions: {
    sql: `SELECT agent, stream, ts, seq, value, forecast, lower, upper, anomaly_score, is_anomaly, next_forecast,
            next_lower, next_upper FROM predictions`,
    columns: [
      "agent",
      "stream",
      "ts",
      "seq",
      "value",
      "forecast",
      "lower",
      "upper",
      "anomaly_score",
      "is_anomaly",
      "next_forecast",
      "next_lower",
      "next_upper",
    ],
  },
  anomalies: {
    sql: `SELECT agent, stream, ts, seq, type, value, score, forecast, lower, upper, motif, prediction_seq
          FROM anomalies`,
    columns: [
      "agent",
      "stream",
      "ts",
      "seq",
      "type",
      "value",
      "score",
      "forecast",
      "lower",
      "upper",
      "motif",
      "prediction_seq",
    ],
  },
  audit: {
    sql: `SELECT source, agent, idx, seq, ts, actor, action, detail, prev_hash, hash FROM (
            SELECT 'hub' AS source, NULL AS agent, idx, NULL AS seq, ts, actor, action, detail, prev_hash, hash FROM audit
            UNION ALL
            SELECT 'agent', agent, idx, seq, ts, actor, action, detail, prev_hash, hash FROM agent_audit)`,
    columns: ["source", "agent", "idx", "seq", "ts", "actor", "action", "detail", "prev_hash", "hash"],
  },
};

/**
 * Streams records out of the hub's database in (agent, seq) order, as JSON lines or CSV (RFC 4180), without loading
 * them into memory. Returns the number of rows written.
 */
export async function exportRecords(
  store: HubStore,
  o: { kind: ExportKind; format: ExportFormat; agent?: string },
  out: Writable,
): Promise<number> {
  const spec = COLUMNS[o.kind];
  if (!spec) throw new NqpError("bad-kind", `unknown kind '${o.kind}' (expected predictions, anomalies or audit)`);
  const where = o.agent ? " WHERE agent = ?" : "";
  const order = o.kind === "audit" ? " ORDER BY source DESC, agent, idx" : " ORDER BY agent, seq";
  const stmt = store.db.prepare(`SELECT * FROM (${spec.sql})${where}${order}`).raw();
  const rows = (o.agent ? stmt.iterate(o.agent) : stmt.iterate()) as IterableIterator<unknown[]>;
  const cols = spec.columns;
  let n = 0;
  let buffer = "";
  const write = async (text: string) => {
    buffer += text;
    if (buffer.length < 1 << 16) return;
    const chunk = buffer;
    buffer = "";
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  };
  if (o.format === "csv") await write(`${cols.join(",")}\n`);
  for (const row of rows) {
    if (o.format === "jsonl") {
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < cols.length; i++) {
        let v = row[i];
        if (cols[i] === "is_anomaly") v = v === 1;
        else if (cols[i] === "detail") v = JSON.parse(v as string);
        obj[cols[i]] = v;
      }
      await write(`${JSON.stringify(obj)}\n`);
    } else {
      await write(`${row.map(csvCell).join(",")}\n`);
    }
    n++;
  }
  if (buffer) out.write(buffer);
  return n;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
