import type { ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@nqp/core";
import { LoadGenerator, verifyAgentAudit } from "@nqp/edge-agent";
import { HubStore, verifyHubAudit } from "@nqp/hub";
import { freePort, Mosquitto, spawnNqp } from "@nqp/testkit";
import Database from "better-sqlite3";
import { TcpProxy } from "./tcp-proxy";

/**
 * The chaos run: an agent and a hub (each its own nqp process) and Debian's mosquitto, with load from the sensor
 * simulator, while at random moments the agent is SIGKILLed and restarted, the hub is SIGKILLed and restarted,
 * the broker restarts, and the link between agent and hub is cut for `partitionSeconds`. Afterwards the hub must
 * hold exactly one prediction per accepted sample, in seq order per stream, and every published sample must have
 * been accepted.
 */
export interface ChaosOptions {
  dir: string;
  mosquitto: string;
  samples: number;
  streams: number;
  /** Samples per second published. */
  rate: number;
  /** Samples per message (1: single-sample payloads). */
  batch?: number;
  partitionSeconds: number;
  /** Each fault kind happens this many times (default 1). */
  rounds?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  published: number;
  acceptedByAgent: number;
  atHub: number;
  distinctSamplesAtHub: number;
  missing: number;
  duplicates: number;
  orderViolations: number;
  hubAckedSeq: number;
  agentLastPredictionSeq: number;
  faults: { kind: string; atSeconds: number }[];
  agentStarts: number;
  hubStarts: number;
  publishSeconds: number;
  drainSeconds: number;
  auditAgentOk: boolean;
  auditHubOk: boolean;
}

class Service {
  child: ChildProcess | undefined;
  starts = 0;
  private stderr = "";
  constructor(
    readonly name: string,
    private readonly args: string[],
  ) {}
  start(): void {
    this.starts++;
    const c = spawnNqp(this.args);
    c.stdout.resume();
    c.stderr.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = c;
  }
  async kill(signal: NodeJS.Signals): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill(signal);
    await exited;
  }
  get errors(): string {
    return this.stderr;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const log = o.log ?? (() => {});
  const rng = createRng(o.seed ?? 7);
  const rounds = o.rounds ?? 1;
  mkdirSync(o.dir, { recursive: true });
  const broker = await Mosquitto.start(o.mosquitto, { dir: join(o.dir, "mosquitto") });
  const proxy = await TcpProxy.start(await freePort(), broker.port);
  const hubDir = join(o.dir, "hub");
  const agentDir = join(o.dir, "agent");
  const hub = new Service("hub", [
    "hub",
    "--data",
    hubDir,
    "--broker",
    broker.url,
    "--name",
    "chaos",
    "--log-file",
    join(o.dir, "hub.log"),
  ]);
  const agent = new Service("agent", [
    "agent",
    "--id",
    "chaos",
    "--data",
    agentDir,
    "--ingest",
    broker.url,
    "--topic",
    "sensors/#",
    "--hub",
    `mqtt://127.0.0.1:${proxy.port}`,
    "--log-file",
    join(o.dir, "agent.log"),
  ]);
  const faults: ChaosReport["faults"] = [];
  const t0 = Date.now();
  const at = () => (Date.now() - t0) / 1000;
  try {
    hub.start();
    agent.start();
    // The agent's ingest session must exist at the broker before the load starts (persistent session).
    await waitForDb(join(agentDir, "agent.db"));
    await sleep(1500);

    const sent = new Map<string, number[]>();
    const gen = new LoadGenerator({
      url: broker.url,
      streams: o.streams,
      rate: o.rate,
      batch: o.batch ?? 1,
      total: o.samples,
      seed: o.seed ?? 7,
      stepMs: 1000,
      startMs: 1_700_000_000_000,
      onPublish: (topic, readings) => {
        const list = sent.get(topic) ?? [];
        sent.set(topic, list);
        for (const r of readings) list.push(r.ts);
      },
    });
    await gen.start();
    const publishStart = Date.now();
    const duration = o.samples / o.rate;
    const schedule: { at: number; kind: string; run: () => Promise<void> }[] = [];
    for (let r = 0; r < rounds; r++) {
      const span = duration / rounds;
      const base = r * span;
      const when = (a: number, b: number) => base + span * (a + (b - a) * rng.next());
      schedule.push(
        {
          at: when(0.05, 0.2),
          kind: "agent SIGKILL",
          run: async () => {
            await agent.kill("SIGKILL");
            await sleep(500 + 1500 * rng.next());
            agent.start();
          },
        },
        {
          at: when(0.25, 0.4),
          kind: "hub SIGKILL",
          run: async () => {
            await hub.kill("SIGKILL");
            await sleep(500 + 1500 * rng.next());
            hub.start();
          },
        },
        { at: when(0.45, 0.55), kind: "broker restart", run: () => broker.restart() },
        {
          at: when(0.6, 0.7),
          kind: `hub unreachable ${o.partitionSeconds} s`,
          run: async () => {
            await proxy.cut();
            await sleep(o.partitionSeconds * 1000);
            await proxy.restore();
          },
        },
      );
    }
    // Each fault at its own moment, independently: they may overlap (a kill during a partition, say).
    // The same kind never overlaps itself (one agent, one hub, one broker, one link).
    const byKind = new Map<string, Promise<void>>();
    await Promise.all(
      schedule.map(async (f) => {
        const wait = publishStart + f.at * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        const kind = f.kind.split(" ")[0] + f.kind.split(" ")[1];
        const before = byKind.get(kind) ?? Promise.resolve();
        const mine = before.then(async () => {
          faults.push({ kind: f.kind, atSeconds: Math.round(at() * 10) / 10 });
          log(`${at().toFixed(1)} s: ${f.kind}`);
          await f.run();
        });
        byKind.set(kind, mine);
        await mine;
      }),
    );
    faults.sort((a, b) => a.atSeconds - b.atSeconds);
    await gen.finished;
    const publishSeconds = (Date.now() - publishStart) / 1000;
    const published = gen.stats.published;
    log(`${at().toFixed(1)} s: published ${published}; draining`);

    // Drain: the agent has every sample, and the hub has acked every prediction.
    const drainStart = Date.now();
    const agentDb = new Database(join(agentDir, "agent.db"), { readonly: true });
    const hubDb = () => new Database(join(hubDir, "hub.db"), { readonly: true });
    let hubAcked = 0;
    let lastPrediction = 0;
    for (;;) {
      const accepted = agentDb.prepare("SELECT count(*) FROM predictions").pluck().get() as number;
      lastPrediction = (agentDb.prepare("SELECT max(seq) FROM predictions").pluck().get() as number) ?? 0;
      const h = hubDb();
      hubAcked = (h.prepare("SELECT acked_seq FROM agents WHERE id = 'chaos'").pluck().get() as number) ?? 0;
      h.close();
      if (accepted >= published && hubAcked >= lastPrediction) break;
      if (Date.now() - drainStart > (Number(process.env.NQP_CHAOS_DRAIN_S) || 180) * 1000)
        throw new Error(
          `not drained after 180 s: agent has ${accepted}/${published} samples, hub acked ${hubAcked}/${lastPrediction}\nagent: ${agent.errors}\nhub: ${hub.errors}`,
        );
      await sleep(250);
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    log(`${at().toFixed(1)} s: drained in ${drainSeconds.toFixed(1)} s`);
    await agent.kill("SIGTERM");
    await hub.kill("SIGTERM");

    const acceptedByAgent = agentDb.prepare("SELECT count(*) FROM predictions").pluck().get() as number;
    const h = hubDb();
    const atHub = h.prepare("SELECT count(*) FROM predictions WHERE agent = 'chaos'").pluck().get() as number;
    const distinct = h
      .prepare("SELECT count(*) FROM (SELECT DISTINCT stream, ts FROM predictions WHERE agent = 'chaos')")
      .pluck()
      .get() as number;
    // Per stream, seq order must be sample-time order.
    let orderViolations = 0;
    let prev: { stream: string; ts: number } | undefined;
    for (const r of h
      .prepare("SELECT stream, ts FROM predictions WHERE agent = 'chaos' ORDER BY stream, seq")
      .iterate() as IterableIterator<{ stream: string; ts: number }>) {
      if (prev && prev.stream === r.stream && r.ts <= prev.ts) orderViolations++;
      prev = r;
    }
    // Every published sample is at the hub.
    const have = new Map<string, Set<number>>();
    for (const r of h
      .prepare("SELECT stream, ts FROM predictions WHERE agent = 'chaos'")
      .iterate() as IterableIterator<{
      stream: string;
      ts: number;
    }>) {
      const s = have.get(r.stream) ?? new Set<number>();
      have.set(r.stream, s);
      s.add(r.ts);
    }
    let missing = 0;
    for (const [topic, list] of sent) for (const ts of list) if (!have.get(topic)?.has(ts)) missing++;
    // The hub's copy matches the agent's, record for record.
    const agentSeqs = agentDb
      .prepare("SELECT seq, stream_id, ts FROM predictions ORDER BY seq")
      .raw()
      .all() as number[][];
    const hubSeqs = new Set(
      (h.prepare("SELECT seq FROM predictions WHERE agent = 'chaos'").pluck().all() as number[]).map(Number),
    );
    const notAtHub = agentSeqs.filter((r) => !hubSeqs.has(r[0])).length;
    h.close();
    agentDb.close();
    const auditAgent = verifyAgentAudit(agentDir);
    const hubStore = new HubStore(hubDir, { readonly: true });
    const auditHub = verifyHubAudit(hubStore);
    hubStore.close();
    return {
      published,
      acceptedByAgent,
      atHub,
      distinctSamplesAtHub: distinct,
      missing: missing + notAtHub,
      duplicates: atHub - distinct,
      orderViolations,
      hubAckedSeq: hubAcked,
      agentLastPredictionSeq: lastPrediction,
      faults,
      agentStarts: agent.starts,
      hubStarts: hub.starts,
      publishSeconds,
      drainSeconds,
      auditAgentOk: auditAgent.ok,
      auditHubOk: auditHub.every((c) => c.ok),
    };
  } finally {
    await agent.kill("SIGKILL");
    await hub.kill("SIGKILL");
    await proxy.cut();
    await broker.stop();
  }
}

async function waitForDb(file: string): Promise<void> {
  const { existsSync } = await import("node:fs");
  for (let i = 0; i < 200 && !existsSync(file); i++) await sleep(50);
}
