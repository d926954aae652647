import { statSync } from "node:fs";
import type { PipelineRecord } from "@nqp/core";
import { tempDir } from "@nqp/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { AgentStore } from "./agent-store";

const rec = (x: number): PipelineRecord => ({
  forecast: x,
  lower: x - 1,
  upper: x + 1,
  anomalyScore: 0.1,
  isAnomaly: false,
  next: { forecast: x + 1, lower: x, upper: x + 2 },
  patterns: [],
});

const dirs: { remove: () => void }[] = [];
function fresh() {
  const t = tempDir();
  dirs.push(t);
  return t.path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe("AgentStore", () => {
  it("checkpoints its write-ahead log on a thread of its own, keeping the log's size bounded", async () => {
    const dir = fresh();
    const store = new AgentStore(dir);
    const sid = store.transaction(() => store.createStream("s", {}));
    let ts = 0;
    const write = async (rows: number) => {
      for (let c = 0; c < rows / 1000; c++) {
        store.transaction(() => {
          for (let k = 0; k < 1000; k++) store.insertPrediction(sid, ++ts, ts, rec(ts));
        });
        await store.barrierAsync();
      }
    };
    const walBytes = () => statSync(`${dir}/agent.db-wal`).size;
    await write(60_000);
    // The event loop's connection no longer checkpoints by itself.
    expect(store.db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const first = walBytes();
    expect(first).toBeGreaterThan(2_000_000);
    // The thread copies the log into the database; the next commit then writes the log from its start again
    // instead of growing it (without the thread, the log would double here).
    await new Promise((r) => setTimeout(r, 1500));
    await write(60_000);
    expect(walBytes()).toBeLessThan(first * 1.5);
    expect(store.db.prepare("SELECT count(*) FROM predictions").pluck().get()).toBe(120_000);
    store.close();
  });

  it("hands out one seq per record, strictly increasing across kinds, none for a rolled-back transaction", () => {
    const store = new AgentStore(fresh());
    const sid = store.transaction(() => store.createStream("s", {}));
    const a = store.transaction(() => store.insertPrediction(sid, 1, 1, rec(1)));
    expect(() =>
      store.transaction(() => {
        store.insertPrediction(sid, 2, 2, rec(2));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    const b = store.transaction(() => store.appendAudit("agent:x", "test", { k: 1 }).index);
    const c = store.transaction(() => store.insertPrediction(sid, 3, 3, rec(3)));
    expect([a, c]).toEqual([1, 3]);
    expect(b).toBe(1);
    // Nothing is sent before it is durable.
    expect(store.readOutbox(0, 10)).toEqual([]);
    expect(store.durableSeq).toBe(0);
    expect(store.barrier()).toBe(3);
    const out = store.readOutbox(0, 10);
    expect(out.map((r) => [r.record.seq, r.kind])).toEqual([
      [1, "predictions"],
      [2, "audit"],
      [3, "predictions"],
    ]);
    expect(out[0].record).toMatchObject({ stream: "s", ts: 1, value: 1, forecast: 1, next: { forecast: 2 } });
    expect(store.readOutbox(1, 1).map((r) => r.record.seq)).toEqual([2]);
    store.close();
  });

  it("makes every commit durable at once with durability every-commit", () => {
    const store = new AgentStore(fresh(), { durability: "every-commit" });
    const sid = store.transaction(() => store.createStream("s", {}));
    store.transaction(() => store.insertPrediction(sid, 1, 1, rec(1)));
    expect(store.durableSeq).toBe(1);
    expect(store.needsBarrier).toBe(false);
    store.close();
  });

  it("persists acks, refuses acks that go backwards or beyond the last record", () => {
    const dir = fresh();
    const store = new AgentStore(dir);
    const sid = store.transaction(() => store.createStream("s", {}));
    store.transaction(() => {
      for (let i = 1; i <= 5; i++) store.insertPrediction(sid, i, i, rec(i));
    });
    expect(store.setAcked(9)).toBe(false);
    expect(store.setAcked(3)).toBe(true);
    expect(store.setAcked(2)).toBe(false);
    expect(store.outboxDepth).toBe(2);
    const epoch = store.epoch;
    store.close();
    const again = new AgentStore(dir);
    expect(again.ackedSeq).toBe(3);
    expect(again.lastSeq).toBe(5);
    expect(again.epoch).toBe(epoch);
    again.close();
  });

  it("never reuses a seq after retention removed every acknowledged row", () => {
    const dir = fresh();
    const store = new AgentStore(dir);
    const sid = store.transaction(() => store.createStream("s", {}));
    store.transaction(() => {
      for (let i = 1; i <= 10; i++) store.insertPrediction(sid, i, i, rec(i));
      store.saveSnapshot(sid, JSON.stringify({ version: 1 }), 10);
    });
    store.setAcked(10);
    const deleted = store.applyRetention(Date.now() + 1000, 1, 1_000_000);
    expect(deleted).toBe(10);
    store.close();
    const again = new AgentStore(dir);
    expect(again.transaction(() => again.insertPrediction(sid, 11, 11, rec(11)))).toBe(11);
    again.close();
  });

  it("keeps unacknowledged rows and rows a stream needs to rebuild its state", () => {
    const store = new AgentStore(fresh());
    const sid = store.transaction(() => store.createStream("s", {}));
    store.transaction(() => {
      for (let i = 1; i <= 10; i++) store.insertPrediction(sid, i, i, rec(i));
      store.saveSnapshot(sid, JSON.stringify({ version: 1 }), 10); // covers seq ≤ 10
    });
    store.transaction(() => {
      for (let i = 11; i <= 20; i++) store.insertPrediction(sid, i, i, rec(i));
    });
    store.setAcked(15);
    // By size: keep about 5 rows; only rows ≤ min(acked 15, snapshot 10) may go.
    expect(store.applyRetention(Date.now(), 3_600_000, 5)).toBe(10);
    expect(store.readOutbox(0, 100, store.lastSeq).map((r) => r.record.seq)).toEqual([
      11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    ]);
    // Nothing is old enough by age.
    expect(store.applyRetention(Date.now(), 3_600_000, 1_000_000)).toBe(0);
    store.close();
  });

  it("chains audit entries across reopen", () => {
    const dir = fresh();
    const store = new AgentStore(dir);
    const first = store.transaction(() => store.appendAudit("agent:x", "one", {}));
    store.close();
    const again = new AgentStore(dir);
    const second = again.transaction(() => again.appendAudit("agent:x", "two", {}));
    expect(second.index).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    again.close();
  });
});
