import { z } from "zod";
import { RemoteAgentConfigSchema } from "../config/agent-config";
import { AGENT_ID_PATTERN } from "../mqtt/topics";
import type { ApiMethodName } from "./channels";
import type {
  AgentConfigView,
  AgentSummary,
  Annotation,
  AnomalyPage,
  AuditPage,
  AuditVerifyResult,
  ConfigVersion,
  DesktopSettingsView,
  ImportSummary,
  OnlineValidation,
  SeriesData,
  SessionInfo,
  StreamSummary,
} from "./types";

/**
 * Parameters of every API method, as zod schemas: checked where a call crosses a boundary (the hub's WebSocket, the
 * desktop's IPC handlers), so neither a browser nor a compromised renderer can send the services anything else.
 */
const agentId = z.string().regex(AGENT_ID_PATTERN, "is not a valid agent id");
const streamId = z.string().min(1).max(512);
const time = z.number().finite();
const limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const finiteArray = (max: number) => z.array(z.number().finite()).max(max);

export const StreamRefSchema = z.strictObject({ agent: agentId, stream: streamId });

export const SpikeJobSchema = z.strictObject({
  kind: z.literal("spikes"),
  ts: finiteArray(20_000),
  value: finiteArray(20_000),
  encoder: z.enum(["delta", "population", "rate"]).default("population"),
  channels: z.number().int().min(3).max(64).default(16),
  /** Send-on-delta threshold in standard deviations of the window (the stream pipeline's pattern detector uses 0.5). */
  deltaThreshold: z.number().min(0.01).max(5).default(0.1),
  units: z.number().int().min(8).max(1000).default(120),
  seed: z.number().int().min(0).default(1),
});

export const OptimizeJobSchema = z.strictObject({
  kind: z.literal("optimize"),
  problem: z.enum(["portfolio", "schedule", "maxcut"]),
  /** The input file's text: portfolio CSV (prices or returns), schedule JSON, or a max-cut graph. */
  text: z.string().min(1).max(50_000_000),
  source: z.string().max(500).default("input"),
  k: z.number().int().min(1).optional(),
  riskAversion: z.number().min(0).default(1),
  returns: z.boolean().default(false),
  solver: z.enum(["sb", "bsb", "dsb", "asb", "sa", "exact"]).default("sb"),
  backend: z.string().max(20).default("auto"),
  timeLimitSec: z.number().min(0.1).max(3600).default(5),
  seed: z.number().int().min(0).default(1),
});

/** The predictors the desktop can fuse (core's by name; user ONNX models are validated with `nqp validate`). */
export const VALIDATION_PREDICTORS = ["esn", "lif", "naive", "ets"] as const;

/**
 * A walk-forward validation (core's runBacktest), with the options of `nqp validate` that apply to a series held in
 * memory; the result is the same report.
 */
export const ValidateJobSchema = z.strictObject({
  kind: z.literal("validate"),
  /** What was validated, as the report names it (a file name, or agent/stream). */
  source: z.string().max(500),
  ts: finiteArray(2_000_000),
  value: finiteArray(2_000_000),
  /** NAB-style labelled anomaly windows [start, end] in epoch ms. */
  labels: z
    .array(z.tuple([time, time]))
    .max(10_000)
    .optional(),
  /** Where the labels came from, as the report names it. */
  labelsSource: z.string().max(500).default("labels"),
  predictors: z
    .array(z.enum(VALIDATION_PREDICTORS))
    .min(1)
    .max(VALIDATION_PREDICTORS.length)
    .refine((p) => new Set(p).size === p.length, "a predictor is listed twice")
    .default(["esn", "lif", "naive", "ets"]),
  horizon: z.number().int().min(1).max(1000).default(1),
  coverage: z.number().gt(0).lt(1).default(0.9),
  /** Rows before scoring (default: core's, 15 % of the rows within [200, 1000]). */
  warmup: z.number().int().min(30).optional(),
  units: z.number().int().min(1).max(4096).default(100),
  seed: z.number().int().min(0).default(1),
  fusion: z.enum(["stacked", "inverse-loss", "equal"]).default("stacked"),
  /** Half-life in rows of the follow-the-leader safeguard; null turns it off. */
  guardHalfLife: z.number().int().min(1).nullable().default(2000),
  /** Rows kept in the report's series (every k-th beyond). */
  maxPoints: z.number().int().min(100).max(200_000).default(20_000),
});

export const JobSpecSchema = z.discriminatedUnion("kind", [SpikeJobSchema, OptimizeJobSchema, ValidateJobSchema]);
export type JobSpec = z.input<typeof JobSpecSchema>;
export type ParsedJobSpec = z.output<typeof JobSpecSchema>;

export const API_PARAMS = {
  "session.info": z.strictObject({}),
  "fleet.list": z.strictObject({}),
  "streams.list": z.strictObject({ agent: agentId.optional() }),
  "streams.series": z.strictObject({
    agent: agentId,
    stream: streamId,
    from: time.optional(),
    to: time.optional(),
    maxPoints: z.number().int().min(10).max(200_000).default(4000),
  }),
  "streams.subscribe": z.strictObject({ streams: z.array(StreamRefSchema).max(500) }),
  "streams.validation": z.strictObject({ agent: agentId.optional(), stream: streamId.optional() }),
  "anomalies.list": z.strictObject({
    agent: agentId.optional(),
    stream: streamId.optional(),
    status: z.enum(["open", "acknowledged", "all"]).default("all"),
    type: z.enum(["anomaly", "motif", "change-point"]).optional(),
    search: z.string().max(200).optional(),
    limit: limit(2000, 200),
    offset: z.number().int().min(0).default(0),
  }),
  "anomalies.annotate": z.strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8-64 letters, digits, '_' or '-'"),
    agent: agentId,
    seq: z.number().int().positive(),
    acknowledged: z.boolean(),
    label: z.enum(["true-positive", "false-positive", "unsure"]).nullable().default(null),
    note: z.string().max(4000).default(""),
    /** When the analyst made it (an offline desktop syncs it later). */
    at: z.number().int().min(0).optional(),
  }),
  "config.get": z.strictObject({ agent: agentId }),
  "config.history": z.strictObject({ agent: agentId.optional(), limit: limit(1000, 100) }),
  "config.push": z.strictObject({
    target: z.union([z.literal("*"), agentId]),
    config: RemoteAgentConfigSchema,
    note: z.string().max(1000).optional(),
  }),
  "config.rollback": z.strictObject({
    target: z.union([z.literal("*"), agentId]),
    version: z.number().int().positive(),
    note: z.string().max(1000).optional(),
  }),
  "audit.list": z.strictObject({
    chain: z.string().max(100).default("hub"),
    search: z.string().max(200).optional(),
    limit: limit(2000, 200),
    offset: z.number().int().min(0).default(0),
  }),
  "audit.verify": z.strictObject({}),
  "jobs.start": z.strictObject({ spec: JobSpecSchema }),
  "jobs.cancel": z.strictObject({ jobId: z.string().max(64) }),
  "imports.list": z.strictObject({}),
  "imports.save": z.strictObject({
    name: z.string().min(1).max(500),
    kind: z.enum(["series", "portfolio", "schedule", "labels"]),
    text: z.string().max(200_000_000),
  }),
  "imports.get": z.strictObject({ id: z.string().max(64) }),
  "settings.get": z.strictObject({}),
  "settings.set": z.strictObject({
    hubUrl: z
      .string()
      .max(2000)
      .refine((u) => /^https?:\/\/[^/]/i.test(u) && URL.canParse(u), "must be an http(s) URL such as http://hub:8080")
      .optional(),
    /** A dashboard token; null signs out (connects without one). Left out: unchanged. */
    token: z.string().min(1).max(500).nullable().optional(),
    theme: z.enum(["dark", "light"]).optional(),
  }),
} satisfies Record<ApiMethodName, z.ZodType>;

/** What each method answers. */
export interface ApiResults {
  "session.info": SessionInfo;
  "fleet.list": { agents: AgentSummary[]; onlineWindowMs: number };
  "streams.list": { streams: StreamSummary[] };
  "streams.series": SeriesData;
  "streams.subscribe": { subscribed: number };
  "streams.validation": { streams: OnlineValidation[] };
  "anomalies.list": AnomalyPage;
  "anomalies.annotate": { annotation: Annotation; auditIndex: number | null; pending: boolean };
  "config.get": AgentConfigView;
  "config.history": { versions: ConfigVersion[] };
  "config.push": { version: number; target: string; key: string };
  "config.rollback": { version: number; target: string; key: string; rollbackOf: number };
  "audit.list": AuditPage;
  "audit.verify": AuditVerifyResult;
  "jobs.start": { jobId: string };
  "jobs.cancel": { cancelled: boolean };
  "imports.list": { imports: ImportSummary[] };
  "imports.save": ImportSummary;
  "imports.get": ImportSummary & { text: string };
  "settings.get": DesktopSettingsView;
  "settings.set": DesktopSettingsView;
}

export type ApiParams<M extends ApiMethodName> = z.input<(typeof API_PARAMS)[M]>;
export type ApiParsedParams<M extends ApiMethodName> = z.output<(typeof API_PARAMS)[M]>;
export type ApiResult<M extends ApiMethodName> = ApiResults[M];

/** A transport-independent handler table: what the hub and the desktop's main process each implement. */
export type ApiHandlers<Ctx> = {
  [M in ApiMethodName]?: (params: ApiParsedParams<M>, ctx: Ctx) => ApiResult<M> | Promise<ApiResult<M>>;
};

/** Error as it crosses the wire: the NqpError code and its message. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

/** Validates a method's parameters; the message names the key ("streams.series: maxPoints: …"). */
export function parseApiParams<M extends ApiMethodName>(
  method: M,
  params: unknown,
): { ok: true; value: ApiParsedParams<M> } | { ok: false; error: ApiErrorBody } {
  const r = API_PARAMS[method].safeParse(params ?? {});
  if (r.success) return { ok: true, value: r.data as ApiParsedParams<M> };
  const detail = r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(params)"}: ${i.message}`)
    .join("; ");
  return { ok: false, error: { code: "bad-params", message: `${method}: ${detail}` } };
}
