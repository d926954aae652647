/** Chart colours come from the CSS theme (styles.css), so charts follow light/dark like everything else. */
export interface ChartColors {
  axis: string;
  grid: string;
  text: string;
  value: string;
  forecast: string;
  band: string;
  anomaly: string;
  score: string;
  threshold: string;
  series: string[];
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    axis: v("--chart-axis"),
    grid: v("--chart-grid"),
    text: v("--text-muted"),
    value: v("--chart-value"),
    forecast: v("--chart-forecast"),
    band: v("--chart-band"),
    anomaly: v("--danger"),
    score: v("--chart-score"),
    threshold: v("--warning"),
    series: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => v(`--series-${i}`)),
  };
}

/** A colour for canvas drawing: "var(--x)" is resolved against the current theme. */
export function resolveColor(color: string): string {
  const m = /^var\((--[\w-]+)\)$/.exec(color.trim());
  return m ? getComputedStyle(document.documentElement).getPropertyValue(m[1]).trim() : color;
}
