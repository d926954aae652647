import { StatusRecordSchema } from "@nqp/contract";
import { tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { AgentStore } from "../store/agent-store";
import { corePipelineProvider } from "./pipeline-factory";
import { InlinePipelineHost, type PipelineHost } from "./pipeline-host";
import { type IncomingSample, StreamEngine } from "./stream-engine";
import { findPipelineWorker, WorkerPipelineHost } from "./worker-host";

const tmp = tempDir();
const hosts: PipelineHost[] = [];
afterAll(async () => {
  for (const h of hosts) await h.close();
  tmp.remove();
});

type HostKind = "inline" | "workers";
function host(kind: HostKind): PipelineHost {
  const h =
    kind === "inline"
      ? new InlinePipelineHost(corePipelineProvider().create)
      : new WorkerPipelineHost(findPipelineWorker() as URL, 2, (err) => {
          throw err;
        });
  hosts.push(h);
  return h;
}

async function engineFor(store: AgentStore, kind: HostKind, snapshotEverySamples: number) {
  const e = new StreamEngine({
    store,
    host: host(kind),
    pipelineConfig: () => ({ seed: 1, warmup: 50 }),
    streamId: (n) => (n === "raw/a" ? "A" : n),
    maxStreams: 3,
    snapshotEverySamples,
    snapshotEverySeconds: 3600,
  });
  await e.restore();
  return e;
}

async function ingest(store: AgentStore, e: StreamEngine, samples: IncomingSample[]) {
  const b = await e.step(samples);
  store.transaction(() => e.write(b));
  return b;
}

const samples = (streams: string[], from: number, to: number): IncomingSample[] =>
  Array.from({ length: to - from }, (_, k) => k + from).flatMap((i) =>
    streams.map((stream, s) => ({
      stream,
      ts: 1_000 * i,
      value: Math.sin(i / 7 + s) + (i > 300 && i % 197 === 0 ? 10 : 0),
      arrivedAt: 0,
    })),
  );

const predictions = (store: AgentStore) =>
  store
    .readOutbox(0, 100_000, store.lastSeq)
    .filter((r) => r.kind === "predictions")
    .map((r) => r.record);

describe("StreamEngine", () => {
  for (const kind of ["inline", "workers"] as const)
    it(`rebuilds streams after a crash exactly as if they had never stopped (${kind})`, async () => {
      const ref = new AgentStore(`${tmp.path}/ref-${kind}`);
      await ingest(ref, await engineFor(ref, kind, 40), samples(["s", "t", "u"], 0, 400));
      const dir = `${tmp.path}/crash-${kind}`;
      const a = new AgentStore(dir);
      await ingest(a, await engineFor(a, kind, 40), samples(["s", "t", "u"], 0, 250));
      a.close(); // no final snapshot: a crash
      const b = new AgentStore(dir);
      const eb = await engineFor(b, kind, 40);
      expect(eb.lastTs("t")).toBe(249_000);
      await ingest(b, eb, samples(["s", "t", "u"], 250, 400));
      expect(predictions(b)).toHaveLength(1200);
      expect(predictions(b)).toEqual(predictions(ref));
      b.close();
      ref.close();
    });

  it("gives identical records on worker threads and inline", async () => {
    const a = new AgentStore(`${tmp.path}/same-inline`);
    const b = new AgentStore(`${tmp.path}/same-workers`);
    const input = samples(["p", "q", "r"], 0, 600);
    await ingest(a, await engineFor(a, "inline", 100), input);
    await ingest(b, await engineFor(b, "workers", 100), input);
    const pa = predictions(a);
    expect(predictions(b)).toEqual(pa);
    expect(pa.some((p) => "forecast" in p && p.forecast !== null)).toBe(true);
    a.close();
    b.close();
  });

  it("rejects duplicates and out-of-order samples, maps stream ids, caps the stream count", async () => {
    const store = new AgentStore(`${tmp.path}/rules`);
    const engine = await engineFor(store, "inline", 1000);
    const b = await ingest(store, engine, [
      { stream: "raw/a", ts: 10, value: 1, arrivedAt: 0 },
      { stream: "raw/a", ts: 10, value: 1, arrivedAt: 0 },
      { stream: "raw/a", ts: 5, value: 1, arrivedAt: 0 },
      { stream: "b", ts: 1, value: 1, arrivedAt: 0 },
      { stream: "c", ts: 1, value: 1, arrivedAt: 0 },
      { stream: "d", ts: 1, value: 1, arrivedAt: 0 },
      { stream: "raw/a", ts: 11, value: 2, arrivedAt: 0 },
    ]);
    expect(b.jobs.length).toBe(4);
    expect(b.rejects).toEqual(["duplicate", "out-of-order", "too-many-streams"]);
    expect(engine.streamNames().sort()).toEqual(["A", "b", "c"]);
    store.close();
  });

  it("writes exactly one prediction per accepted sample and an anomaly event per anomalous one", async () => {
    const store = new AgentStore(`${tmp.path}/one`);
    const engine = await engineFor(store, "inline", 1000);
    const b = await ingest(store, engine, samples(["s"], 0, 2000));
    const out = store.readOutbox(0, 10_000, store.lastSeq);
    const preds = out.filter((o) => o.kind === "predictions");
    expect(preds.length).toBe(b.jobs.length);
    expect(b.jobs.length).toBe(2000);
    const flagged = preds.filter((p) => p.kind === "predictions" && p.record.isAnomaly).length;
    expect(flagged).toBeGreaterThan(0);
    expect(out.filter((a) => a.kind === "anomalies" && a.record.type === "anomaly").length).toBe(flagged);
    store.close();
  });

  it("keeps each stream's validation metrics from the forecasts it wrote, in the status contract's shape", async () => {
    const store = new AgentStore(`${tmp.path}/validation`);
    const engine = await engineFor(store, "workers", 1000);
    await ingest(store, engine, [...samples(["s"], 0, 1500), ...samples(["t"], 0, 30)]);
    const summary = engine.validationSummary();
    const predictions = store
      .readOutbox(0, 10_000, store.lastSeq)
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
