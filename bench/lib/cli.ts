/** Command-line options and timing summaries shared by the benchmarks. */

export const flag = (name: string) => process.argv.includes(`--${name}`);

export function arg(name: string, fallback: number): number;
export function arg(name: string, fallback: string): string;
export function arg(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return typeof fallback === "number" ? Number(v) : v;
}

const fourDigits = (x: number) => Number(x.toPrecision(4));

/** Median, best (lowest: times and costs) and every run, each rounded for the JSON report. */
export function lowestStats(xs: number[], round: (x: number) => number = fourDigits) {
  const s = [...xs].sort((a, b) => a - b);
  return { median: round(s[Math.floor(s.length / 2)]), best: round(s[0]), runs: xs.map(round) };
}
