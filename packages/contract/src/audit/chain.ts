import { createHash } from "node:crypto";

/**
 * The append-only, hash-chained audit log shared by agents and hubs. Each entry commits to the previous entry's
 * hash, so editing, deleting or reordering any entry breaks the chain at that point (a Merkle-style chain as in
 * Certificate Transparency logs, without the tree):
 *
 *   hash_i = SHA-256( canonical JSON of [index_i, ts_i, actor_i, action_i, detail_i, hash_{i-1}] ),  hash_0 = 0…0
 *
 * Canonical JSON sorts object keys, so a store that reorders the keys of `detail` does not break the chain.
 */
export const GENESIS_HASH = "0".repeat(64);

export interface AuditEntryContent {
  index: number;
  ts: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryContent {
  prevHash: string;
  hash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function auditHash(entry: AuditEntryContent, prevHash: string): string {
  const body = canonicalJson([entry.index, entry.ts, entry.actor, entry.action, entry.detail, prevHash]);
  return createHash("sha256").update(body).digest("hex");
}

/** The next entry after `head` (undefined for the first entry of a log). */
export function chainEntry(
  head: { index: number; hash: string } | undefined,
  content: Omit<AuditEntryContent, "index">,
): AuditEntry {
  const index = (head?.index ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const full = { ...content, index };
  return { ...full, prevHash, hash: auditHash(full, prevHash) };
}

export interface AuditProblem {
  /** The index of the entry at fault (for a deletion: the first missing index). */
  index: number;
  kind: "edited" | "deleted" | "reordered" | "broken-link";
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { index: number; hash: string } | null;
  problems: AuditProblem[];
}

/**
 * Verifies a log given in storage order (by position, not trusting the stored indexes). Reports every problem,
 * each naming the entry: an entry whose hash does not match its content was edited; a gap in the indexes is a
 * deletion; an index out of order is a reordering; a prevHash that does not match its predecessor's hash means
 * the entry before was replaced wholesale.
 */
export function verifyAuditChain(entries: readonly AuditEntry[], firstIndex = 1): AuditVerification {
  const problems: AuditProblem[] = [];
  let expectedIndex = firstIndex;
  let prev: AuditEntry | undefined;
  for (const e of entries) {
    const label = `entry ${e.index} (${new Date(e.ts).toISOString()} ${e.action})`;
    if (auditHash(e, e.prevHash) !== e.hash)
      problems.push({ index: e.index, kind: "edited", message: `${label}: its content does not match its hash` });
    if (e.index > expectedIndex) {
      const missing = e.index - expectedIndex;
      problems.push({
        index: expectedIndex,
        kind: "deleted",
        message:
          missing === 1
            ? `entry ${expectedIndex} is missing (deleted): the log goes from ${expectedIndex - 1} to ${e.index}`
            : `entries ${expectedIndex}-${e.index - 1} are missing (deleted)`,
      });
    } else if (e.index < expectedIndex) {
      problems.push({
        index: e.index,
        kind: "reordered",
        message: `${label}: appears after entry ${expectedIndex - 1} (reordered or duplicated)`,
      });
    }
    const expectedPrev = prev ? prev.hash : e.index === firstIndex ? GENESIS_HASH : undefined;
    if (expectedPrev !== undefined && e.prevHash !== expectedPrev && e.index >= expectedIndex)
      problems.push({
        index: e.index,
        kind: "broken-link",
        message: `${label}: does not follow the entry before it (that entry was edited or replaced)`,
      });
    expectedIndex = Math.max(expectedIndex, e.index + 1);
    prev = e;
  }
  const last = entries[entries.length - 1];
  return {
    ok: problems.length === 0,
    entries: entries.length,
    head: last ? { index: last.index, hash: last.hash } : null,
    problems,
  };
}
