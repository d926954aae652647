import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { useSession } from "../state/session";
import { chartColors } from "./theme";

/** A plain x–y line chart (uPlot, numeric axes): the optimiser's energy trace. Redraws when `x`/`y` change. */
export function XYChart(p: {
  x: number[];
  y: number[];
  height: number;
  label: string;
  xLabel: string;
  yLabel: string;
  stepped?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useSession((s) => s.theme);
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt on theme change only
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = chartColors();
    const axis = (label: string): uPlot.Axis => ({
      stroke: c.text,
      grid: { stroke: c.grid },
      ticks: { stroke: c.grid },
      label,
      labelFont: "11px system-ui, sans-serif",
      font: "11px system-ui, sans-serif",
    });
    const u = new uPlot(
      {
        width: el.clientWidth || 500,
        height: p.height,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [axis(p.xLabel), { ...axis(p.yLabel), size: 70 }],
        series: [
          {},
          {
            stroke: c.score,
            width: 1.5,
            paths: p.stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined,
            points: { show: true, size: 4 },
          },
        ],
      },
      [p.x, p.y],
      el,
    );
    u.root.setAttribute("aria-hidden", "true");
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth, height: p.height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [theme]);
  useEffect(() => {
    plot.current?.setData([p.x, p.y]);
  }, [p.x, p.y]);
  return <div ref={host} className="chart" role="img" aria-label={`${p.label}: ${p.y.length} points`} />;
}
