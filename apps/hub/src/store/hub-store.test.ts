import type { UpBatch } from "@nqp/contract";
import { verifyAuditChain } from "@nqp/contract/audit";
import { tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { HubStore } from "./hub-store";

const tmp = tempDir();
afterAll(() => tmp.remove());
let n = 0;
const fresh = () => new HubStore(`${tmp.path}/h${n++}`);

const predictions = (seqs: number[], epoch = "epoch-0001"): UpBatch => ({
  v: 1,
  agent: "a",
  epoch,
  kind: "predictions",
  streams: ["s"],
  rows: seqs.map((seq) => [seq, 0, 1000 * seq, seq, null, null, null, 0, 0, null, null, null]),
});
const anomalies = (seqs: number[]): UpBatch => ({
  v: 1,
  agent: "a",
  epoch: "epoch-0001",
  kind: "anomalies",
  records: seqs.map((seq) => ({
    seq,
    stream: "s",
    ts: 1000 * seq,
    type: "anomaly" as const,
    value: 1,
    score: 0.9,
    forecast: null,
    lower: null,
    upper: null,
    motif: null,
    predictionSeq: seq - 1,
  })),
});

describe("HubStore.ingest", () => {
  it("acks the highest contiguous seq across kinds and batches arriving out of order", () => {
    const store = fresh();
    expect(store.ingest(predictions([1, 2, 3]))).toMatchObject({ ok: true, acked: 3 });
    // 4 is an anomaly that has not arrived; 5-7 wait for it.
    expect(store.ingest(predictions([5, 6, 7]))).toMatchObject({ ok: true, acked: 3, advanced: false });
    expect(store.ingest(predictions([9, 10]))).toMatchObject({ ok: true, acked: 3 });
    expect(store.ingest(anomalies([4, 8]))).toMatchObject({ ok: true, acked: 10, advanced: true });
    expect(store.db.prepare("SELECT count(*) FROM received").pluck().get()).toBe(0);
    store.close();
  });

  it("stores a resent batch once (upsert on (agent, seq)) and counts each stream's records once", () => {
    const store = fresh();
    store.ingest(predictions([1, 2, 3]));
    store.ingest(predictions([1, 2, 3]));
    store.ingest(predictions([2, 3, 4]));
    expect(store.db.prepare("SELECT count(*) FROM predictions").pluck().get()).toBe(4);
    expect(store.db.prepare("SELECT records FROM streams WHERE stream = 's'").pluck().get()).toBe(4);
    expect(store.agent("a")?.ackedSeq).toBe(4);
    store.close();
  });

  it("refuses records from a new agent database (seq restarted) without touching stored ones", () => {
    const store = fresh();
    store.ingest(predictions([1, 2]));
    const r = store.ingest(predictions([1, 2], "epoch-0002"));
    expect(r).toMatchObject({ ok: false, reason: "epoch-mismatch", acked: 2 });
    expect(store.db.prepare("SELECT count(*) FROM predictions").pluck().get()).toBe(2);
    store.close();
  });

  it("shares one database between two hub processes' connections", () => {
    const dir = `${tmp.path}/shared`;
    const a = new HubStore(dir);
    const b = new HubStore(dir);
    a.ingest(predictions([1, 2]));
    b.ingest(predictions([4, 5]));
    expect(a.ingest(predictions([3])).ok && a.agent("a")?.ackedSeq).toBe(5);
    a.appendAudit("hub", "one", {});
    b.appendAudit("hub", "two", {});
    a.appendAudit("hub", "three", {});
    const rows = a.db
      .prepare("SELECT idx, ts, actor, action, detail, prev_hash, hash FROM audit ORDER BY idx")
      .all() as {
      idx: number;
      ts: number;
      actor: string;
      action: string;
      detail: string;
      prev_hash: string;
      hash: string;
    }[];
    const v = verifyAuditChain(
      rows.map((r) => ({
        index: r.idx,
        ts: r.ts,
        actor: r.actor,
        action: r.action,
        detail: JSON.parse(r.detail),
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
    );
    expect(v.ok).toBe(true);
    a.close();
    b.close();
  });

  it("keeps the agent audit copy append-only", () => {
    const store = fresh();
    const audit = (hash: string): UpBatch => ({
      v: 1,
      agent: "a",
      epoch: "epoch-0001",
      kind: "audit",
      records: [{ seq: 1, index: 1, ts: 1, actor: "agent:a", action: "x", detail: {}, prevHash: "0".repeat(64), hash }],
    });
    store.ingest(audit("a".repeat(64)));
    store.ingest(audit("b".repeat(64)));
    expect(store.db.prepare("SELECT hash FROM agent_audit").pluck().get()).toBe("a".repeat(64));
    store.close();
  });
});
