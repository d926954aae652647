/**
 * Small inline-SVG charts for the HTML report: a row-indexed x axis (labelled with timestamps where known), bands,
 * lines, shaded regions and a legend; long series are reduced to per-pixel-column buckets (min, max, mean), so a
 * spike never disappears from a band or an envelope. No script, no external file: the report stays self-contained.
 */
export interface Buckets {
  /** First row of each bucket, and one past the last row of the last. */
  edges: number[];
  min: number[];
  max: number[];
  mean: number[];
}

export function bucketize(data: ArrayLike<number>, from: number, to: number, count: number): Buckets {
  const span = Math.max(1, to - from);
  const k = Math.max(1, Math.min(count, span));
  const edges: number[] = [];
  const min: number[] = [];
  const max: number[] = [];
  const mean: number[] = [];
  for (let b = 0; b < k; b++) {
    const a = from + Math.floor((b * span) / k);
    const z = from + Math.floor(((b + 1) * span) / k);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let s = 0;
    let c = 0;
    for (let t = a; t < z; t++) {
      const v = data[t];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      s += v;
      c++;
    }
    edges.push(a);
    min.push(c ? lo : Number.NaN);
    max.push(c ? hi : Number.NaN);
    mean.push(c ? s / c : Number.NaN);
  }
  edges.push(to);
  return { edges, min, max, mean };
}

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

const fmt = (x: number) =>
  Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : String(+x.toPrecision(4));
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export class Plot {
  readonly width = 960;
  readonly left = 70;
  readonly right = 10;
  readonly top = 28;
  readonly bottom = 34;
  private readonly parts: string[] = [];
  private readonly legend: { label: string; color: string; dash?: boolean }[] = [];

  constructor(
    readonly title: string,
    readonly rows: number,
    readonly yMin: number,
    readonly yMax: number,
    readonly height = 240,
    readonly time?: ArrayLike<number>,
  ) {}

  x(row: number): number {
    return this.left + ((this.width - this.left - this.right) * row) / Math.max(1, this.rows);
  }

  y(v: number): number {
    const span = this.yMax - this.yMin || 1;
    const clamped = Math.max(this.yMin - 0.05 * span, Math.min(this.yMax + 0.05 * span, v));
    return this.top + (this.height - this.top - this.bottom) * (1 - (clamped - this.yMin) / span);
  }

  /** A shaded span of rows (warm-up, labelled windows). */
  region(from: number, to: number, color: string, label?: string): void {
    const x0 = this.x(from);
    const w = Math.max(1, this.x(to) - x0);
    this.parts.push(
      `<rect x="${x0.toFixed(1)}" y="${this.top}" width="${w.toFixed(1)}" height="${this.height - this.top - this.bottom}" fill="${color}"/>`,
    );
    if (label && !this.legend.some((l) => l.label === label)) this.legend.push({ label, color });
  }

  /** The area between two per-bucket series. */
  band(b: Buckets, low: number[], high: number[], color: string, label: string): void {
    const top: string[] = [];
    const bottom: string[] = [];
    for (let i = 0; i < low.length; i++) {
      if (!Number.isFinite(low[i]) || !Number.isFinite(high[i])) continue;
      const xa = this.x(b.edges[i]).toFixed(1);
      const xb = this.x(b.edges[i + 1]).toFixed(1);
      top.push(`${xa},${this.y(high[i]).toFixed(1)}`, `${xb},${this.y(high[i]).toFixed(1)}`);
      bottom.push(`${xb},${this.y(low[i]).toFixed(1)}`, `${xa},${this.y(low[i]).toFixed(1)}`);
    }
    if (top.length) this.parts.push(`<polygon points="${[...top, ...bottom.reverse()].join(" ")}" fill="${color}"/>`);
    this.legend.push({ label, color });
  }

  /** A polyline through per-bucket values (gaps where a value is missing). */
  line(b: Buckets, values: number[], color: string, label: string, options: { width?: number; dash?: boolean } = {}) {
    const segments: string[][] = [[]];
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        if (segments[segments.length - 1].length) segments.push([]);
        continue;
      }
      const xm = this.x((b.edges[i] + b.edges[i + 1]) / 2).toFixed(1);
      segments[segments.length - 1].push(`${xm},${this.y(values[i]).toFixed(1)}`);
    }
    for (const s of segments)
      if (s.length)
        this.parts.push(
          `<polyline points="${s.join(" ")}" fill="none" stroke="${color}" stroke-width="${options.width ?? 1.2}"${options.dash ? ' stroke-dasharray="5 4"' : ""}/>`,
        );
    this.legend.push({ label, color, dash: options.dash });
  }

  /** A horizontal reference line. */
  hline(v: number, color: string, label: string): void {
    const y = this.y(v).toFixed(1);
    this.parts.push(
      `<line x1="${this.left}" x2="${this.width - this.right}" y1="${y}" y2="${y}" stroke="${color}" stroke-dasharray="5 4"/>`,
    );
    this.legend.push({ label, color, dash: true });
  }

  render(): string {
    const h = this.height;
    const axes: string[] = [];
    for (let i = 0; i <= 4; i++) {
      const v = this.yMin + ((this.yMax - this.yMin) * i) / 4;
      const y = this.y(v).toFixed(1);
      axes.push(
        `<line x1="${this.left}" x2="${this.width - this.right}" y1="${y}" y2="${y}" stroke="#eee"/>`,
        `<text x="${this.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(v)}</text>`,
      );
    }
    for (let i = 0; i <= 6; i++) {
      const row = Math.round(((this.rows - 1) * i) / 6);
      const x = this.x(row).toFixed(1);
      const t = this.time?.[row];
      const label =
        t !== undefined && Number.isFinite(t) ? new Date(t).toISOString().slice(0, 16).replace("T", " ") : `row ${row}`;
      axes.push(
        `<line x1="${x}" x2="${x}" y1="${this.top}" y2="${h - this.bottom}" stroke="#f3f3f3"/>`,
        `<text x="${x}" y="${h - this.bottom + 16}" text-anchor="${i === 0 ? "start" : i === 6 ? "end" : "middle"}">${esc(label)}</text>`,
      );
    }
    let lx = this.left;
    const legend = this.legend.map((l) => {
      const item = `<g transform="translate(${lx},${14})"><rect width="14" height="${l.dash ? 2 : 8}" y="${l.dash ? -5 : -8}" fill="${l.color}"/><text x="18" y="0">${esc(l.label)}</text></g>`;
      lx += 30 + 7 * l.label.length;
      return item;
    });
    return [
      `<figure><figcaption>${esc(this.title)}</figcaption>`,
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${this.width} ${h}" role="img" aria-label="${esc(this.title)}">`,
      ...axes,
      ...this.parts,
      `<rect x="${this.left}" y="${this.top}" width="${this.width - this.left - this.right}" height="${h - this.top - this.bottom}" fill="none" stroke="#999"/>`,
      ...legend,
      "</svg></figure>",
    ].join("\n");
  }
}
