import { describe, expect, it } from "vitest";
import { type AuditEntry, auditHash, chainEntry, GENESIS_HASH, verifyAuditChain } from "./chain";

function log(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++)
    out.push(
      chainEntry(out[i - 1], { ts: 1_700_000_000_000 + i, actor: "agent:a", action: `act-${i}`, detail: { i } }),
    );
  return out;
}

describe("audit hash chain", () => {
  it("verifies an intact log and starts from the genesis hash", () => {
    const l = log(5);
    expect(l[0].prevHash).toBe(GENESIS_HASH);
    expect(l[0].index).toBe(1);
    expect(verifyAuditChain(l)).toMatchObject({ ok: true, entries: 5, head: { index: 5, hash: l[4].hash } });
  });

  it("does not depend on the key order of detail", () => {
    const a = { index: 1, ts: 1, actor: "x", action: "y", detail: { a: 1, b: { c: 2, d: 3 } } };
    const b = { ...a, detail: { b: { d: 3, c: 2 }, a: 1 } };
    expect(auditHash(a, GENESIS_HASH)).toBe(auditHash(b, GENESIS_HASH));
  });

  it("names an edited entry", () => {
    const l = log(5);
    l[2] = { ...l[2], detail: { i: 99 } };
    const v = verifyAuditChain(l);
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([expect.objectContaining({ index: 3, kind: "edited" })]);
  });

  it("names an entry edited with its hash recomputed (the next entry's link breaks)", () => {
    const l = log(5);
    const edited = { ...l[2], detail: { i: 99 } };
    l[2] = { ...edited, hash: auditHash(edited, edited.prevHash) };
    const v = verifyAuditChain(l);
    expect(v.problems).toEqual([expect.objectContaining({ index: 4, kind: "broken-link" })]);
    expect(v.problems[0].message).toMatch(/entry 4 .* does not follow/);
  });

  it("names a deleted and a reordered entry", () => {
    const l = log(6);
    const deleted = [...l.slice(0, 2), ...l.slice(3)];
    expect(verifyAuditChain(deleted).problems).toEqual([
      expect.objectContaining({ index: 3, kind: "deleted" }),
      expect.objectContaining({ index: 4, kind: "broken-link" }),
    ]);
    const swapped = [l[0], l[2], l[1], ...l.slice(3)];
    const kinds = verifyAuditChain(swapped).problems.map((p) => `${p.index}:${p.kind}`);
    expect(kinds).toContain("2:reordered");
    expect(kinds).toContain("2:deleted");
  });
});
