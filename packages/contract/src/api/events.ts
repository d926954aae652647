import type { ApiEventName } from "./channels";
import type { AnnotationLabel, ConnectionState, JobProgress, JobResult, LiveBatch, StreamPoints } from "./types";

/** Payload of each pushed event. */
export interface ApiEvents {
  "live.batch": LiveBatch;
  "streams.points": StreamPoints;
  "anomalies.changed": { agent: string; seq: number; acknowledged: boolean; label: AnnotationLabel | null };
  "config.changed": { version: number; target: string };
  "connection.state": ConnectionState;
  "jobs.progress": JobProgress;
  "jobs.done": { jobId: string; result: JobResult; elapsedMs: number };
  "jobs.failed": { jobId: string; code: string; message: string; cancelled: boolean };
}

export type ApiEvent<E extends ApiEventName> = ApiEvents[E];
