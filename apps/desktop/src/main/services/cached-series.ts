import type { SeriesData } from "@nqp/contract";

/** A cached answer of streams.series and when it was fetched from the hub. */
export interface CachedSeries {
  value: SeriesData;
  fetchedAt: number;
}

interface Point {
  ts: number;
  value: number;
  forecast: number | null;
  lower: number | null;
  upper: number | null;
  score: number;
}

/** Whether the union of the cached answers' ranges holds all of [from, to]. */
function covered(answers: SeriesData[], from: number, to: number): boolean {
  const spans = answers.map((a) => [a.from, a.to] as const).sort((x, y) => x[0] - y[0]);
  let reach = from;
  for (const [a, b] of spans) {
    if (a > reach) break;
    if (b >= reach) reach = b;
    if (reach >= to) return true;
  }
  return reach >= to;
}

/**
 * A streams.series answer made offline from the answers cached for that stream: every row the cache holds in the
 * range (the finest of each zoom seen while online, merged by time), decimated here to `maxPoints` as the hub would
 * (min/max per bucket with the bucket's interval envelope and highest score). Undefined when the cached ranges do
 * not cover [from, to] (within the stream's extent as last fetched): the hub alone knows what lies outside them.
 */
export function seriesFromCache(
  cached: CachedSeries[],
  q: { agent: string; stream: string; from?: number; to?: number; maxPoints: number },
): SeriesData | undefined {
  if (!cached.length) return undefined;
  const newest = cached.reduce((a, b) => (b.fetchedAt > a.fetchedAt ? b : a)).value;
  const from = q.from ?? newest.extent?.first;
  const to = q.to ?? newest.extent?.last;
  if (from === undefined || to === undefined || to < from) return undefined;
  const used = cached.filter((c) => c.value.to >= from && c.value.from <= to);
  // The stream had no rows outside its extent when last heard of: a range reaching past it (a zoom at the newest
  // data asks for a margin beyond) needs only the part inside covered.
  const first = Math.max(from, newest.extent?.first ?? from);
  const last = Math.max(first, Math.min(to, newest.extent?.last ?? to));
  const spans = used.map((c) => c.value);
  if (!covered(spans, first, last)) return undefined;
  const byTime = new Map<number, Point>();
  const anomalies = new Map<number, { value: number; score: number }>();
  for (const { value: a } of used) {
    for (let i = 0; i < a.ts.length; i++) {
      const ts = a.ts[i];
      if (ts < from || ts > to) continue;
      // A decimated answer's interval and score are its bucket's envelope; a full-resolution row's are its own.
      const prior = byTime.get(ts);
      if (prior && a.decimated) continue;
      byTime.set(ts, {
        ts,
        value: a.value[i],
        forecast: a.forecast[i],
        lower: a.lower[i],
        upper: a.upper[i],
        score: a.score[i],
      });
    }
    for (let i = 0; i < a.anomalies.ts.length; i++) {
      const ts = a.anomalies.ts[i];
      if (ts >= from && ts <= to) anomalies.set(ts, { value: a.anomalies.value[i], score: a.anomalies.score[i] });
    }
  }
  const points = [...byTime.values()].sort((x, y) => x.ts - y.ts);
  const fullResolution = used.some((c) => !c.value.decimated && c.value.from <= first && c.value.to >= last);
  const out: SeriesData = {
    agent: q.agent,
    stream: q.stream,
    from,
    to,
    rows: points.length,
    decimated: !fullResolution || points.length > q.maxPoints,
    cachedAt: Math.min(...used.map((c) => c.fetchedAt)),
    extent: newest.extent,
    lastSeq: newest.lastSeq,
    ts: [],
    value: [],
    forecast: [],
    lower: [],
    upper: [],
    score: [],
    anomalies: { ts: [], value: [], score: [] },
  };
  for (const [ts, a] of [...anomalies.entries()].sort((x, y) => x[0] - y[0])) {
    out.anomalies.ts.push(ts);
    out.anomalies.value.push(a.value);
    out.anomalies.score.push(a.score);
  }
  const push = (p: Point, lower = p.lower, upper = p.upper, score = p.score) => {
    out.ts.push(p.ts);
    out.value.push(p.value);
    out.forecast.push(p.forecast);
    out.lower.push(lower);
    out.upper.push(upper);
    out.score.push(score);
  };
  if (points.length <= q.maxPoints) {
    for (const p of points) push(p);
    return out;
  }
  // Min/max decimation, as the hub's series reader does it (M4's idea, Jugel et al., VLDB 2014): two rows a bucket.
  const buckets = Math.max(1, Math.floor(q.maxPoints / 2));
  const width = (to - from) / buckets || 1;
  let start = 0;
  while (start < points.length) {
    const b = Math.min(buckets - 1, Math.floor((points[start].ts - from) / width));
    let end = start;
    let lo = start;
    let hi = start;
    let lower: number | null = null;
    let upper: number | null = null;
    let score = 0;
    while (end < points.length && Math.min(buckets - 1, Math.floor((points[end].ts - from) / width)) === b) {
      const p = points[end];
      if (p.value < points[lo].value) lo = end;
      if (p.value > points[hi].value) hi = end;
      if (p.lower !== null && (lower === null || p.lower < lower)) lower = p.lower;
      if (p.upper !== null && (upper === null || p.upper > upper)) upper = p.upper;
      if (p.score > score) score = p.score;
      end++;
    }
    push(points[Math.min(lo, hi)], lower, upper, score);
    if (lo !== hi) push(points[Math.max(lo, hi)], lower, upper, score);
    start = end;
  }
  return out;
}
