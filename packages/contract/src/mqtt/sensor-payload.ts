import { parseTimestamp } from "../formats/timestamp";

/**
 * Sensor payloads as factories send them, decoded into samples. Accepted forms (MQTT payload, UTF-8):
 *
 *   {"ts": 1700000000000, "value": 21.5}          one sample; ts is epoch ms or an ISO 8601 string
 *   [{"ts": …, "value": …}, …]                    a batch for the same stream, in time order
 *   {"ts": …, "temp": 21.5, "rpm": 1480}          several named values: streams "{topic}/temp", "{topic}/rpm"
 *   21.5                                          a bare number (ts = arrival time)
 *   1700000000000,21.5                            a CSV line "ts,value"
 *
 * A missing ts means arrival time. Anything else is rejected with a reason; a batch or multi-value message keeps
 * its good samples and rejects the bad ones one by one. Decoding never throws.
 */
export interface SensorSample {
  /** Stream id before any configured mapping: the topic, or "{topic}/{name}" for named values. */
  stream: string;
  ts: number;
  value: number;
}

export const SENSOR_REJECT_REASONS = [
  "too-large",
  "not-text",
  "not-json",
  "too-deep",
  "bad-shape",
  "bad-value",
  "bad-timestamp",
  "empty",
  "too-many-samples",
  "out-of-order",
  "duplicate",
  "too-many-streams",
  "bad-stream-name",
] as const;
export type SensorRejectReason = (typeof SENSOR_REJECT_REASONS)[number];

export interface SensorDecodeLimits {
  /** Bytes; larger payloads are rejected before parsing (default 256 KiB). */
  maxPayloadBytes?: number;
  /** Samples in one message, batch or named values (default 10 000). */
  maxSamples?: number;
}

export interface SensorDecodeResult {
  samples: SensorSample[];
  /** One entry per rejected message or sample. */
  rejects: SensorRejectReason[];
}

/** Timestamps outside 1970..2200 are treated as mistakes (seconds sent as ms, ms sent as µs, garbage). */
const TS_MIN = 0;
const TS_MAX = Date.UTC(2200, 0, 1);
const TS_KEYS = new Set(["ts", "time", "timestamp"]);
const MAX_NAME_LENGTH = 128;
/** No accepted form nests deeper than 2; V8's JSON.parse takes ~75 ms on 100 000 levels, a cheap way to stall ingest. */
const MAX_DEPTH = 8;

const decoder = new TextDecoder("utf-8", { fatal: true });

export function decodeSensorPayload(
  topic: string,
  payload: Uint8Array,
  arrivalMs: number,
  limits: SensorDecodeLimits = {},
): SensorDecodeResult {
  const maxBytes = limits.maxPayloadBytes ?? 262_144;
  const maxSamples = limits.maxSamples ?? 10_000;
  const out: SensorDecodeResult = { samples: [], rejects: [] };
  const reject = (r: SensorRejectReason) => {
    out.rejects.push(r);
    return out;
  };
  if (payload.byteLength > maxBytes) return reject("too-large");
  if (payload.byteLength === 0) return reject("empty");
  let text: string;
  try {
    text = decoder.decode(payload);
  } catch {
    return reject("not-text");
  }
  if (nestingDepth(text, MAX_DEPTH) > MAX_DEPTH) return reject("too-deep");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not JSON (this also catches nesting too deep for the parser): try a "ts,value" CSV line.
    const csv = /^\s*([^,\s]+)\s*,\s*([^,\s]+)\s*$/.exec(text);
    if (!csv) return reject("not-json");
    const ts = parseTimestamp(csv[1]);
    const value = csv[2] === "" ? Number.NaN : Number(csv[2]);
    if (!validTs(ts)) return reject("bad-timestamp");
    if (!Number.isFinite(value)) return reject("bad-value");
    out.samples.push({ stream: topic, ts, value });
    return out;
  }
  if (typeof doc === "number") {
    if (!Number.isFinite(doc)) return reject("bad-value");
    out.samples.push({ stream: topic, ts: arrivalMs, value: doc });
    return out;
  }
  if (Array.isArray(doc)) {
    if (doc.length === 0) return reject("empty");
    if (doc.length > maxSamples) return reject("too-many-samples");
    for (const item of doc) decodeSingle(topic, item, arrivalMs, out);
    return out;
  }
  if (doc !== null && typeof doc === "object") {
    const obj = doc as Record<string, unknown>;
    if (Object.hasOwn(obj, "value")) {
      decodeSingle(topic, obj, arrivalMs, out);
      return out;
    }
    const ts = readTs(obj, arrivalMs);
    const keys = Object.keys(obj).filter((k) => !TS_KEYS.has(k));
    if (keys.length === 0) return reject("empty");
    if (keys.length > maxSamples) return reject("too-many-samples");
    if (Number.isNaN(ts)) {
      for (let i = 0; i < keys.length; i++) out.rejects.push("bad-timestamp");
      return out;
    }
    for (const k of keys) {
      const v = obj[k];
      if (!validName(k)) out.rejects.push("bad-stream-name");
      else if (typeof v !== "number" || !Number.isFinite(v)) out.rejects.push("bad-value");
      else out.samples.push({ stream: `${topic}/${k}`, ts, value: v });
    }
    return out;
  }
  return reject("bad-shape");
}

function decodeSingle(topic: string, item: unknown, arrivalMs: number, out: SensorDecodeResult): void {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    out.rejects.push("bad-shape");
    return;
  }
  const obj = item as Record<string, unknown>;
  const v = obj.value;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    out.rejects.push(v === undefined ? "bad-shape" : "bad-value");
    return;
  }
  const ts = readTs(obj, arrivalMs);
  if (Number.isNaN(ts)) {
    out.rejects.push("bad-timestamp");
    return;
  }
  out.samples.push({ stream: topic, ts, value: v });
}

/** The sample's timestamp in epoch ms, arrival time when absent, NaN when present but unusable. */
function readTs(obj: Record<string, unknown>, arrivalMs: number): number {
  let raw: unknown;
  for (const k of TS_KEYS)
    if (Object.hasOwn(obj, k)) {
      raw = obj[k];
      break;
    }
  if (raw === undefined) return arrivalMs;
  let ts = Number.NaN;
  if (typeof raw === "number") ts = raw;
  else if (typeof raw === "string" && raw.length <= 40) ts = parseTimestamp(raw);
  return validTs(ts) ? ts : Number.NaN;
}

function validTs(ts: number): boolean {
  return Number.isFinite(ts) && ts >= TS_MIN && ts <= TS_MAX;
}

function validName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // Control characters and MQTT wildcards would make stream ids unprintable or unsubscribable.
    if (c < 32 || c === 127 || c === 35 || c === 43) return false;
  }
  return true;
}

/** Bracket nesting depth outside strings, counting no further than `limit` + 1. */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}
