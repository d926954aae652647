import type { PatternEvent, PipelineRecord, StreamPipelineConfig } from "@nqp/core";

/**
 * Messages between the agent and its pipeline worker threads. Samples and records travel as typed arrays
 * (transferred, not copied); a record is 8 numbers, NaN for null:
 * forecast, lower, upper, anomalyScore, isAnomaly (0/1), next.forecast, next.lower, next.upper.
 */
export const RECORD_WIDTH = 8;

export type WorkerRequest =
  | { id: number; type: "open"; streams: { streamId: number; config: StreamPipelineConfig; snapshot: string | null }[] }
  | { id: number; type: "replay"; streamIds: Int32Array; ts: Float64Array; values: Float64Array }
  | {
      id: number;
      type: "step";
      streamIds: Int32Array;
      ts: Float64Array;
      values: Float64Array;
      snapshotIds: number[];
    };

export type WorkerReply =
  | {
      id: number;
      ok: true;
      records?: Float64Array;
      patterns?: [number, PatternEvent][];
      snapshots?: [number, string][];
    }
  | { id: number; ok: false; message: string; code?: string };

export function encodeRecords(records: PipelineRecord[]): {
  records: Float64Array;
  patterns: [number, PatternEvent][];
} {
  const out = new Float64Array(records.length * RECORD_WIDTH);
  const patterns: [number, PatternEvent][] = [];
  const n = (x: number | null | undefined) => (x === null || x === undefined ? Number.NaN : x);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const o = i * RECORD_WIDTH;
    out[o] = n(r.forecast);
    out[o + 1] = n(r.lower);
    out[o + 2] = n(r.upper);
    out[o + 3] = r.anomalyScore;
    out[o + 4] = r.isAnomaly ? 1 : 0;
    out[o + 5] = n(r.next?.forecast);
    out[o + 6] = n(r.next?.lower);
    out[o + 7] = n(r.next?.upper);
    for (const p of r.patterns) patterns.push([i, p]);
  }
  return { records: out, patterns };
}

export function decodeRecord(a: Float64Array, i: number): PipelineRecord {
  const o = i * RECORD_WIDTH;
  const v = (x: number) => (Number.isNaN(x) ? null : x);
  const nextF = a[o + 5];
  return {
    forecast: v(a[o]),
    lower: v(a[o + 1]),
    upper: v(a[o + 2]),
    anomalyScore: a[o + 3],
    isAnomaly: a[o + 4] === 1,
    next: Number.isNaN(nextF) ? null : { forecast: nextF, lower: a[o + 6], upper: a[o + 7] },
    patterns: [],
  };
}
