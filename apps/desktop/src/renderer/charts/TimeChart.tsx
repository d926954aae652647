import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useSession } from "../state/session";
import { decimate, type SeriesColumns } from "./decimate";
import { chartColors, resolveColor } from "./theme";

export interface ChartData extends SeriesColumns {
  /** Anomalous samples, drawn as markers. */
  anomalies?: { x: ArrayLike<number>; value: ArrayLike<number> };
}

export interface TimeChartHandle {
  /** Re-decimates and draws the current data for the current range (the live path: no React render). */
  redraw(): void;
  /** The plot's canvas, for PNG export. */
  canvas(): HTMLCanvasElement | null;
  /** Milliseconds the last draw took (decimation included). */
  lastDrawMs(): number;
}

export interface TimeChartProps {
  /** Returns the data to draw; read on every redraw. */
  data: () => ChartData;
  /** Visible time range [from, to] in ms, read on every redraw; null: the data's extent. */
  range: () => [number, number] | null;
  /** Changing this redraws (data or range changed outside the live path). */
  version: number;
  onRangeChange?: (range: [number, number] | null) => void;
  height: number;
  label: string;
  showBand?: boolean;
  showForecast?: boolean;
  /** Draws the anomaly score instead of values (0…1 with the alarm threshold). */
  mode?: "values" | "score";
  threshold?: number;
  syncKey?: string;
  color?: string;
  /** Time spans shaded behind the lines (a validation's warm-up, labelled anomaly windows). */
  regions?: { from: number; to: number; kind: "warmup" | "label" }[];
}

/**
 * A time-series plot on uPlot: value, forecast and interval band, anomaly markers. Whatever the row count, it draws
 * at most two points per pixel column (min/max decimation of the visible range), so zooming and panning across
 * months of data stays fast. Wheel zooms around the cursor, Shift+wheel pans, drag selects a range, double-click
 * resets; with the plot focused, arrow keys pan and +/− zoom.
 */
export const TimeChart = forwardRef<TimeChartHandle, TimeChartProps>(function TimeChart(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const drawMs = useRef(0);
  const anomalies = useRef<{ x: number[]; y: number[] }>({ x: [], y: [] });
  const applying = useRef(false);
  const theme = useSession((s) => s.theme);

  const extentOf = (d: ChartData): [number, number] | null =>
    d.x.length ? [d.x[0], d.x[d.x.length - 1] === d.x[0] ? d.x[0] + 1 : d.x[d.x.length - 1]] : null;

  const draw = () => {
    const u = plot.current;
    if (!u) return;
    const t0 = performance.now();
    const p = propsRef.current;
    const d = p.data();
    const range = p.range() ?? extentOf(d);
    if (!range) {
      applying.current = true;
      u.setData([[], [], [], [], []]);
      applying.current = false;
      return;
    }
    const columns = Math.max(50, Math.floor(u.bbox.width / devicePixelRatio) || u.width || 600);
    const dec = decimate(d, range[0], range[1], columns);
    const xs = dec.x.map((t) => t / 1000);
    const main = p.mode === "score" ? dec.score : dec.value;
    const a = d.anomalies;
    const ax: number[] = [];
    const ay: number[] = [];
    if (a && p.mode !== "score") {
      for (let i = 0; i < a.x.length; i++)
        if (a.x[i] >= range[0] && a.x[i] <= range[1]) {
          ax.push(a.x[i] / 1000);
          ay.push(a.value[i]);
        }
    }
    anomalies.current = { x: ax, y: ay };
    applying.current = true;
    u.batch(() => {
      u.setData([xs, main, dec.forecast, dec.lower, dec.upper], false);
      u.setScale("x", { min: range[0] / 1000, max: range[1] / 1000 });
    });
    applying.current = false;
    drawMs.current = performance.now() - t0;
    u.root.dataset.rows = String(dec.rows);
    u.root.dataset.points = String(xs.length);
    u.root.dataset.drawMs = drawMs.current.toFixed(2);
  };

  useImperativeHandle(ref, () => ({
    redraw: draw,
    canvas: () => plot.current?.ctx.canvas ?? null,
    lastDrawMs: () => drawMs.current,
  }));

  // biome-ignore lint/correctness/useExhaustiveDependencies: the plot is rebuilt only when its look changes
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = propsRef.current;
    const c = chartColors();
    const valueColor = p.color ? resolveColor(p.color) : c.value;
    const axis = (side: 0 | 1 | 2 | 3): uPlot.Axis => ({
      stroke: c.text,
      grid: { stroke: c.grid, width: 1 },
      ticks: { stroke: c.grid, width: 1 },
      side,
      font: "11px system-ui, sans-serif",
    });
    const score = p.mode === "score";
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height: p.height,
      legend: { show: false },
      cursor: {
        sync: p.syncKey ? { key: p.syncKey } : undefined,
        drag: { x: true, y: false, setScale: true },
        points: { show: false },
      },
      scales: { x: { time: true }, y: score ? { range: [0, 1] } : { auto: true } },
      // The score strip shares the value plot's time axis (cursor-synced), so it shows only its 0…1 scale.
      axes: score
        ? [
            { ...axis(2), show: false },
            { ...axis(3), size: 56, splits: () => [0, 0.5, 1] },
          ]
        : [axis(2), { ...axis(3), size: 56 }],
      series: [
        {},
        {
          label: score ? "anomaly score" : p.label,
          stroke: score ? c.score : valueColor,
          width: 1.25,
          spanGaps: false,
        },
        { label: "forecast", stroke: c.forecast, width: 1, dash: [4, 3], show: !score && (p.showForecast ?? true) },
        { label: "lower", stroke: "transparent", show: !score && (p.showBand ?? true) },
        { label: "upper", stroke: "transparent", show: !score && (p.showBand ?? true) },
      ],
      bands: !score && (p.showBand ?? true) ? [{ series: [4, 3], fill: c.band }] : [],
      hooks: {
        drawClear: [
          (u) => {
            const regions = propsRef.current.regions;
            if (!regions?.length) return;
            const ctx = u.ctx;
            ctx.save();
            for (const r of regions) {
              const a = Math.max(u.bbox.left, u.valToPos(r.from / 1000, "x", true));
              const b = Math.min(u.bbox.left + u.bbox.width, u.valToPos(r.to / 1000, "x", true));
              if (b <= a) continue;
              ctx.fillStyle = r.kind === "label" ? "rgba(214, 39, 40, 0.16)" : "rgba(128, 128, 128, 0.14)";
              ctx.fillRect(a, u.bbox.top, Math.max(1, b - a), u.bbox.height);
            }
            ctx.restore();
          },
        ],
        setScale: [
          (u, key) => {
            if (key !== "x" || applying.current) return;
            const min = u.scales.x.min;
            const max = u.scales.x.max;
            if (min === undefined || max === undefined || min === null || max === null) return;
            propsRef.current.onRangeChange?.([min * 1000, max * 1000]);
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            if (score && p.threshold !== undefined) {
              const y = u.valToPos(p.threshold, "y", true);
              ctx.save();
              ctx.strokeStyle = c.threshold;
              ctx.setLineDash([5, 4]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.restore();
            }
            const { x, y } = anomalies.current;
            if (!x.length) return;
            ctx.save();
            ctx.fillStyle = c.anomaly;
            ctx.strokeStyle = c.anomaly;
            const r = 3.5 * devicePixelRatio;
            for (let i = 0; i < x.length; i++) {
              const px = u.valToPos(x[i], "x", true);
              const py = u.valToPos(y[i], "y", true);
              ctx.beginPath();
              ctx.arc(px, py, r, 0, 2 * Math.PI);
              ctx.fill();
            }
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, [[], [], [], [], []], el);
    plot.current = u;
    u.root.setAttribute("aria-hidden", "true");
    draw();

    const over = u.over;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const min = u.scales.x.min ?? 0;
      const max = u.scales.x.max ?? 1;
      const span = max - min;
      if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const shift = (span * (e.shiftKey ? e.deltaY : e.deltaX)) / 1000;
        u.setScale("x", { min: min + shift, max: max + shift });
        return;
      }
      const at = u.posToVal(e.offsetX, "x");
      const factor = Math.exp(e.deltaY / 500);
      u.setScale("x", { min: at - (at - min) * factor, max: at + (max - at) * factor });
    };
    over.addEventListener("wheel", onWheel, { passive: false });
    over.addEventListener("dblclick", () => propsRef.current.onRangeChange?.(null));
    const resize = new ResizeObserver(() => {
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - u.width) > 1) {
        u.setSize({ width: w, height: propsRef.current.height });
        draw();
      }
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [theme, props.mode, props.showBand, props.showForecast, props.height, props.color]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when data or range changed outside the live path
  useEffect(() => {
    draw();
  }, [props.version]);

  const onKey = (e: React.KeyboardEvent) => {
    const u = plot.current;
    if (!u) return;
    const min = u.scales.x.min ?? 0;
    const max = u.scales.x.max ?? 1;
    const span = max - min;
    let next: [number, number] | null = null;
    if (e.key === "ArrowLeft") next = [min - span / 5, max - span / 5];
    else if (e.key === "ArrowRight") next = [min + span / 5, max + span / 5];
    else if (e.key === "+" || e.key === "=") next = [min + span / 4, max - span / 4];
    else if (e.key === "-") next = [min - span / 2, max + span / 2];
    else if (e.key === "0") {
      propsRef.current.onRangeChange?.(null);
      e.preventDefault();
      return;
    }
    if (next) {
      e.preventDefault();
      u.setScale("x", { min: next[0], max: next[1] });
    }
  };

  return (
    <div
      className="chart"
      ref={host}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the plot is operated from the keyboard (arrows pan, +/- zoom)
      tabIndex={0}
      role="application"
      aria-roledescription="chart"
      aria-label={`${props.label}: ${props.mode === "score" ? "anomaly score" : "values, forecast and interval"}. Arrow keys pan, plus and minus zoom, 0 resets.`}
      onKeyDown={onKey}
    />
  );
});
