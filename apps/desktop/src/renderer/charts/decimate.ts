/**
 * Min/max decimation for drawing: a series of any length becomes at most two points per pixel column (each
 * column's lowest and highest value, in time order), which draws the same picture as every point would — spikes
 * included — in time linear in the visible rows (Jugel et al., "M4: a visualization-oriented time series data
 * aggregation", VLDB 2014, which also keeps each column's first and last point; min and max alone differ from it
 * only in the joins between columns, below a pixel).
 */
export type Column = ArrayLike<number | null>;

export interface SeriesColumns {
  /** Sample times, increasing (ms). */
  x: ArrayLike<number>;
  value: Column;
  forecast?: Column;
  lower?: Column;
  upper?: Column;
  score?: Column;
}

export interface Decimated {
  x: number[];
  value: (number | null)[];
  forecast: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  score: (number | null)[];
  /** Rows in the visible range before decimation. */
  rows: number;
}

/** First index with x[i] ≥ t. */
export function lowerBound(x: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function decimate(s: SeriesColumns, from: number, to: number, columns: number): Decimated {
  const n = s.x.length;
  // One row beyond each edge, so lines run to the plot's border instead of stopping short of it.
  const i0 = Math.max(0, lowerBound(s.x, from) - 1);
  const i1 = Math.min(n, lowerBound(s.x, to) + 1);
  const rows = Math.max(0, i1 - i0);
  const out: Decimated = { x: [], value: [], forecast: [], lower: [], upper: [], score: [], rows };
  const at = (c: Column | undefined, i: number) => (c ? (c[i] ?? null) : null);
  const push = (i: number, lower: number | null, upper: number | null, score: number | null) => {
    out.x.push(s.x[i]);
    out.value.push(s.value[i]);
    out.forecast.push(at(s.forecast, i));
    out.lower.push(lower);
    out.upper.push(upper);
    out.score.push(score);
  };
  if (rows <= 2 * columns) {
    for (let i = i0; i < i1; i++) push(i, at(s.lower, i), at(s.upper, i), at(s.score, i));
    return out;
  }
  const width = (to - from) / columns;
  let i = i0;
  while (i < i1) {
    const bucket = Math.floor((s.x[i] - from) / width);
    const end = bucket < 0 ? i + 1 : Math.min(i1, lowerBound(s.x, from + (bucket + 1) * width));
    const stop = Math.max(end, i + 1);
    let lo = -1;
    let hi = -1;
    let lower: number | null = null;
    let upper: number | null = null;
    let score: number | null = null;
    for (let k = i; k < stop; k++) {
      const v = s.value[k];
      if (v !== null && Number.isFinite(v)) {
        if (lo < 0 || v < (s.value[lo] as number)) lo = k;
        if (hi < 0 || v > (s.value[hi] as number)) hi = k;
      }
      const l = at(s.lower, k);
      if (l !== null && (lower === null || l < lower)) lower = l;
      const u = at(s.upper, k);
      if (u !== null && (upper === null || u > upper)) upper = u;
      const sc = at(s.score, k);
      if (sc !== null && (score === null || sc > score)) score = sc;
    }
    if (lo < 0) push(i, lower, upper, score);
    else if (lo === hi) push(lo, lower, upper, score);
    else {
      push(Math.min(lo, hi), lower, upper, score);
      push(Math.max(lo, hi), lower, upper, score);
    }
    i = stop;
  }
  return out;
}
