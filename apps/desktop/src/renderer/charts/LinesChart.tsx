import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { useSession } from "../state/session";
import { chartColors } from "./theme";

export interface Line {
  name: string;
  values: (number | null)[];
  /** Drawn thicker (the fused forecast among its predictors). */
  emphasis?: boolean;
  /** Drawn dashed (a baseline that is not part of the fusion). */
  dashed?: boolean;
}

/**
 * Several named lines over time with a legend (uPlot): the validation report's error, coverage and weight plots.
 * `shade` marks time spans (the warm-up, labelled anomaly windows) behind the lines; `reference` draws a horizontal
 * line (the nominal coverage). The report's series are already thinned, so this draws them as they come.
 */
export function LinesChart(p: {
  /** Times (ms). */
  x: number[];
  lines: Line[];
  height: number;
  label: string;
  yRange?: [number, number];
  reference?: { value: number; label: string };
  shade?: { from: number; to: number; kind: "warmup" | "label" }[];
  syncKey?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useSession((s) => s.theme);
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt when the data or the theme change
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = chartColors();
    const axis = (side: 2 | 3): uPlot.Axis => ({
      stroke: c.text,
      grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1 },
      side,
      font: "11px system-ui, sans-serif",
    });
    const fixed = p.yRange;
    const u = new uPlot(
      {
        width: el.clientWidth || 600,
        height: p.height,
        legend: { show: true, live: false },
        cursor: { sync: p.syncKey ? { key: p.syncKey } : undefined, points: { show: false } },
        scales: { x: { time: true }, y: fixed ? { range: fixed } : { auto: true } },
        axes: [axis(2), { ...axis(3), size: 56 }],
        series: [
          {},
          ...p.lines.map((l, i) => ({
            label: l.name,
            stroke: l.emphasis ? c.value : c.series[i % c.series.length],
            width: l.emphasis ? 2 : 1.2,
            dash: l.dashed ? [5, 4] : undefined,
            spanGaps: true,
          })),
        ],
        hooks: {
          drawClear: [
            (u) => {
              const ctx = u.ctx;
              ctx.save();
              for (const s of p.shade ?? []) {
                const a = Math.max(u.bbox.left, u.valToPos(s.from / 1000, "x", true));
                const b = Math.min(u.bbox.left + u.bbox.width, u.valToPos(s.to / 1000, "x", true));
                if (b <= a) continue;
                ctx.fillStyle = s.kind === "label" ? "rgba(214, 39, 40, 0.16)" : "rgba(128, 128, 128, 0.14)";
                ctx.fillRect(a, u.bbox.top, Math.max(1, b - a), u.bbox.height);
              }
              ctx.restore();
            },
          ],
          draw: [
            (u) => {
              if (!p.reference) return;
              const ctx = u.ctx;
              const y = u.valToPos(p.reference.value, "y", true);
              ctx.save();
              ctx.strokeStyle = c.threshold;
              ctx.setLineDash([5, 4]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.restore();
            },
          ],
        },
      },
      [p.x.map((t) => t / 1000), ...p.lines.map((l) => l.values)] as uPlot.AlignedData,
      el,
    );
    u.root.setAttribute("aria-hidden", "true");
    const ro = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - u.width) > 1) u.setSize({ width: w, height: p.height });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [theme, p.x, p.lines, p.height]);
  return <div className="chart" ref={host} role="img" aria-label={p.label} />;
}
