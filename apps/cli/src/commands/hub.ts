import { createWriteStream, readFileSync } from "node:fs";
import { type ConfigDocument, formatIssues, isAgentId, parseConfigText, RemoteAgentConfigSchema } from "@nqp/contract";
import { signConfigDocument } from "@nqp/contract/signing";
import { NqpError } from "@nqp/core";
import {
  type ExportFormat,
  type ExportKind,
  exportRecords,
  generatePassword,
  Hub,
  HubStore,
  hashPassword,
  loadSigningKey,
} from "@nqp/hub";
import { type Command, Option } from "commander";
import { action, type CommandModule } from "../shared/command";
import { createLogger, LOG_LEVELS } from "../shared/logger";
import { integer, requireOption } from "../shared/options";
import { printSummary } from "../shared/output";
import { runUntilSignal } from "../shared/service";
import { registerHubUsers } from "./hub-users";

interface HubFlags {
  data?: string;
  host?: string;
  mqttPort: number;
  wsPort?: number;
  httpPort?: number;
  httpHost?: string;
  broker?: string;
  brokerUser?: string;
  brokerPassword?: string;
  share?: string;
  name?: string;
  dashboard?: string;
  logLevel: string;
  logFile?: string;
}

export const registerHub: CommandModule = (program: Command) => {
  const hub = program
    .command("hub")
    .description("run the sync hub (embedded MQTT broker or an external one), or manage its agents, configs and data")
    // Options after a subcommand name (agent, config, export, key) belong to that subcommand.
    .enablePositionalOptions()
    .option("--data <dir>", "hub data directory (SQLite database, signing key); required")
    .option("--host <address>", "address the embedded broker listens on", "0.0.0.0")
    .option("--mqtt-port <port>", "embedded broker's MQTT port (0: a free one)", integer(0, 65535), 1883)
    .option("--ws-port <port>", "embedded broker's MQTT-over-WebSocket port (path /mqtt)", integer(0, 65535))
    .option("--http-port <port>", "health, metrics, dashboard API and dashboard", integer(0, 65535))
    .option("--http-host <address>", "address of the HTTP server", "127.0.0.1")
    .option("--broker <url>", "attach to this external broker instead of embedding one")
    .option("--broker-user <user>", "the hub's username at the external broker")
    .option("--broker-password <password>", "the hub's password there (or NQP_BROKER_PASSWORD)")
    .option("--share <group>", "MQTT shared-subscription group, for several hubs on one broker")
    .option("--name <name>", "this hub's name, unique among hubs on one broker", "hub")
    .option("--dashboard <dir>", "serve these static files as the dashboard (default: the desktop build if present)")
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .option("--log-file <file>", "append JSON logs to this file instead of stdout")
    .action(
      action("hub", async (o: HubFlags) => {
        const data = requireOption(o.data, "--data");
        const logger = await createLogger(o.logLevel, o.logFile, { hub: o.name });
        const h = await Hub.start({
          data,
          host: o.host,
          mqttPort: o.mqttPort,
          wsPort: o.wsPort,
          httpPort: o.httpPort,
          httpHost: o.httpHost,
          broker: o.broker,
          brokerUsername: o.brokerUser,
          brokerPassword: o.brokerPassword ?? process.env.NQP_BROKER_PASSWORD,
          shareGroup: o.share,
          name: o.name,
          dashboardDir: o.dashboard,
          logger,
        });
        logger.info(
          {
            data,
            mqttPort: h.mqttPort ?? null,
            wsPort: h.wsPort ?? null,
            httpPort: h.httpPort ?? null,
            broker: o.broker ?? "embedded",
          },
          "hub started",
        );
        await runUntilSignal(() => h.stop());
      }),
    );

  registerHubUsers(hub);
  const agent = hub.command("agent").description("manage agents in the hub's registry");
  agent
    .command("add")
    .description("register an agent and print its credentials (shown once; stored hashed)")
    .argument("<id>", "agent id: letters, digits, '_', '.', '-'")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--json", "print a JSON document")
    .action(
      action("hub agent add", async (id: string, o: { data: string; json?: boolean }) => {
        if (!isAgentId(id))
          throw new NqpError(
            "bad-agent-id",
            `agent id '${id}' is not valid: use 1-64 letters, digits, '_', '.' or '-'`,
          );
        const store = new HubStore(o.data);
        try {
          const password = generatePassword();
          store.addAgent(id, await hashPassword(password));
          const key = loadSigningKey(o.data);
          printSummary(
            o.json,
            { agent: id, username: id, password, hubPublicKey: key.publicKeyBase64, keyFingerprint: key.fingerprint },
            [
              `agent ${id} registered. Its password is shown only now:`,
              "",
              `  username:       ${id}`,
              `  password:       ${password}`,
              `  hub public key: ${key.publicKeyBase64}`,
              "",
              "start it with, e.g.:",
              `  NQP_HUB_PASSWORD='${password}' nqp agent --id ${id} --data ./agent-data \\`,
              `    --ingest mqtt://SENSOR-BROKER:1883 --topic 'sensors/#' --hub mqtt://HUB:1883 --hub-key ${key.publicKeyBase64}`,
            ].join("\n"),
          );
        } finally {
          store.close();
        }
      }),
    );
  agent
    .command("list")
    .description("list the fleet: last seen, acked seq, backlog, backend, rejected messages")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--json", "print a JSON document")
    .action(
      action("hub agent list", (o: { data: string; json?: boolean }) => {
        const store = new HubStore(o.data);
        try {
          const agents = store.agents().map((a) => ({
            id: a.id,
            lastSeen: a.lastSeen ? new Date(a.lastSeen).toISOString() : null,
            ackedSeq: a.ackedSeq,
            backlog: a.status?.outboxDepth ?? null,
            records: a.records,
            version: a.version,
            backend: a.backend,
            rejected: a.rejected,
          }));
          const lines = agents.map(
            (a) =>
              `${a.id}\tlast seen ${a.lastSeen ?? "never"}\tacked ${a.ackedSeq}\tbacklog ${a.backlog ?? "?"}\tbackend ${a.backend ?? "?"}\trejected ${JSON.stringify(a.rejected)}`,
          );
          printSummary(o.json, { agents }, lines.length ? lines.join("\n") : "no agents registered");
        } finally {
          store.close();
        }
      }),
    );

  const config = hub.command("config").description("signed config documents for agents");
  config
    .command("set")
    .description("sign a config document (YAML or JSON) for one agent or all, and publish it (retained) to them")
    .argument("<file>", "remote config: pipeline, retention, sync, log, labels, streams")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--agent <id>", "the agent it is for")
    .option("--all", "every agent")
    .option("--json", "print a JSON summary")
    .action(
      action("hub config set", (file: string, o: { data: string; agent?: string; all?: boolean; json?: boolean }) => {
        if (!o.agent === !o.all) throw new NqpError("missing-option", "give exactly one of --agent ID or --all");
        if (o.agent && !isAgentId(o.agent)) throw new NqpError("bad-agent-id", `agent id '${o.agent}' is not valid`);
        const raw = parseConfigText(readFileSync(file, "utf8"), file);
        const parsed = RemoteAgentConfigSchema.safeParse(raw);
        if (!parsed.success) throw new NqpError("bad-config", `${file}: ${formatIssues(parsed.error.issues)}`);
        const target = o.all ? "*" : (o.agent as string);
        const store = new HubStore(o.data);
        try {
          if (target !== "*" && !store.agent(target))
            throw new NqpError("unknown-agent", `agent '${target}' is not registered (nqp hub agent add ${target})`);
          const key = loadSigningKey(o.data);
          const version = store.addConfig(
            target,
            (v) => {
              const doc: ConfigDocument = { agent: target, version: v, issuedAt: Date.now(), config: parsed.data };
              return JSON.stringify(signConfigDocument(doc, key.privateKeyPem));
            },
            { file, keys: Object.keys(parsed.data), key: key.fingerprint },
          );
          printSummary(
            o.json,
            { agent: target, version, key: key.fingerprint },
            `config version ${version} signed for ${target === "*" ? "all agents" : `agent ${target}`}; a running hub publishes it within a second`,
          );
        } finally {
          store.close();
        }
      }),
    );

  hub
    .command("key")
    .description("print the hub's config-signing public key (agents need it: --hub-key)")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--json", "print a JSON document")
    .action(
      action("hub key", (o: { data: string; json?: boolean }) => {
        const key = loadSigningKey(o.data);
        printSummary(o.json, { publicKey: key.publicKeyBase64, fingerprint: key.fingerprint }, key.publicKeyBase64);
      }),
    );

  hub
    .command("export")
    .description("export stored records as JSON lines or CSV")
    .requiredOption("--data <dir>", "hub data directory")
    .addOption(
      new Option("--kind <kind>", "what to export")
        .choices(["predictions", "anomalies", "audit"])
        .makeOptionMandatory(),
    )
    .addOption(new Option("--format <format>", "output format").choices(["jsonl", "csv"]).default("jsonl"))
    .option("--agent <id>", "only this agent's records")
    .option("--output <file>", "write here instead of stdout")
    .action(
      action(
        "hub export",
        async (o: { data: string; kind: ExportKind; format: ExportFormat; agent?: string; output?: string }) => {
          const store = new HubStore(o.data, { readonly: true });
          try {
            const out = o.output ? createWriteStream(o.output) : process.stdout;
            const n = await exportRecords(store, { kind: o.kind, format: o.format, agent: o.agent }, out);
            if (o.output) {
              await new Promise<void>((resolve, reject) => out.end(() => resolve()).once("error", reject));
              process.stderr.write(`exported ${n} ${o.kind} rows to ${o.output}\n`);
            }
          } finally {
            store.close();
          }
        },
      ),
    );
};
