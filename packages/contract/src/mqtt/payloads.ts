import { z } from "zod";
import { StreamValidationSchema } from "../validation/report";
import { AGENT_ID_PATTERN } from "./topics";

/**
 * Payloads between agents and hubs (JSON, UTF-8). Every synced record carries the agent's `seq`: strictly increasing
 * per agent across all kinds, assigned in the agent's local transaction. The hub upserts on (agent, seq), so a
 * record sent twice is stored once.
 */
export const WIRE_VERSION = 1;

const seq = z.number().int().positive();
const finite = z.number().refine(Number.isFinite, "must be a finite number");
const nullableFinite = finite.nullable();
const epochMs = z
  .number()
  .int()
  .min(0)
  .max(Date.UTC(2200, 0, 1));
const hash = z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits");
const streamId = z.string().min(1).max(512);
const agentId = z.string().regex(AGENT_ID_PATTERN, "is not a valid agent id");

/** One per accepted sample: the sample, the forecast made for it, its interval and its anomaly score. */
export const PredictionRecordSchema = z.object({
  seq,
  stream: streamId,
  ts: z.number().min(0),
  value: finite,
  forecast: nullableFinite,
  lower: nullableFinite,
  upper: nullableFinite,
  anomalyScore: z.number().min(0).max(1),
  isAnomaly: z.boolean(),
  /** The forecast for the sample `horizon` steps after this one, made now. */
  next: z.object({ forecast: finite, lower: finite, upper: finite }).nullable(),
});
export type PredictionRecord = z.infer<typeof PredictionRecordSchema>;

/**
 * On the wire, prediction records travel as rows (arrays) with their stream as an index into the batch's `streams`
 * list: a third of the bytes of objects, and as much less to parse, for the kind that is 99 % of the traffic.
 * Row layout: [seq, stream index, ts, value, forecast, lower, upper, anomalyScore, isAnomaly (0/1), next.forecast,
 * next.lower, next.upper] (null where the record has null; next.* all null when `next` is null).
 */
export const PREDICTION_ROW_FIELDS = [
  "seq",
  "stream",
  "ts",
  "value",
  "forecast",
  "lower",
  "upper",
  "anomalyScore",
  "isAnomaly",
  "nextForecast",
  "nextLower",
  "nextUpper",
] as const;

export const PredictionRowSchema = z.tuple([
  seq,
  z.number().int().min(0),
  z.number().min(0),
  finite,
  nullableFinite,
  nullableFinite,
  nullableFinite,
  z.number().min(0).max(1),
  z.union([z.literal(0), z.literal(1)]),
  nullableFinite,
  nullableFinite,
  nullableFinite,
]);
export type PredictionRow = z.infer<typeof PredictionRowSchema>;

export function predictionRow(r: PredictionRecord, streamIndex: number): PredictionRow {
  return [
    r.seq,
    streamIndex,
    r.ts,
    r.value,
    r.forecast,
    r.lower,
    r.upper,
    r.anomalyScore,
    r.isAnomaly ? 1 : 0,
    r.next?.forecast ?? null,
    r.next?.lower ?? null,
    r.next?.upper ?? null,
  ];
}

/** Records as a batch's `streams` list and rows (streams indexed in order of first appearance). */
export function predictionRows(records: readonly PredictionRecord[]): { streams: string[]; rows: PredictionRow[] } {
  const index = new Map<string, number>();
  const rows = records.map((r) => {
    let i = index.get(r.stream);
    if (i === undefined) {
      i = index.size;
      index.set(r.stream, i);
    }
    return predictionRow(r, i);
  });
  return { streams: [...index.keys()], rows };
}

export function predictionFromRow(row: PredictionRow, streams: readonly string[]): PredictionRecord {
  const [seqN, si, ts, value, forecast, lower, upper, anomalyScore, isAnomaly, nf, nl, nu] = row;
  return {
    seq: seqN,
    stream: streams[si],
    ts,
    value,
    forecast,
    lower,
    upper,
    anomalyScore,
    isAnomaly: isAnomaly === 1,
    next: nf === null || nl === null || nu === null ? null : { forecast: nf, lower: nl, upper: nu },
  };
}

/** An event worth a person's attention: an anomalous sample, or a spike-pattern event (motif, change point). */
export const AnomalyRecordSchema = z.object({
  seq,
  stream: streamId,
  ts: z.number().min(0),
  type: z.enum(["anomaly", "motif", "change-point"]),
  value: finite,
  score: z.number().min(0).max(1),
  forecast: nullableFinite,
  lower: nullableFinite,
  upper: nullableFinite,
  motif: z.number().int().nullable(),
  /** The seq of the prediction record of the same sample. */
  predictionSeq: seq,
});
export type AnomalyRecord = z.infer<typeof AnomalyRecordSchema>;

/** One entry of an append-only, hash-chained audit log (see @nqp/contract/audit for the hash rule). */
export const AuditRecordSchema = z.object({
  seq,
  index: z.number().int().positive(),
  ts: epochMs,
  actor: z.string().min(1).max(200),
  action: z.string().min(1).max(100),
  detail: z.record(z.string(), z.unknown()),
  prevHash: hash,
  hash,
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** A periodic report of the agent's health, for the hub's fleet registry. */
export const StatusRecordSchema = z.object({
  seq,
  ts: epochMs,
  version: z.string().max(100),
  backend: z.string().max(100),
  streams: z.number().int().min(0),
  acceptedTotal: z.number().int().min(0),
  rejectedTotal: z.number().int().min(0),
  rejects: z.record(z.string(), z.number().int().min(0)),
  /** Records not yet acknowledged by the hub when this status was written. */
  outboxDepth: z.number().int().min(0),
  ackedSeq: z.number().int().min(0),
  uptimeSeconds: z.number().min(0),
  rssBytes: z.number().int().min(0),
  configVersion: z.number().int().min(0),
  auditHead: z.object({ index: z.number().int().positive(), hash }).nullable(),
  /**
   * Per stream: validation metrics of its forecasts over the samples this agent process has handled (see
   * StreamValidationSchema). Absent from agents that predate it.
   */
  validation: z.record(streamId, StreamValidationSchema).optional(),
});
export type StatusRecord = z.infer<typeof StatusRecordSchema>;

const batchHeader = {
  v: z.literal(WIRE_VERSION),
  agent: agentId,
  /** Random id of the agent's database: a new one means the agent's seq restarted (its data dir was replaced). */
  epoch: z.string().min(8).max(64),
};
const records = <T extends z.ZodType>(schema: T) => z.array(schema).min(1).max(100_000);

/** What an agent publishes to nqp/v1/agents/{id}/up/{kind}: records of one kind, in seq order. */
export const PredictionsBatchSchema = z
  .object({
    ...batchHeader,
    kind: z.literal("predictions"),
    streams: z.array(streamId).min(1).max(100_000),
    rows: records(PredictionRowSchema),
  })
  .refine((b) => b.rows.every((r) => r[1] < b.streams.length), "a row's stream index is beyond the streams list");
export type PredictionsBatch = z.infer<typeof PredictionsBatchSchema>;

export const UpBatchSchema = z.discriminatedUnion("kind", [
  PredictionsBatchSchema,
  z.object({ ...batchHeader, kind: z.literal("anomalies"), records: records(AnomalyRecordSchema) }),
  z.object({ ...batchHeader, kind: z.literal("audit"), records: records(AuditRecordSchema) }),
  z.object({ ...batchHeader, kind: z.literal("status"), records: records(StatusRecordSchema) }),
]);
export type UpBatch = z.infer<typeof UpBatchSchema>;

/** Hub → agent (retained): every record with seq ≤ acked is stored; the agent may compact them. */
export const AckSchema = z.object({
  v: z.literal(WIRE_VERSION),
  agent: agentId,
  epoch: z.string().min(8).max(64),
  acked: z.number().int().min(0),
  ts: epochMs,
});
export type Ack = z.infer<typeof AckSchema>;
