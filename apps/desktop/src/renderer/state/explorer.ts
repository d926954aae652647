import type { LatestPoint, SeriesData, StreamPoints } from "@nqp/contract/api";
import { create } from "zustand";

/**
 * The stream explorer's data: per stream an overview (the whole extent, decimated by the hub, with live points
 * appended at full resolution) and a detail layer (the zoomed range at the resolution the plot needs). Buffers live
 * outside React state: live points arrive at 10 Hz per stream and are drawn without re-rendering components.
 */
export interface Columns {
  x: number[] | Float64Array;
  value: (number | null)[] | Float64Array;
  forecast: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  score: (number | null)[];
}

export interface StreamBuffer {
  key: string;
  source: "hub" | "file";
  agent: string;
  stream: string;
  overview: Columns;
  /** True when the overview came decimated from the hub (zooming in then fetches detail). */
  coarse: boolean;
  detail: { from: number; to: number; cols: Columns; coarse: boolean } | null;
  anomalies: { x: number[]; value: number[] };
  rows: number;
  lastSeq: number;
  latest: LatestPoint | null;
}

export const buffers = new Map<string, StreamBuffer>();

export function streamKey(agent: string, stream: string): string {
  return `${agent}\u0000${stream}`;
}

export function columnsOf(d: SeriesData): Columns {
  return { x: d.ts, value: d.value, forecast: d.forecast, lower: d.lower, upper: d.upper, score: d.score };
}

export function hubBuffer(d: SeriesData): StreamBuffer {
  const n = d.ts.length;
  return {
    key: streamKey(d.agent, d.stream),
    source: "hub",
    agent: d.agent,
    stream: d.stream,
    overview: columnsOf(d),
    coarse: d.decimated,
    detail: null,
    anomalies: { x: d.anomalies.ts.slice(), value: d.anomalies.value.slice() },
    rows: d.rows,
    lastSeq: d.lastSeq,
    latest: n
      ? {
          ts: d.ts[n - 1],
          value: d.value[n - 1],
          forecast: d.forecast[n - 1],
          lower: d.lower[n - 1],
          upper: d.upper[n - 1],
          anomalyScore: d.score[n - 1],
          isAnomaly: false,
        }
      : null,
  };
}

/** Appends live points (only those after what the buffer holds). Returns true when anything was added. */
export function appendPoints(b: StreamBuffer, p: StreamPoints): boolean {
  const o = b.overview;
  if (!Array.isArray(o.x) || !Array.isArray(o.value)) return false;
  const last = o.x.length ? o.x[o.x.length - 1] : Number.NEGATIVE_INFINITY;
  let added = false;
  for (let i = 0; i < p.ts.length; i++) {
    if (p.ts[i] <= last) continue;
    o.x.push(p.ts[i]);
    o.value.push(p.value[i]);
    o.forecast.push(p.forecast[i]);
    o.lower.push(p.lower[i]);
    o.upper.push(p.upper[i]);
    o.score.push(p.score[i]);
    if (p.anomaly[i]) {
      b.anomalies.x.push(p.ts[i]);
      b.anomalies.value.push(p.value[i]);
    }
    b.rows++;
    added = true;
  }
  if (added) {
    const k = p.ts.length - 1;
    b.lastSeq = Math.max(b.lastSeq, p.lastSeq);
    b.latest = {
      ts: p.ts[k],
      value: p.value[k],
      forecast: p.forecast[k],
      lower: p.lower[k],
      upper: p.upper[k],
      anomalyScore: p.score[k],
      isAnomaly: p.anomaly[k],
    };
  }
  return added;
}

export function extentOf(keys: string[]): [number, number] | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const k of keys) {
    const x = buffers.get(k)?.overview.x;
    if (!x?.length) continue;
    lo = Math.min(lo, x[0]);
    hi = Math.max(hi, x[x.length - 1]);
  }
  return Number.isFinite(lo) ? [lo, hi > lo ? hi : lo + 1] : null;
}

interface ExplorerState {
  selected: string[];
  /** Zoomed range, or null for everything. */
  range: [number, number] | null;
  live: boolean;
  /** Milliseconds of data shown while following live. */
  liveSpan: number;
  showBand: boolean;
  showForecast: boolean;
  /** Bumped whenever buffers changed outside the live path (loads, detail fetches). */
  version: number;
  select(keys: string[]): void;
  toggle(key: string): void;
  setRange(r: [number, number] | null): void;
  setLive(live: boolean): void;
  setLiveSpan(ms: number): void;
  setShowBand(v: boolean): void;
  setShowForecast(v: boolean): void;
  bump(): void;
}

export const MAX_COMPARE = 64;

export const useExplorer = create<ExplorerState>((set) => ({
  selected: [],
  range: null,
  live: false,
  liveSpan: 3_600_000,
  showBand: true,
  showForecast: true,
  version: 0,
  select: (selected) => set({ selected: selected.slice(0, MAX_COMPARE) }),
  toggle: (key) =>
    set((s) => ({
      selected: s.selected.includes(key)
        ? s.selected.filter((k) => k !== key)
        : [...s.selected, key].slice(0, MAX_COMPARE),
    })),
  setRange: (range) => set((s) => ({ range, live: range === null ? s.live : false, version: s.version + 1 })),
  setLive: (live) => set((s) => ({ live, range: live ? null : s.range, version: s.version + 1 })),
  setLiveSpan: (liveSpan) => set((s) => ({ liveSpan, version: s.version + 1 })),
  setShowBand: (showBand) => set({ showBand }),
  setShowForecast: (showForecast) => set({ showForecast }),
  bump: () => set((s) => ({ version: s.version + 1 })),
}));
