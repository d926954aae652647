import { NqpError } from "@nqp/core";
import YAML from "yaml";
import { z } from "zod";
import { AGENT_ID_PATTERN, isValidFilter } from "../mqtt/topics";

/**
 * The edge agent's configuration: a YAML or JSON file (YAML is a superset of JSON), then command-line flags on top.
 * Unknown keys are errors, so a typo never silently falls back to a default. Every error names its key path
 * ("ingest.topics[1]: …").
 */
const brokerUrl = z
  .string()
  .regex(/^(mqtts?|wss?|tcp|ssl):\/\/[^\s]+$/, "must be a broker URL such as mqtt://127.0.0.1:1883");
const seconds = z.number().positive();
const count = z.number().int().positive();

export const PipelineSettingsSchema = z.strictObject({
  horizon: count.max(1000).optional(),
  coverage: z.number().gt(0).lt(1).optional(),
  warmup: count.max(1_000_000).optional(),
  refitEvery: count.optional(),
  units: count.max(10_000).optional(),
  seed: z.number().int().min(0).optional(),
});

const retentionFields = {
  /** Acknowledged records older than this many hours (by sample time) are deleted. */
  maxAgeHours: z.number().positive(),
  /** Beyond this many stored prediction rows, the oldest acknowledged ones are deleted. */
  maxRows: count,
  intervalSeconds: seconds,
};
export const RetentionSettingsSchema = z.strictObject({
  maxAgeHours: retentionFields.maxAgeHours.default(24 * 7),
  maxRows: retentionFields.maxRows.default(20_000_000),
  intervalSeconds: retentionFields.intervalSeconds.default(60),
});

const syncFields = {
  /** Records per published batch. */
  batchRecords: count.max(50_000),
  /** Records published but not yet acknowledged, at most (backpressure when the hub is slow). */
  windowRecords: count,
  /** Without ack progress for this long, resend from the last ack (doubling up to 8×). */
  ackTimeoutSeconds: seconds,
  statusIntervalSeconds: seconds,
};
export const SyncSettingsSchema = z.strictObject({
  batchRecords: syncFields.batchRecords.default(2000),
  windowRecords: syncFields.windowRecords.default(20_000),
  ackTimeoutSeconds: syncFields.ackTimeoutSeconds.default(10),
  statusIntervalSeconds: syncFields.statusIntervalSeconds.default(10),
});

const logFields = {
  level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** Rejected payloads logged per minute at most; the rest are counted only. */
  rejectsPerMinute: z.number().int().min(0),
};
export const LogSettingsSchema = z.strictObject({
  level: logFields.level.default("info"),
  rejectsPerMinute: logFields.rejectsPerMinute.default(60),
});

/** `compute.backend` values: "auto" and the kernel back ends of @nqp/kernels (its `backendNames`). */
export const COMPUTE_BACKENDS = ["auto", "ts", "wasm", "wgsl", "ort-cpu", "ort-webgpu", "ort-cuda"] as const;
export type ComputeBackend = (typeof COMPUTE_BACKENDS)[number];

export const AgentConfigSchema = z.strictObject({
  id: z.string().regex(AGENT_ID_PATTERN, "must be 1-64 letters, digits, '_', '.' or '-'"),
  data: z.string().min(1),
  ingest: z.strictObject({
    url: brokerUrl,
    username: z.string().optional(),
    password: z.string().optional(),
    clientId: z.string().min(1).max(128).optional(),
    topics: z.array(z.string().refine(isValidFilter, "is not a valid MQTT topic filter")).min(1).default(["sensors/#"]),
    qos: z.union([z.literal(0), z.literal(1)]).default(1),
    /** Topic (or "{topic}/{name}" for named values) → stream id. Unmapped topics use the topic itself. */
    streams: z.record(z.string(), z.string().min(1).max(512)).default({}),
    maxPayloadBytes: count.default(262_144),
    maxSamplesPerMessage: count.default(10_000),
    maxStreams: count.default(10_000),
  }),
  hub: z
    .strictObject({
      url: brokerUrl,
      username: z.string().optional(),
      password: z.string().optional(),
      /** The hub's Ed25519 public key (PEM or base64 SPKI DER): config documents must be signed by it. */
      publicKey: z.string().optional(),
    })
    .optional(),
  sync: SyncSettingsSchema.prefault({}),
  pipeline: PipelineSettingsSchema.default({}),
  storage: z
    .strictObject({
      /**
       * How commits become durable (survive a power cut). "batched": transactions commit without an fsync and a
       * durability barrier (one fsync) follows every `durableEveryMs`; nothing is acknowledged to the sensor broker
       * or sent to the hub before its barrier, so a power cut loses only unacknowledged data, which the broker
       * redelivers. "every-commit": each group commit fsyncs (SQLite synchronous=FULL); simpler, slower on slow disks.
       */
      durability: z.enum(["batched", "every-commit"]).default("batched"),
      durableEveryMs: z.number().int().min(1).max(10_000).default(50),
      /** Samples per group commit at most. */
      commitMaxSamples: count.default(5000),
      /** A stream's state is saved after this many new samples, or this many seconds, whichever first. */
      // A snapshot costs about as much as replaying ~600 samples (core's pipeline, 64 units); every 20 000 samples
      // keeps that under 3 % while a restart replays at most 20 000 samples per stream.
      snapshotEverySamples: count.default(20_000),
      snapshotEverySeconds: seconds.default(300),
    })
    .prefault({}),
  retention: RetentionSettingsSchema.prefault({}),
  compute: z
    .strictObject({
      /**
       * Worker threads that run the streams' pipelines (streams are sharded by id); 0 runs them in the agent's own
       * thread. Threads pay off when the pipelines, not MQTT or SQLite, limit the ingest rate.
       */
      pipelineWorkers: z.number().int().min(0).max(64).default(0),
      /**
       * Kernel back end for the streams' reservoir steps (names of @nqp/kernels, docs/kernels.md): "auto" takes the
       * fastest one the stream pipeline can run; a name forces it, and the agent refuses to start if the pipeline
       * cannot run on it. The choice shows in the agent's log, status and metrics.
       */
      backend: z.enum(COMPUTE_BACKENDS).default("auto"),
    })
    .prefault({}),
  /** Address of the health and metrics endpoint, "host:port"; absent: no HTTP server. */
  http: z
    .string()
    .regex(/^[^\s:]+:\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:9100")
    .optional(),
  log: LogSettingsSchema.prefault({}),
  /** Free-form labels reported to the hub (site, line, …). */
  labels: z.record(z.string(), z.string()).default({}),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;

/**
 * The part of an agent's configuration the hub may change remotely, in a signed config document. Applied live;
 * pipeline settings apply to streams created after the change (existing streams keep their trained state).
 */
export const RemoteAgentConfigSchema = z.strictObject({
  pipeline: PipelineSettingsSchema.optional(),
  retention: z.strictObject(retentionFields).partial().optional(),
  sync: z.strictObject(syncFields).partial().optional(),
  log: z.strictObject(logFields).partial().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  streams: z.record(z.string(), z.string().min(1).max(512)).optional(),
});
export type RemoteAgentConfig = z.infer<typeof RemoteAgentConfigSchema>;

/** Formats schema issues as "key.path[0]: message" lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root = ""): string {
  return issues
    .map((i) => {
      const path = i.path.reduce<string>(
        (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
        root,
      );
      const detail =
        i.code === "unrecognized_keys" ? `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}` : i.message;
      return `${path || "(top level)"}: ${detail}`;
    })
    .join("; ");
}

/** Parses YAML or JSON text into a plain object, with the line of a syntax error in the message. */
export function parseConfigText(text: string, source: string): Record<string, unknown> {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new NqpError("bad-config", `${source}: ${line ? `line ${line}: ` : ""}${e.message.split("\n")[0]}`);
  }
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new NqpError("bad-config", `${source}: expected a mapping of keys to values at the top level`);
  return value as Record<string, unknown>;
}

/** Validates a merged configuration object (file + flags). */
export function validateAgentConfig(input: unknown, source = "agent config"): AgentConfig {
  const r = AgentConfigSchema.safeParse(input);
  if (!r.success) throw new NqpError("bad-config", `${source}: ${formatIssues(r.error.issues)}`);
  return r.data;
}
