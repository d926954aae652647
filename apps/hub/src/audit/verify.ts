import { type AuditEntry, type AuditVerification, verifyAuditChain } from "@nqp/contract/audit";
import type { HubStore } from "../store/hub-store";

export interface ChainReport extends AuditVerification {
  chain: string;
}

type Row = { idx: number; ts: number; actor: string; action: string; detail: string; prev_hash: string; hash: string };

function toEntry(r: Row): AuditEntry {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    detail = { unparseable: r.detail };
  }
  return { index: r.idx, ts: r.ts, actor: r.actor, action: r.action, detail, prevHash: r.prev_hash, hash: r.hash };
}

/**
 * Verifies the hub's own audit chain and every agent's chain as the hub received it (up to each agent's acked seq:
 * beyond it, entries may still be on their way). Entries are read in storage order, not by their stated index.
 */
export function verifyHubAudit(store: HubStore): ChainReport[] {
  const db = store.db;
  const own = (
    db.prepare("SELECT idx, ts, actor, action, detail, prev_hash, hash FROM audit ORDER BY rowid").all() as Row[]
  ).map(toEntry);
  const reports: ChainReport[] = [{ chain: "hub", ...verifyAuditChain(own) }];
  const agents = db.prepare("SELECT id, acked_seq FROM agents ORDER BY id").all() as {
    id: string;
    acked_seq: number;
  }[];
  const rows = db.prepare(
    "SELECT idx, ts, actor, action, detail, prev_hash, hash FROM agent_audit WHERE agent = ? AND seq <= ? ORDER BY seq",
  );
  for (const a of agents) {
    const entries = (rows.all(a.id, a.acked_seq) as Row[]).map(toEntry);
    if (entries.length) reports.push({ chain: `agent ${a.id} (as synced)`, ...verifyAuditChain(entries) });
  }
  return reports;
}
