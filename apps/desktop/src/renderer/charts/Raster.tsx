import { useEffect, useRef } from "react";
import { useSession } from "../state/session";
import { chartColors, resolveColor } from "./theme";

export interface RasterProps {
  steps: number;
  rows: number;
  /** Spikes as parallel arrays of (step, row). */
  step: ArrayLike<number>;
  row: ArrayLike<number>;
  /** Optional per step × row intensity in [0, 1] drawn as a heatmap under the spikes (row-major by step). */
  heat?: ArrayLike<number>;
  height: number;
  label: string;
  rowLabels?: string[];
  color?: string;
}

/**
 * A spike raster on a canvas: one row per channel or neuron, one tick per spike, optionally over a heatmap of the
 * neurons' traces. Canvas, not SVG: a window of a few thousand steps has tens of thousands of spikes.
 */
export function Raster(p: RasterProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useSession((s) => s.theme);
  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw on data and theme
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const draw = () => {
      const dpr = devicePixelRatio || 1;
      const width = el.clientWidth || 600;
      el.width = Math.round(width * dpr);
      el.height = Math.round(p.height * dpr);
      const ctx = el.getContext("2d");
      if (!ctx) return;
      const c = chartColors();
      const left = p.rowLabels ? 44 * dpr : 0;
      const w = el.width - left;
      const rowH = el.height / Math.max(1, p.rows);
      const stepW = w / Math.max(1, p.steps);
      ctx.clearRect(0, 0, el.width, el.height);
      if (p.heat) {
        const cols = Math.min(p.steps, Math.floor(w));
        const per = p.steps / cols;
        for (let k = 0; k < cols; k++) {
          const t = Math.floor(k * per);
          for (let r = 0; r < p.rows; r++) {
            const v = p.heat[t * p.rows + r] ?? 0;
            if (v <= 0.01) continue;
            ctx.fillStyle = c.band;
            ctx.globalAlpha = Math.min(1, v * 3);
            ctx.fillRect(left + k * (w / cols), r * rowH, Math.ceil(w / cols), Math.ceil(rowH));
          }
        }
        ctx.globalAlpha = 1;
      }
      ctx.fillStyle = p.color ? resolveColor(p.color) : c.value;
      const tickW = Math.max(1, Math.min(3 * dpr, stepW * 0.8));
      for (let i = 0; i < p.step.length; i++) {
        ctx.fillRect(left + p.step[i] * stepW, p.row[i] * rowH + rowH * 0.1, tickW, Math.max(1, rowH * 0.8));
      }
      if (p.rowLabels) {
        ctx.fillStyle = c.text;
        ctx.font = `${11 * dpr}px system-ui, sans-serif`;
        ctx.textBaseline = "middle";
        const every = Math.max(1, Math.ceil((12 * dpr) / rowH));
        p.rowLabels.forEach((l, r) => {
          if (r % every === 0) ctx.fillText(l, 2 * dpr, r * rowH + rowH / 2);
        });
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(el);
    return () => ro.disconnect();
  }, [p.step, p.row, p.heat, p.steps, p.rows, p.height, theme]);
  return (
    <canvas
      ref={canvas}
      className="raster"
      style={{ height: p.height }}
      role="img"
      aria-label={`${p.label}: ${p.step.length} spikes over ${p.steps} steps and ${p.rows} rows`}
      data-spikes={p.step.length}
    />
  );
}
