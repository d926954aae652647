import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { validateAgentConfig } from "@nqp/contract";
import { Agent, LoadGenerator } from "@nqp/edge-agent";
import { generatePassword, Hub, hashPassword, loadSigningKey, startSensorBroker } from "@nqp/hub";
import type { Command } from "commander";
import { loadReplaySeries, Replayer } from "../demo/replay";
import { action, type CommandModule } from "../shared/command";
import { createLogger } from "../shared/logger";
import { integer, real } from "../shared/options";
import { preferredPort } from "../shared/ports";
import { exitWhenStopped, runUntilSignal } from "../shared/service";

interface DemoFlags {
  data: string;
  streams: number;
  rate: number;
  batch: number;
  stepSeconds: number;
  replay?: string;
  seed: number;
  duration?: number;
}

const AGENT_ID = "demo-agent";

/** The demo's agent password, made once and kept in the demo's data directory (owner-readable only). */
async function demoCredentials(hub: Hub, dir: string): Promise<string> {
  const file = join(dir, "demo-agent-password");
  if (hub.store.agent(AGENT_ID) && existsSync(file)) return readFileSync(file, "utf8").trim();
  const password = generatePassword();
  if (hub.store.agent(AGENT_ID)) hub.store.db.prepare("DELETE FROM agents WHERE id = ?").run(AGENT_ID);
  hub.store.addAgent(AGENT_ID, await hashPassword(password));
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

export const registerDemo: CommandModule = (program: Command) => {
  program
    .command("demo")
    .description(
      "run a hub (embedded broker), one edge agent and simulated industrial sensors over MQTT, with the dashboard; Ctrl-C stops everything",
    )
    .option("--data <dir>", "where the demo keeps its databases and logs", ".nqp/demo")
    .option("--streams <n>", "simulated sensor streams", integer(1, 10_000), 8)
    .option("--rate <samples-per-second>", "samples per second over all streams", real(0.1, 1_000_000), 40)
    .option("--batch <n>", "samples per MQTT message (1: single samples; more: JSON arrays)", integer(1, 10_000), 1)
    .option("--step-seconds <s>", "simulated seconds between a stream's samples", integer(1, 86_400), 60)
    .option("--replay <dir>", "publish the CSV files under this directory instead (e.g. ../shared/data/nab/data)")
    .option("--seed <seed>", "simulator seed", integer(0), 1)
    .option("--duration <seconds>", "stop by itself after this long", real(1))
    .action(
      action("demo", async (o: DemoFlags) => {
        const dir = resolve(o.data);
        mkdirSync(join(dir, "logs"), { recursive: true });
        const host = "127.0.0.1";
        const [mqttPort, wsPort, httpPort, sensorPort, agentHttp] = [
          await preferredPort(1883),
          await preferredPort(8083),
          await preferredPort(8080),
          await preferredPort(1884),
          await preferredPort(9100),
        ];
        const replay = o.replay ? loadReplaySeries(o.replay) : undefined;
        const sensors = await startSensorBroker({ host, port: sensorPort });
        const hub = await Hub.start({
          data: join(dir, "hub"),
          host,
          mqttPort,
          wsPort,
          httpPort,
          httpHost: host,
          logger: await createLogger("info", join(dir, "logs", "hub.log"), { hub: "demo" }),
        });
        const password = await demoCredentials(hub, dir);
        const agent = await Agent.start({
          config: validateAgentConfig({
            id: AGENT_ID,
            data: join(dir, "agent"),
            ingest: { url: `mqtt://${host}:${sensors.port}`, topics: ["sensors/#"] },
            hub: {
              url: `mqtt://${host}:${hub.mqttPort}`,
              password,
              publicKey: loadSigningKey(join(dir, "hub")).publicKeyBase64,
            },
            http: `${host}:${agentHttp}`,
          }),
          logger: await createLogger("info", join(dir, "logs", "agent.log"), { agent: AGENT_ID }),
        });

        // Carry on after the agent's last sample (a restarted demo must not send times the agent has seen).
        let source: { published: () => number; stop: () => Promise<void> };
        if (replay) {
          const r = new Replayer(replay, `mqtt://${host}:${sensors.port}`, o.rate, (topic) =>
            agent.engine.lastTs(topic),
          );
          await r.start();
          source = { published: () => r.published, stop: () => r.stop() };
        } else {
          const stepMs = o.stepSeconds * 1000;
          const last = Math.max(0, ...agent.engine.streamNames().map((s) => agent.engine.lastTs(s) ?? 0));
          const gen = new LoadGenerator({
            url: `mqtt://${host}:${sensors.port}`,
            streams: o.streams,
            rate: o.rate,
            batch: o.batch,
            seed: o.seed,
            stepMs,
            startMs: Math.max(Math.floor(Date.now() / stepMs) * stepMs, last + stepMs),
          });
          await gen.start();
          source = { published: () => gen.stats.published, stop: () => gen.stop() };
        }

        const out = (s: string) => process.stdout.write(`${s}\n`);
        out("NQP demo running: hub with embedded broker, one edge agent, simulated sensors");
        out(`  dashboard:       http://${host}:${hub.httpPort}/`);
        out(`  hub broker:      mqtt://${host}:${hub.mqttPort} (MQTT over WebSocket: ws://${host}:${hub.wsPort}/mqtt)`);
        out(`  sensor broker:   mqtt://${host}:${sensors.port}`);
        out(`  agent metrics:   http://${host}:${agent.httpPort}/metrics`);
        out(
          `  data:            ${dir} (${replay ? `replaying ${replay.length} CSV files` : `${o.streams} streams`}, ${o.rate} samples/s)`,
        );
        out("  ports: 1883, 8083, 8080, 1884 and 9100 where free, else free ones. Ctrl-C stops.");
        const report = setInterval(() => {
          const h = agent.health();
          out(
            `published ${source.published()}  accepted ${agent.metrics.acceptedTotal}  rejected ${[...agent.metrics.rejectCounts.values()].reduce((a, b) => a + b, 0)}  hub acked seq ${h.ackedSeq}/${h.lastSeq}  anomalies at hub ${hub.store.db.prepare("SELECT count(*) FROM anomalies").pluck().get()}`,
          );
        }, 5000);
        let stopped: Promise<void> | undefined;
        const stop = () =>
          (stopped ??= (async () => {
            clearInterval(report);
            await source.stop();
            await agent.stop();
            await hub.stop();
            await sensors.close();
            out("demo stopped");
          })());
        const timeUp = o.duration
          ? new Promise<void>((r) => setTimeout(r, (o.duration as number) * 1000).unref())
          : new Promise<void>(() => {});
        const fatal = new Promise((r) => agent.once("fatal", r));
        let failed = false;
        await Promise.race([
          runUntilSignal(
            stop,
            fatal.then(() => (failed = true)),
          ),
          timeUp.then(stop),
        ]);
        if (failed) process.exitCode = 1;
        exitWhenStopped();
      }),
    );
};
