import { existsSync, readFileSync } from "node:fs";
import { COMPUTE_BACKENDS } from "@nqp/contract";
import { Agent, loadAgentConfig } from "@nqp/edge-agent";
import { type Command, Option } from "commander";
import { action, type CommandModule } from "../shared/command";
import { createLogger, LOG_LEVELS } from "../shared/logger";
import { integer } from "../shared/options";
import { runUntilSignal } from "../shared/service";

interface AgentFlags {
  config?: string;
  id?: string;
  data?: string;
  ingest?: string;
  ingestUser?: string;
  ingestPassword?: string;
  topic?: string[];
  hub?: string;
  hubUser?: string;
  hubPassword?: string;
  hubKey?: string;
  http?: string;
  workers?: number;
  backend?: string;
  logLevel?: string;
  logFile?: string;
}

/** A key given as a file name is read from the file; anything else is the key itself (PEM or base64). */
function readKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return existsSync(value) ? readFileSync(value, "utf8") : value;
}

export const registerAgent: CommandModule = (program: Command) => {
  program
    .command("agent")
    .description(
      "run the edge agent: MQTT ingest → per-stream pipeline → SQLite → sync to the hub (stops cleanly on Ctrl-C)",
    )
    .option("--config <file>", "YAML or JSON config file (flags override it)")
    .option("--id <id>", "agent id (also its username at the hub)")
    .option("--data <dir>", "data directory (the agent's SQLite database)")
    .option("--ingest <url>", "sensor broker, e.g. mqtt://127.0.0.1:1883")
    .option("--ingest-user <user>", "username at the sensor broker")
    .option("--ingest-password <password>", "password at the sensor broker (or NQP_INGEST_PASSWORD)")
    .option("--topic <filter...>", "sensor topic filter(s) to subscribe to (default sensors/#)")
    .option("--hub <url>", "hub broker, e.g. mqtt://hub.local:1883")
    .option("--hub-user <user>", "username at the hub (default: the agent id)")
    .option("--hub-password <password>", "password at the hub (or NQP_HUB_PASSWORD)")
    .option("--hub-key <key-or-file>", "the hub's config-signing public key (base64, PEM, or a file holding it)")
    .option("--http <host:port>", "serve /healthz and /metrics here")
    .option("--workers <n>", "worker threads for the pipelines (0: in the agent's thread)", integer(0, 64))
    .addOption(
      new Option("--backend <name>", "kernel back end of the reservoir steps (default auto)").choices(COMPUTE_BACKENDS),
    )
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS))
    .option("--log-file <file>", "append JSON logs to this file instead of stdout")
    .action(
      action("agent", async (o: AgentFlags) => {
        const config = loadAgentConfig(o.config, {
          id: o.id,
          data: o.data,
          "ingest.url": o.ingest,
          "ingest.username": o.ingestUser,
          "ingest.password": o.ingestPassword,
          "ingest.topics": o.topic,
          "hub.url": o.hub,
          "hub.username": o.hubUser,
          "hub.password": o.hubPassword,
          "hub.publicKey": readKey(o.hubKey),
          http: o.http,
          "compute.pipelineWorkers": o.workers,
          "compute.backend": o.backend,
          "log.level": o.logLevel,
        });
        // Passwords from the environment keep them out of `ps` and shell history.
        if (config.ingest.password === undefined) config.ingest.password = process.env.NQP_INGEST_PASSWORD;
        if (config.hub && config.hub.password === undefined) config.hub.password = process.env.NQP_HUB_PASSWORD;
        const logger = await createLogger(config.log.level, o.logFile, { agent: config.id });
        const agent = await Agent.start({ config, logger });
        logger.info(
          {
            id: config.id,
            data: config.data,
            ingest: config.ingest.url,
            topics: config.ingest.topics,
            hub: config.hub?.url ?? null,
            http: agent.httpPort ?? null,
            engine: agent.engineName,
            backend: agent.backend,
            backendRequested: agent.backendSelection.requested,
            pipelines: agent.pipelineHost,
            streams: agent.engine.streamCount,
            lastSeq: agent.store.lastSeq,
            ackedSeq: agent.store.ackedSeq,
          },
          "agent started",
        );
        const fatal = new Promise((resolve) => agent.once("fatal", resolve));
        await runUntilSignal(() => agent.stop(), fatal);
      }),
    );
};
