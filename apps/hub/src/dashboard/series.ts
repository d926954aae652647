import type { SeriesData, StreamPoints } from "@nqp/contract";
import type Database from "better-sqlite3";

/**
 * Reading a stream's series for the dashboard. Rows of one stream are found by seq (the primary key's index), and a
 * time range is turned into a seq range by binary search: per stream, seq order is time order (the agent accepts a
 * stream's samples in time order), so no time index is needed on the ingest-heavy predictions table.
 */
type Row = [
  seq: number,
  ts: number,
  value: number,
  forecast: number | null,
  lower: number | null,
  upper: number | null,
  score: number,
  isAnomaly: number,
];

const MAX_ANOMALIES = 10_000;

export class SeriesReader {
  private readonly atOrAfter: Database.Statement;
  private readonly atOrBefore: Database.Statement;
  private readonly count: Database.Statement;
  private readonly range: Database.Statement;
  private readonly after: Database.Statement;
  private readonly streamRow: Database.Statement;

  constructor(db: Database.Database) {
    this.atOrAfter = db.prepare(
      "SELECT seq, ts FROM predictions WHERE agent = ? AND stream = ? AND seq >= ? ORDER BY seq LIMIT 1",
    );
    this.atOrBefore = db.prepare(
      "SELECT seq, ts FROM predictions WHERE agent = ? AND stream = ? AND seq <= ? ORDER BY seq DESC LIMIT 1",
    );
    this.count = db
      .prepare("SELECT count(*) FROM predictions WHERE agent = ? AND stream = ? AND seq BETWEEN ? AND ?")
      .pluck();
    this.range = db
      .prepare(
        `SELECT seq, ts, value, forecast, lower, upper, anomaly_score, is_anomaly FROM predictions
         WHERE agent = ? AND stream = ? AND seq BETWEEN ? AND ? ORDER BY seq`,
      )
      .raw(true);
    this.after = db
      .prepare(
        `SELECT seq, stream, ts, value, forecast, lower, upper, anomaly_score, is_anomaly FROM predictions
         WHERE agent = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .raw(true);
    this.streamRow = db.prepare(
      "SELECT last_seq AS lastSeq, last_ts AS lastTs FROM streams WHERE agent = ? AND stream = ?",
    );
  }

  /** The first row of the stream whose ts ≥ t (or undefined), by binary search over seq. */
  private firstAtOrAfter(
    agent: string,
    stream: string,
    t: number,
    lastSeq: number,
  ): { seq: number; ts: number } | undefined {
    const first = this.atOrAfter.get(agent, stream, 0) as { seq: number; ts: number } | undefined;
    if (!first || first.ts >= t) return first;
    let lo = first.seq; // ts < t here
    let hi = lastSeq + 1; // virtual row beyond the end
    let found: { seq: number; ts: number } | undefined;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const r = this.atOrAfter.get(agent, stream, mid) as { seq: number; ts: number } | undefined;
      if (!r || r.seq > lastSeq) {
        hi = mid;
      } else if (r.ts >= t) {
        found = r;
        hi = mid;
      } else lo = r.seq;
    }
    if (found) return found;
    const r = this.atOrAfter.get(agent, stream, hi) as { seq: number; ts: number } | undefined;
    return r && r.ts >= t ? r : undefined;
  }

  /** The last row of the stream whose ts ≤ t (or undefined). */
  private lastAtOrBefore(
    agent: string,
    stream: string,
    t: number,
    lastSeq: number,
  ): { seq: number; ts: number } | undefined {
    const after = this.firstAtOrAfter(agent, stream, t, lastSeq);
    if (after && after.ts === t) {
      // Equal timestamps cannot repeat within a stream, so this row is the last one ≤ t.
      return after;
    }
    return this.atOrBefore.get(agent, stream, after ? after.seq - 1 : lastSeq) as
      | { seq: number; ts: number }
      | undefined;
  }

  extent(agent: string, stream: string): { first: number; last: number; lastSeq: number } | undefined {
    const s = this.streamRow.get(agent, stream) as { lastSeq: number; lastTs: number } | undefined;
    if (!s) return undefined;
    const first = this.atOrAfter.get(agent, stream, 0) as { seq: number; ts: number } | undefined;
    return first ? { first: first.ts, last: s.lastTs, lastSeq: s.lastSeq } : undefined;
  }

  series(
    agent: string,
    stream: string,
    from: number | undefined,
    to: number | undefined,
    maxPoints: number,
  ): SeriesData {
    const extent = this.extent(agent, stream);
    const empty: SeriesData = {
      agent,
      stream,
      from: from ?? 0,
      to: to ?? 0,
      rows: 0,
      decimated: false,
      extent: extent ? { first: extent.first, last: extent.last } : null,
      lastSeq: extent?.lastSeq ?? 0,
      ts: [],
      value: [],
      forecast: [],
      lower: [],
      upper: [],
      score: [],
      anomalies: { ts: [], value: [], score: [] },
    };
    if (!extent) return empty;
    const f = from ?? extent.first;
    const t = to ?? extent.last;
    empty.from = f;
    empty.to = t;
    if (t < f) return empty;
    const lo = this.firstAtOrAfter(agent, stream, f, extent.lastSeq);
    const hi = this.lastAtOrBefore(agent, stream, t, extent.lastSeq);
    if (!lo || !hi || hi.seq < lo.seq) return empty;
    const rows = this.count.get(agent, stream, lo.seq, hi.seq) as number;
    const out = { ...empty, rows, decimated: rows > maxPoints };
    const an = out.anomalies;
    if (!out.decimated) {
      for (const r of this.range.iterate(agent, stream, lo.seq, hi.seq) as IterableIterator<Row>) {
        out.ts.push(r[1]);
        out.value.push(r[2]);
        out.forecast.push(r[3]);
        out.lower.push(r[4]);
        out.upper.push(r[5]);
        out.score.push(r[6]);
        if (r[7] && an.ts.length < MAX_ANOMALIES) {
          an.ts.push(r[1]);
          an.value.push(r[2]);
          an.score.push(r[6]);
        }
      }
      return out;
    }
    // Min/max decimation (the M4 idea, Jugel et al., VLDB 2014, without first/last): two points per bucket.
    const buckets = Math.max(1, Math.floor(maxPoints / 2));
    const width = (t - f) / buckets || 1;
    let bucket = -1;
    let minV = 0;
    let maxV = 0;
    let minRow: Row | undefined;
    let maxRow: Row | undefined;
    let lower: number | null = null;
    let upper: number | null = null;
    let score = 0;
    const flush = () => {
      if (!minRow || !maxRow) return;
      const pair = minRow[0] <= maxRow[0] ? [minRow, maxRow] : [maxRow, minRow];
      for (let k = 0; k < (minRow === maxRow ? 1 : 2); k++) {
        const r = pair[k];
        out.ts.push(r[1]);
        out.value.push(r[2]);
        out.forecast.push(r[3]);
        out.lower.push(lower);
        out.upper.push(upper);
        out.score.push(score);
      }
    };
    for (const r of this.range.iterate(agent, stream, lo.seq, hi.seq) as IterableIterator<Row>) {
      const b = Math.min(buckets - 1, Math.floor((r[1] - f) / width));
      if (b !== bucket) {
        flush();
        bucket = b;
        minRow = maxRow = r;
        minV = maxV = r[2];
        lower = r[4];
        upper = r[5];
        score = r[6];
      } else {
        if (r[2] < minV) {
          minV = r[2];
          minRow = r;
        }
        if (r[2] > maxV) {
          maxV = r[2];
          maxRow = r;
        }
        if (r[4] !== null && (lower === null || r[4] < lower)) lower = r[4];
        if (r[5] !== null && (upper === null || r[5] > upper)) upper = r[5];
        if (r[6] > score) score = r[6];
      }
      if (r[7] && an.ts.length < MAX_ANOMALIES) {
        an.ts.push(r[1]);
        an.value.push(r[2]);
        an.score.push(r[6]);
      }
    }
    flush();
    return out;
  }

  /**
   * An agent's rows after `afterSeq` (any stream), grouped per stream, for live pushes; returns the new cursor.
   * At most `limit` rows per call: a subscriber that fell far behind catches up over several pushes.
   */
  rowsAfter(
    agent: string,
    afterSeq: number,
    limit: number,
    want: (stream: string) => boolean,
  ): { cursor: number; points: StreamPoints[] } {
    const byStream = new Map<string, StreamPoints>();
    let cursor = afterSeq;
    for (const r of this.after.iterate(agent, afterSeq, limit) as IterableIterator<
      [number, string, number, number, number | null, number | null, number | null, number, number]
    >) {
      cursor = r[0];
      if (!want(r[1])) continue;
      let p = byStream.get(r[1]);
      if (!p) {
        p = {
          agent,
          stream: r[1],
          lastSeq: 0,
          ts: [],
          value: [],
          forecast: [],
          lower: [],
          upper: [],
          score: [],
          anomaly: [],
        };
        byStream.set(r[1], p);
      }
      p.lastSeq = r[0];
      p.ts.push(r[2]);
      p.value.push(r[3]);
      p.forecast.push(r[4]);
      p.lower.push(r[5]);
      p.upper.push(r[6]);
      p.score.push(r[7]);
      p.anomaly.push(r[8] === 1);
    }
    return { cursor, points: [...byStream.values()] };
  }
}
