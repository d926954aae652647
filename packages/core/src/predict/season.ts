/**
 * The season (period, in rows) of a series, chosen by how well it forecasts: candidate periods are the strongest
 * local maxima of the autocorrelation of the linearly detrended series (Box & Jenkins, "Time Series Analysis",
 * §2.1; the usual first look for a seasonal period), and the winner is the candidate whose seasonal-naive forecast
 * `horizon` rows ahead has the smallest mean absolute error over the same rows (the shortest within 5 % of it), if
 * it beats persistence (period 1). So a quasi-periodic series (Mackey–Glass) whose persistence forecast beats its
 * "season" gets period 1.
 */
export interface SeasonOptions {
  horizon?: number;
  /** Longest period considered (default: a third of the rows, at most 4 096). */
  maxPeriod?: number;
  /** Autocorrelation a candidate peak must reach (default 0.2). */
  minCorrelation?: number;
  /** Peaks tried besides persistence (default 4). */
  candidates?: number;
}

export function detectSeason(values: ArrayLike<number>, options: SeasonOptions = {}): number {
  const n = values.length;
  const horizon = options.horizon ?? 1;
  const maxPeriod = Math.min(options.maxPeriod ?? 4096, Math.floor(n / 3));
  if (maxPeriod < 2) return 1;
  const x = detrend(values);
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += x[t] * x[t];
  if (!(c0 > 0)) return 1;
  const minCorrelation = options.minCorrelation ?? 0.2;
  const peaks = acfPeaks(x, c0, maxPeriod, minCorrelation, (options.candidates ?? 4) + 2);
  // Sampling noise moves a peak by a row or so, and the strongest peak may be a multiple of the season: each peak
  // brings its neighbours and its halves and thirds (with neighbours) along.
  const tried = [
    ...new Set(
      peaks
        .slice(0, options.candidates ?? 4)
        .flatMap(({ period: k }) => [k, Math.round(k / 2), Math.round(k / 3)].flatMap((m) => [m - 1, m, m + 1]))
        .filter((m) => m >= 2 && m <= maxPeriod),
    ),
  ];
  // Every candidate is scored on the same rows: those with a history as long as the longest candidate needs.
  const from = Math.max(horizon, ...tried.map((m) => m * Math.ceil(horizon / m)));
  // A candidate is judged by its worse half of the rows: a season repeats throughout, while a chaotic series' chance
  // recurrence (Mackey–Glass nearly repeats itself for a while, hundreds of rows apart) does not.
  const mid = Math.floor((from + n) / 2);
  const errorOf = (period: number) =>
    Math.max(seasonalNaiveError(values, period, horizon, from, mid), seasonalNaiveError(values, period, horizon, mid));
  const errors = tried.map((period) => ({ period, error: errorOf(period) }));
  if (errors.length === 0) return 1;
  const bestError = Math.min(...errors.map((e) => e.error));
  // Multiples of the season (48 for 24) forecast about as well; among candidates within 5 % of the best, the
  // shortest is the season — kept only if it beats persistence.
  const season = Math.min(...errors.filter((e) => e.error <= 1.05 * bestError).map((e) => e.period));
  const seasonError = errors.find((e) => e.period === season)?.error ?? Number.POSITIVE_INFINITY;
  return seasonError < errorOf(1) ? season : 1;
}

/** The autocorrelation of x at lag k (c0 = Σx²). */
function acfAt(x: Float64Array, c0: number, k: number): number {
  let s = 0;
  for (let t = k; t < x.length; t++) s += x[t] * x[t - k];
  return s / c0;
}

// Lags up to this are searched at full resolution; beyond, coarse to fine (see acfPeaks).
const DIRECT_LAGS = 300;

/**
 * Local maxima of the autocorrelation at lags 2 … maxPeriod with r ≥ minCorrelation, strongest first. Long lag
 * ranges (weekly seasons of 5-minute data: 2 016 lags over 8 000 rows) are searched coarse to fine — the
 * autocorrelation of block means of d rows locates the peaks to within d lags, then the full-resolution
 * autocorrelation is evaluated around each — which costs O(n·(maxPeriod/d² + peaks·d)) instead of O(n·maxPeriod).
 */
function acfPeaks(
  x: Float64Array,
  c0: number,
  maxPeriod: number,
  minCorrelation: number,
  count: number,
): { period: number; r: number }[] {
  const n = x.length;
  const localMaxima = (r: Float64Array, from: number, to: number, threshold: number) => {
    const out: { period: number; r: number }[] = [];
    for (let k = from; k <= to; k++)
      if (r[k] >= threshold && r[k] > r[k - 1] && r[k] >= r[k + 1]) out.push({ period: k, r: r[k] });
    return out.sort((a, b) => b.r - a.r);
  };
  if (maxPeriod <= DIRECT_LAGS) {
    const acf = new Float64Array(maxPeriod + 2);
    for (let k = 1; k <= maxPeriod + 1 && k < n; k++) acf[k] = acfAt(x, c0, k);
    return localMaxima(acf, 2, maxPeriod, minCorrelation);
  }
  const d = Math.ceil(maxPeriod / DIRECT_LAGS);
  const nb = Math.floor(n / d);
  const blocks = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    let sum = 0;
    for (let t = b * d; t < (b + 1) * d; t++) sum += x[t];
    blocks[b] = sum / d;
  }
  let b0 = 0;
  for (let b = 0; b < nb; b++) b0 += blocks[b] * blocks[b];
  const lags = Math.min(Math.floor(maxPeriod / d) + 1, nb - 1);
  const coarse = new Float64Array(lags + 2);
  if (b0 > 0) for (let k = 1; k <= lags; k++) coarse[k] = acfAt(blocks, b0, k);
  // Block means average noise away, so the coarse correlation of a season is, if anything, higher.
  const found = new Map<number, number>();
  for (const { period: kc } of localMaxima(coarse, 1, lags, minCorrelation).slice(0, count)) {
    let best = -1;
    let bestR = Number.NEGATIVE_INFINITY;
    for (let k = Math.max(2, kc * d - d); k <= Math.min(maxPeriod, kc * d + d); k++) {
      const r = acfAt(x, c0, k);
      if (r > bestR) {
        bestR = r;
        best = k;
      }
    }
    if (best > 0 && bestR >= minCorrelation) found.set(best, bestR);
  }
  // Short lags (a daily season in hourly data) are cheap: always searched at full resolution.
  const short = new Float64Array(DIRECT_LAGS + 2);
  for (let k = 1; k <= DIRECT_LAGS + 1 && k < n; k++) short[k] = acfAt(x, c0, k);
  for (const p of localMaxima(short, 2, DIRECT_LAGS, minCorrelation)) found.set(p.period, p.r);
  return [...found].map(([period, r]) => ({ period, r })).sort((a, b) => b.r - a.r);
}

/** Mean |y(t) − y(t − k·m)|, k = ⌈h/m⌉ (the seasonal-naive forecast h rows ahead), over rows from ≤ t < to. */
export function seasonalNaiveError(
  values: ArrayLike<number>,
  period: number,
  horizon: number,
  from = 0,
  to = values.length,
): number {
  const back = period * Math.ceil(horizon / period);
  let s = 0;
  let c = 0;
  for (let t = Math.max(from, back); t < to; t++) {
    const e = Math.abs(values[t] - values[t - back]);
    if (Number.isFinite(e)) {
      s += e;
      c++;
    }
  }
  return c ? s / c : Number.POSITIVE_INFINITY;
}

function detrend(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  let st = 0;
  let sy = 0;
  let stt = 0;
  let sty = 0;
  for (let t = 0; t < n; t++) {
    st += t;
    sy += values[t];
    stt += t * t;
    sty += t * values[t];
  }
  const d = n * stt - st * st;
  const slope = d > 0 ? (n * sty - st * sy) / d : 0;
  const intercept = (sy - slope * st) / n;
  const x = new Float64Array(n);
  for (let t = 0; t < n; t++) x[t] = values[t] - intercept - slope * t;
  return x;
}
