import type { RemoteAgentConfig } from "../config";
import type { StreamValidation, ValidationReport } from "../validation/report";
import type { Role } from "./roles";

/** The dashboard API's data shapes (results and events). Parameters are in ./params.ts (validated with zod). */

export interface SessionInfo {
  role: Role;
  /** Who the hub took the caller to be ("local" for unauthenticated loopback use). */
  user: string;
  /** "hub": a browser talking to the hub directly; "desktop": the Electron app's main process. */
  via: "hub" | "desktop";
  hubVersion: string | null;
  /** False while the desktop's link to the hub is down (its answers then come from the local cache). */
  connected: boolean;
  /** Local methods this host serves (jobs, imports, settings kept by the desktop's main process). */
  local: { jobs: boolean; imports: boolean; settings: boolean; backends: string[] };
  serverTime: number;
}

export interface AgentSummary {
  id: string;
  createdAt: number;
  lastSeen: number | null;
  /** Seen within the last `onlineWindowMs` (three status intervals). */
  online: boolean;
  ackedSeq: number;
  backlog: number | null;
  records: number;
  streams: number;
  version: string | null;
  backend: string | null;
  /** Rejected sensor payloads reported by the agent plus batches and messages the hub refused. */
  errors: number;
  rejected: Record<string, number>;
  configVersion: number | null;
  uptimeSeconds: number | null;
  rssBytes: number | null;
}

export interface LatestPoint {
  ts: number;
  value: number;
  forecast: number | null;
  lower: number | null;
  upper: number | null;
  anomalyScore: number;
  isAnomaly: boolean;
}

export interface StreamSummary {
  agent: string;
  stream: string;
  records: number;
  lastSeq: number;
  firstTs: number | null;
  lastTs: number;
  latest: LatestPoint | null;
}

/**
 * A stream's series over [from, to], columnar. When the range holds more rows than asked for, each time bucket
 * keeps its minimum and maximum value (in time order), the bucket's lowest lower and highest upper bound and its
 * highest anomaly score, so that spikes survive decimation.
 */
export interface SeriesData {
  agent: string;
  stream: string;
  from: number;
  to: number;
  /** Rows in the range at full resolution (answered from the desktop's cache: the rows the cache holds there). */
  rows: number;
  decimated: boolean;
  /** Set when the desktop answered from its offline cache: when the cached answer was fetched from the hub. */
  cachedAt?: number;
  /** The stream's whole extent, for the overview. */
  extent: { first: number; last: number } | null;
  lastSeq: number;
  ts: number[];
  value: number[];
  forecast: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  score: number[];
  /** Samples flagged anomalous in the range (all of them, up to 10 000). */
  anomalies: { ts: number[]; value: number[]; score: number[] };
}

/** New rows of a subscribed stream (live), columnar. */
export interface StreamPoints {
  agent: string;
  stream: string;
  lastSeq: number;
  ts: number[];
  value: number[];
  forecast: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  score: number[];
  anomaly: boolean[];
}

export type AnnotationLabel = "true-positive" | "false-positive" | "unsure";

export interface Annotation {
  /** Client-made id: annotating again with the same id updates (an offline desktop's replays are harmless). */
  id: string;
  acknowledged: boolean;
  label: AnnotationLabel | null;
  note: string;
  author: string;
  updatedAt: number;
}

export interface AnomalyEvent {
  agent: string;
  seq: number;
  stream: string;
  ts: number;
  type: "anomaly" | "motif" | "change-point";
  value: number;
  score: number;
  forecast: number | null;
  lower: number | null;
  upper: number | null;
  motif: number | null;
  annotation: Annotation | null;
}

export interface AnomalyPage {
  anomalies: AnomalyEvent[];
  /** Events matching the filter (all pages). */
  total: number;
  open: number;
}

export interface ConfigVersion {
  version: number;
  /** Agent id, or "*" for every agent. */
  target: string;
  issuedAt: number;
  createdAt: number;
  config: RemoteAgentConfig;
  /** Fingerprint of the signing key. */
  key: string;
  /** Set when this version re-issued an older one. */
  rollbackOf: number | null;
  author: string | null;
  note: string | null;
}

export interface AgentConfigView {
  agent: string;
  /** The newest document addressed to this agent or to all. */
  current: ConfigVersion | null;
  /** The version the agent last reported applying (from its status). */
  appliedVersion: number | null;
  /** The agent's recent config-applied / config-rejected audit entries. */
  outcomes: { ts: number; action: string; version: number | null; reason: string | null }[];
  keyFingerprint: string;
}

export interface AuditRow {
  chain: string;
  index: number;
  ts: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  hash: string;
}

export interface AuditPage {
  entries: AuditRow[];
  total: number;
  chains: string[];
}

export interface ChainStatus {
  chain: string;
  ok: boolean;
  entries: number;
  head: { index: number; hash: string } | null;
  problems: { index: number; kind: string; message: string }[];
}

export interface AuditVerifyResult {
  ok: boolean;
  checkedAt: number;
  chains: ChainStatus[];
}

// ---- local analysis jobs ----

export interface SpikeJobResult {
  kind: "spikes";
  /** Window's sample times and values. */
  ts: number[];
  value: number[];
  encoder: { name: string; channels: number; labels: string[] };
  /** Spikes as (step, channel) pairs of the encoder's raster. */
  inputSpikes: { step: number[]; channel: number[] };
  reservoir: { units: number; shown: number };
  /** Reservoir spikes (step, unit) of the `shown` most active units. */
  reservoirSpikes: { step: number[]; unit: number[] };
  /** Per step: share of reservoir units that fired. */
  populationRate: number[];
  /** Per step × shown unit (row-major by step): the readout trace the model sees. */
  trace: number[];
  stats: { inputSpikes: number; reservoirSpikes: number; meanRate: number; steps: number };
}

export interface OptimizeJobResult {
  kind: "optimize";
  problem: "portfolio" | "schedule" | "maxcut";
  solver: string;
  backend: string;
  elapsedMs: number;
  evaluations: number;
  stoppedBy: string;
  energy: number;
  /** Best energy over time. */
  trace: { ms: number; energy: number }[];
  feasible: boolean;
  /** Human-readable lines of the result. */
  summary: { label: string; value: string }[];
  /** The result as a table (selected assets, or assignments), for display and CSV export. */
  table: { columns: string[]; rows: (string | number)[][] };
  /** The full result document, for JSON export. */
  document: Record<string, unknown>;
}

/** A validation job's result: the report `nqp validate --report OUT.json` writes for the same series and options. */
export interface ValidationJobResult {
  kind: "validate";
  report: ValidationReport;
}

export type JobResult = SpikeJobResult | OptimizeJobResult | ValidationJobResult;

export interface JobProgress {
  jobId: string;
  fraction: number;
  message: string;
  /** Optimiser: the best energy so far (for the live trace). */
  energy?: number;
  elapsedMs: number;
}

/**
 * A stream's online validation, as its agent last reported it in a status record: core's metrics over the forecasts
 * the agent's stream pipeline made since the agent process started (docs/validation.md, "On the edge").
 */
export interface OnlineValidation {
  agent: string;
  stream: string;
  /** When the agent wrote the status record (agent clock, ms). */
  reportedAt: number;
  /** How long the agent process had run then: the metrics cover that span. */
  uptimeSeconds: number;
  /** Heard from within the fleet's online window. */
  online: boolean;
  metrics: StreamValidation;
}

/** The desktop's settings as the renderer sees them: the token itself never goes back to the page. */
export interface DesktopSettingsView {
  hubUrl: string;
  tokenSet: boolean;
  theme: "dark" | "light" | null;
  /** Where the settings are kept (the app's data folder). */
  file: string;
}

export interface ImportSummary {
  id: string;
  name: string;
  kind: "series" | "portfolio" | "schedule" | "labels";
  bytes: number;
  createdAt: number;
}

export interface LiveBatch {
  agent: string;
  kind: string;
  records: number;
  acked: number;
}

export interface ConnectionState {
  connected: boolean;
  /** Where the data comes from: "hub" live, or "cache" while offline. */
  source: "hub" | "cache";
  since: number;
  error: string | null;
}
