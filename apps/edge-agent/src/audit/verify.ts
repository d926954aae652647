import { existsSync } from "node:fs";
import { join } from "node:path";
import { type AuditEntry, type AuditVerification, verifyAuditChain } from "@nqp/contract/audit";
import Database from "better-sqlite3";

export const AGENT_DB_FILE = "agent.db";

/** Verifies an agent's audit chain, read in storage (seq) order, from its data directory (read-only). */
export function verifyAgentAudit(dataDir: string): AuditVerification & { chain: string } {
  const file = join(dataDir, AGENT_DB_FILE);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT idx, ts, actor, action, detail, prev_hash, hash FROM audit ORDER BY seq").all() as {
      idx: number;
      ts: number;
      actor: string;
      action: string;
      detail: string;
      prev_hash: string;
      hash: string;
    }[];
    const entries: AuditEntry[] = rows.map((r) => {
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(r.detail) as Record<string, unknown>;
      } catch {
        detail = { unparseable: r.detail };
      }
      return { index: r.idx, ts: r.ts, actor: r.actor, action: r.action, detail, prevHash: r.prev_hash, hash: r.hash };
    });
    return { chain: "agent", ...verifyAuditChain(entries) };
  } finally {
    db.close();
  }
}

export function isAgentDataDir(dataDir: string): boolean {
  return existsSync(join(dataDir, AGENT_DB_FILE));
}
