import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseTimestamp } from "@nqp/contract";
import { NqpError } from "@nqp/core";
import type { MqttClient } from "mqtt";

export interface ReplaySeries {
  topic: string;
  time: Float64Array;
  value: Float64Array;
}

/** Every CSV under `dir` (timestamp and value columns, as NAB's), each becoming topic sensors/replay/{path}. */
export function loadReplaySeries(dir: string): ReplaySeries[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".csv")) files.push(p);
    }
  };
  try {
    walk(dir);
  } catch (err) {
    throw new NqpError("bad-replay-dir", `--replay ${dir}: ${(err as Error).message}`);
  }
  if (files.length === 0) throw new NqpError("bad-replay-dir", `--replay ${dir}: no .csv files found`);
  return files.map((f) => {
    const t = readLenient(readFileSync(f, "utf8"), f);
    const rel = relative(dir, f)
      .replace(/\\/g, "/")
      .replace(/\.csv$/, "");
    return { topic: `sensors/replay/${rel.replace(/[#+]/g, "_") || basename(f)}`, time: t.time, value: t.value };
  });
}

/**
 * Reads a timestamp,value CSV keeping only rows that move time forward (real exports repeat timestamps, e.g. NAB's
 * daylight-saving hour; the agent would refuse those rows as duplicates anyway).
 */
function readLenient(text: string, file: string): { time: Float64Array; value: Float64Array } {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.trim().replace(/^\uFEFF/, ""));
  const ti = header.indexOf("timestamp");
  const vi = header.indexOf("value");
  if (ti < 0 || vi < 0) throw new NqpError("bad-replay-file", `${file}: line 1: needs 'timestamp' and 'value' columns`);
  const time: number[] = [];
  const value: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(",");
    if (cells.length <= Math.max(ti, vi) || cells[vi].trim() === "") continue;
    const t = parseTimestamp(cells[ti]);
    const v = Number(cells[vi]);
    if (!Number.isFinite(t) || !Number.isFinite(v)) continue;
    if (time.length && t <= time[time.length - 1]) continue;
    time.push(t);
    value.push(v);
  }
  return { time: Float64Array.from(time), value: Float64Array.from(value) };
}

/**
 * Publishes the series round-robin at `rate` samples per second in all, keeping each row's own timestamp (the
 * replay compresses wall-clock time, not the data's). Rows at or before `resumeAfter(topic)` are skipped, so a
 * restarted demo carries on where the agent left off.
 */
export class Replayer {
  private client: MqttClient | undefined;
  private readonly cursor: number[];
  private timer: NodeJS.Timeout | undefined;
  published = 0;

  constructor(
    private readonly series: ReplaySeries[],
    private readonly url: string,
    private readonly rate: number,
    resumeAfter: (topic: string) => number | undefined,
  ) {
    this.cursor = series.map((s) => {
      const after = resumeAfter(s.topic);
      if (after === undefined) return 0;
      let i = 0;
      while (i < s.time.length && s.time[i] <= after) i++;
      return i;
    });
  }

  get remaining(): number {
    return this.series.reduce((a, s, i) => a + s.time.length - this.cursor[i], 0);
  }

  async start(): Promise<void> {
    const { connect } = await import("mqtt");
    const client = connect(this.url, { protocolVersion: 4, reconnectPeriod: 500 });
    this.client = client;
    const tickMs = 20;
    let budget = 0;
    let k = 0;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      budget = Math.min(budget + (this.rate * (now - last)) / 1000, Math.max(1, this.rate));
      last = now;
      while (budget >= 1 && this.remaining > 0) {
        const i = k++ % this.series.length;
        const s = this.series[i];
        if (this.cursor[i] >= s.time.length) continue;
        const j = this.cursor[i]++;
        client.publish(s.topic, JSON.stringify({ ts: s.time[j], value: s.value[j] }), { qos: 1 });
        this.published++;
        budget--;
      }
    }, tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.client?.endAsync().catch(() => {});
  }
}
