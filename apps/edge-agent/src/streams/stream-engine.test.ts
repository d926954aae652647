import { StatusRecordSchema } from "@nqp/contract";
import { tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { AgentStore } from "../store/agent-store";
import { corePipelineProvider } from "./pipeline-factory";
import { type IncomingSample, StreamEngine } from "./stream-engine";

const tmp = tempDir();
afterAll(() => tmp.remove());

function engineFor(store: AgentStore, snapshotEverySamples: number) {
  return new StreamEngine({
    store,
    createPipeline: corePipelineProvider().create,
    pipelineConfig: () => ({ seed: 1, warmup: 50 }),
    streamId: (n) => (n === "raw/a" ? "A" : n),
    maxStreams: 3,
    snapshotEverySamples,
    snapshotEverySeconds: 3600,
  });
}

const samples = (stream: string, from: number, to: number): IncomingSample[] =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { stream, ts: 1_000 * i, value: Math.sin(i / 7) + (i > 500 && i % 197 === 0 ? 10 : 0), arrivedAt: 0 };
  });

describe("StreamEngine", () => {
  it("rebuilds a stream after a restart exactly as if it had never stopped", () => {
    // Reference: one engine that never restarts.
    const ref = new AgentStore(`${tmp.path}/ref`);
    const refEngine = engineFor(ref, 40);
    ref.transaction(() => refEngine.process(samples("s", 0, 400)));
    const refOut = ref.readOutbox(0, 1000).filter((r) => r.kind === "predictions");

    // Interrupted: 250 samples (snapshots every 40), "crash" (no final snapshot), restart, the rest.
    const dir = `${tmp.path}/crash`;
    const a = new AgentStore(dir);
    const ea = engineFor(a, 40);
    a.transaction(() => ea.process(samples("s", 0, 250)));
    a.close();
    const b = new AgentStore(dir);
    const eb = engineFor(b, 40);
    expect(eb.lastTs("s")).toBe(249_000);
    b.transaction(() => eb.process(samples("s", 250, 400)));
    const out = b.readOutbox(0, 1000).filter((r) => r.kind === "predictions");
    expect(out.length).toBe(400);
    expect(out.map((r) => r.record)).toEqual(refOut.map((r) => r.record));
    b.close();
    ref.close();
  });

  it("rejects duplicates and out-of-order samples, maps stream ids, caps the stream count", () => {
    const store = new AgentStore(`${tmp.path}/rules`);
    const engine = engineFor(store, 1000);
    const r = store.transaction(() =>
      engine.process([
        { stream: "raw/a", ts: 10, value: 1, arrivedAt: 0 },
        { stream: "raw/a", ts: 10, value: 1, arrivedAt: 0 },
        { stream: "raw/a", ts: 5, value: 1, arrivedAt: 0 },
        { stream: "b", ts: 1, value: 1, arrivedAt: 0 },
        { stream: "c", ts: 1, value: 1, arrivedAt: 0 },
        { stream: "d", ts: 1, value: 1, arrivedAt: 0 },
        { stream: "raw/a", ts: 11, value: 2, arrivedAt: 0 },
      ]),
    );
    expect(r.accepted).toBe(4);
    expect(r.rejects).toEqual(["duplicate", "out-of-order", "too-many-streams"]);
    expect(engine.streamNames().sort()).toEqual(["A", "b", "c"]);
    store.close();
  });

  it("writes exactly one prediction per accepted sample and an anomaly event per anomalous one", () => {
    const store = new AgentStore(`${tmp.path}/one`);
    const engine = engineFor(store, 1000);
    const r = store.transaction(() => engine.process(samples("s", 0, 2000)));
    const out = store.readOutbox(0, 10_000);
    const predictions = out.filter((o) => o.kind === "predictions");
    const anomalies = out.filter((o) => o.kind === "anomalies");
    expect(predictions.length).toBe(r.accepted);
    expect(r.accepted).toBe(2000);
    const flagged = predictions.filter((p) => p.kind === "predictions" && p.record.isAnomaly).length;
    expect(flagged).toBeGreaterThan(0);
    expect(anomalies.filter((a) => a.kind === "anomalies" && a.record.type === "anomaly").length).toBe(flagged);
    store.close();
  });

  it("keeps each stream's validation metrics from the forecasts it wrote, in the status contract's shape", () => {
    const store = new AgentStore(`${tmp.path}/validation`);
    const engine = engineFor(store, 1000);
    store.transaction(() => engine.process([...samples("s", 0, 1500), ...samples("t", 0, 30)]));
    const summary = engine.validationSummary();
    const predictions = store
      .readOutbox(0, 10_000)
      .flatMap((o) => (o.kind === "predictions" && o.record.stream === "s" ? [o.record] : []));
    const withForecast = predictions.filter((p) => p.forecast !== null);
    expect(summary.s.count).toBe(withForecast.length);
    // The coverage is exactly the share of written values inside their written interval.
    const inside = withForecast.filter((p) => p.value >= (p.lower as number) && p.value <= (p.upper as number)).length;
    expect(summary.s.coverage).toBeCloseTo(inside / withForecast.length, 12);
    expect(summary.s.nominal).toBe(0.9);
    expect(summary.s.score).toBeGreaterThan(0);
    // Still warming up: nothing scored yet, so no metric and no score.
    expect(summary.t).toMatchObject({ count: 0, rmse: null, coverage: null, score: null });
    const status = StatusRecordSchema.parse({
      seq: 1,
      ts: 1,
      version: "x",
      backend: "ts",
      streams: 2,
      acceptedTotal: 1530,
      rejectedTotal: 0,
      rejects: {},
      outboxDepth: 0,
      ackedSeq: 0,
      uptimeSeconds: 1,
      rssBytes: 1,
      configVersion: 0,
      auditHead: null,
      validation: summary,
    });
    expect(status.validation?.s.count).toBe(summary.s.count);
    store.close();
  });
});
