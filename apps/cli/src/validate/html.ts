import type { ValidationMetricsReport, ValidationReport } from "@nqp/contract";
import type { BacktestResult } from "@nqp/core";
import { bucketize, PALETTE, Plot } from "./svg-plot";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? "–"
    : Math.abs(x) >= 1e6 || (Math.abs(x) < 1e-3 && x !== 0)
      ? x.toExponential(2)
      : String(+x.toPrecision(digits));
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? "–" : `${(100 * x).toFixed(1)} %`;

/** Rolling mean of `f(t)` over the last `w` rows that have one (NaN where none). */
function rolling(n: number, from: number, w: number, f: (t: number) => number): Float64Array {
  const out = new Float64Array(n).fill(Number.NaN);
  const ring = new Float64Array(w).fill(Number.NaN);
  let sum = 0;
  let count = 0;
  for (let t = from; t < n; t++) {
    const slot = t % w;
    if (Number.isFinite(ring[slot])) {
      sum -= ring[slot];
      count--;
    }
    const v = f(t);
    ring[slot] = v;
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
    out[t] = count ? sum / count : Number.NaN;
  }
  return out;
}

function range(...arrays: ArrayLike<number>[]): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = 0.05 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** The plots, from the full per-row results (the report's series may be thinned to every stride-th row). */
function plots(report: ValidationReport, r: BacktestResult, values: Float64Array, time: Float64Array): string[] {
  const n = r.rows;
  const from = r.scoreFrom;
  const width = 880;
  const all = bucketize(values, 0, n, width);
  const fusedNames = r.predictors.filter((p) => p.fused).map((p) => p.name);
  const shade = (p: Plot) => {
    p.region(0, from, "#f2f2f2", "warm-up");
    for (const [a, b] of report.labels?.windows ?? []) {
      let i = 0;
      while (i < n && time[i] < a) i++;
      let j = i;
      while (j < n && time[j] <= b) j++;
      p.region(i, Math.max(j, i + 1), "rgba(214,39,40,0.12)", "labelled anomaly window");
    }
  };
  const out: string[] = [];

  // 1. Value, fused forecast and interval.
  {
    const [lo, hi] = range(values.subarray(from), values.subarray(0, from));
    const p = new Plot(
      `Value, fused forecast and ${Math.round(100 * r.coverage)} % interval (${r.horizon} step${r.horizon > 1 ? "s" : ""} ahead)`,
      n,
      lo,
      hi,
      280,
      time,
    );
    shade(p);
    const lower = bucketize(r.series.lower, 0, n, width);
    const upper = bucketize(r.series.upper, 0, n, width);
    p.band(lower, lower.min, upper.max, "rgba(31,119,180,0.22)", "interval");
    if (all.edges.length - 1 < n) p.band(all, all.min, all.max, "rgba(0,0,0,0.35)", "value (min–max per pixel)");
    else p.line(all, all.mean, "#222", "value", { width: 1 });
    const f = bucketize(r.series.forecast, 0, n, width);
    p.line(f, f.mean, PALETTE[0], "fused forecast", { width: 1 });
    out.push(p.render());
  }
  // 1b. The last rows at full resolution, where value, forecast and band can be told apart.
  {
    const span = Math.min(n - from, 500);
    if (span >= 20 && n > span) {
      const a = n - span;
      const [lo, hi] = range(values.subarray(a), r.series.forecast.subarray(a));
      const p = new Plot(`The last ${span} rows in detail`, span, lo, hi, 260, time.subarray(a));
      const one = (arr: ArrayLike<number>) =>
        bucketize(
          Array.from({ length: span }, (_, i) => arr[a + i]),
          0,
          span,
          span,
        );
      const lower = one(r.series.lower);
      const upper = one(r.series.upper);
      p.band(lower, lower.mean, upper.mean, "rgba(31,119,180,0.22)", "interval");
      const v = one(values);
      p.line(v, v.mean, "#222", "value", { width: 1.2 });
      const f = one(r.series.forecast);
      p.line(f, f.mean, PALETTE[0], "fused forecast", { width: 1.2 });
      out.push(p.render());
    }
  }
  // 2. Error over time: rolling RMSE of the fusion and of each predictor.
  {
    const w = Math.max(24, Math.round(n / 100));
    const series = [
      { name: "fused", data: rolling(n, from, w, (t) => (values[t] - r.series.forecast[t]) ** 2) },
      ...r.predictors.map((p, i) => ({
        name: p.name,
        data: rolling(n, from, w, (t) => (values[t] - r.series.predictions[i][t]) ** 2),
      })),
    ].map((s) => ({ name: s.name, data: s.data.map(Math.sqrt) }));
    const [lo, hi] = range(...series.map((s) => s.data));
    const p = new Plot(`Error over time: RMSE over the last ${w} rows`, n, Math.max(0, lo), hi, 240, time);
    shade(p);
    series.forEach((s, i) => {
      const b = bucketize(s.data, 0, n, width);
      p.line(b, b.mean, i === 0 ? "#000" : PALETTE[(i - 1) % PALETTE.length], s.name, {
        width: i === 0 ? 1.8 : 1,
        dash: i > 0 && !r.predictors[i - 1].fused,
      });
    });
    out.push(p.render());
  }
  // 3. Coverage: rolling share of values inside their interval, against the nominal rate.
  {
    const w = Math.max(100, Math.round(n / 40));
    const cov = rolling(n, from, w, (t) => (r.series.covered[t] === 255 ? Number.NaN : r.series.covered[t]));
    const b = bucketize(cov, 0, n, width);
    const p = new Plot(
      `Coverage over the last ${w} rows (nominal ${Math.round(100 * r.coverage)} %)`,
      n,
      0.5,
      1,
      200,
      time,
    );
    shade(p);
    p.hline(r.coverage, "#d62728", "nominal");
    p.line(b, b.mean, PALETTE[0], "empirical coverage", { width: 1.5 });
    out.push(p.render());
  }
  // 4. Weights of the predictors in the fused forecast.
  {
    const p = new Plot("Per-predictor weights in the fused forecast", n, -0.02, 1.02, 220, time);
    shade(p);
    fusedNames.forEach((name, i) => {
      const b = bucketize(r.series.weights[i], 0, n, width);
      p.line(b, b.mean, PALETTE[i % PALETTE.length], name, { width: 1.4 });
    });
    out.push(p.render());
  }
  return out;
}

function metricsRow(name: string, m: ValidationMetricsReport, extra: string[]): string {
  const cells = [
    esc(name),
    num(m.nrmse),
    num(m.mase),
    num(m.smape, 3),
    num(m.rmse),
    num(m.mae),
    num(m.bias),
    pct(m.coverage),
    num(m.meanWidth),
    num(m.winkler),
    ...extra,
  ];
  return `<tr>${cells
    .map((c, i) =>
      i === 0 ? `<th>${c}</th>` : i === cells.length - 1 ? `<td class="details">${c}</td>` : `<td>${c}</td>`,
    )
    .join("")}</tr>`;
}

/** The self-contained HTML report: summary, plots (inline SVG), tables, and the JSON report embedded. */
export function renderReportHtml(
  report: ValidationReport,
  result: BacktestResult,
  values: Float64Array,
  time: Float64Array,
): string {
  const s = report.score;
  const c = s.components;
  const fusedNames = report.predictors.filter((p) => p.fused).map((p) => p.name);
  const components = (
    [
      ["accuracy", c.accuracy],
      ["calibration", c.calibration],
      ["sharpness", c.sharpness],
      ["skill vs baselines", c.skill],
      ["events (NAB)", c.events],
    ] as const
  )
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `<li>${k}: <b>${num(v as number, 3)}</b></li>`)
    .join("");
  const metrics = [
    metricsRow(`fused (${report.settings.fusion})`, report.fused.metrics, ["1", ""]),
    ...report.predictors.map((p) =>
      metricsRow(p.fused ? p.name : `${p.name} (baseline, not fused)`, p.metrics, [
        p.fused ? num(p.meanWeight, 3) : "–",
        esc(
          Object.entries(p.details)
            .map(([k, v]) => `${k} ${typeof v === "number" ? num(v) : String(v)}`)
            .join(", "),
        ),
      ]),
    ),
  ].join("\n");
  const baselines = report.baselines
    .map((b) => `<tr><th>${esc(b.baseline)}</th><td>${pct(b.rmseSkill)}</td><td>${pct(b.maeSkill)}</td></tr>`)
    .join("");
  const events = report.events
    ? `<h2>Events (NAB-style, labels from ${esc(report.labels?.file ?? "")})</h2>
<table><tr><th>detector</th><th>threshold</th><th>standard</th><th>low FP</th><th>low FN</th><th>windows detected</th><th>false positives</th></tr>
${report.events
  .map(
    (e) =>
      `<tr><th>${esc(e.detector)}</th><td>${num(e.threshold)}</td><td>${num(e.profiles.standard, 3)}</td><td>${num(e.profiles.reward_low_FP_rate, 3)}</td><td>${num(e.profiles.reward_low_FN_rate, 3)}</td><td>${e.windowsDetected}/${e.windows}</td><td>${e.falsePositives}</td></tr>`,
  )
  .join("\n")}</table>
<p class="note">Scores are normalised as NAB does (0: a detector that never fires, 100: a perfect one) for this series alone, at each detector's fixed threshold. The events component of the score uses the first detector.</p>`
    : "";
  const json = JSON.stringify(report).replace(/</g, "\\u003c");
  const fusedVsBest = report.fusedVsBest;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NQP validation: ${esc(report.input.file)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.score{display:flex;gap:24px;align-items:center;background:#f6f8fa;border:1px solid #ddd;border-radius:8px;padding:12px 18px}
.score .big{font-size:44px;font-weight:700}.score ul{margin:0;padding-left:18px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e5e5;padding:4px 6px;text-align:right;vertical-align:top}
th:first-child{text-align:left}td.details{text-align:left}thead th{background:#fafafa}
figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}svg{width:100%;height:auto;font-size:11px;font-family:inherit}
.note{color:#555;font-size:12.5px}code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
</style></head><body>
<h1>Validation of ${esc(report.input.file)}</h1>
<p class="note">${report.input.rows} rows${report.input.exogenous.length ? ` (exogenous: ${esc(report.input.exogenous.join(", "))})` : ""}; horizon ${report.settings.horizon}; predictors ${esc(report.settings.predictors.join(", "))}; walk-forward: warm-up ${report.settings.warmup} rows, ${report.scoredRows} rows scored from row ${report.scoreFrom}; ${esc(report.generatedBy)}, ${num(report.seconds, 3)} s.</p>
<div class="score"><div><div class="big">${num(s.total, 3)}</div><div>of 100</div></div><ul>${components}</ul>
<div class="note">Fused NRMSE ${num(report.fused.metrics.nrmse)} vs best single (${esc(report.bestSingle.name)}) ${num(report.bestSingle.nrmse)}: ratio ${num(fusedVsBest, 4)}${fusedVsBest !== null && fusedVsBest <= 1 ? " — the fusion is at least as good" : ""}.<br>Coverage ${pct(report.fused.metrics.coverage)} at nominal ${pct(report.settings.coverage)}.</div></div>
${plots(report, result, values, time).join("\n")}
<h2>Metrics over the scored rows</h2>
<table><thead><tr><th>forecast</th><th>NRMSE</th><th>MASE</th><th>sMAPE %</th><th>RMSE</th><th>MAE</th><th>bias</th><th>coverage</th><th>mean width</th><th>Winkler</th><th>mean weight</th><th>details</th></tr></thead>
${metrics}</table>
<p class="note">Fusion: ${esc(report.settings.fusion)} weights of ${esc(fusedNames.join(", "))}${report.settings.guardHalfLife !== null ? `; the follow-the-leader safeguard (half-life ${report.settings.guardHalfLife} rows) used a single predictor on ${pct(report.fused.leaderShare)} of the scored rows` : ""}.</p>
<h2>Against the baselines</h2>
<table><tr><th>baseline</th><th>RMSE skill</th><th>MAE skill</th></tr>${baselines}</table>
<p class="note">Skill = 1 − error of the fused forecast / error of the baseline: positive means the fusion beats it.</p>
${events}
<h2>How the score is computed</h2>
<p class="note"><code>${esc(s.formula)}</code></p>
<script type="application/json" id="nqp-validation-report">${json}</script>
</body></html>
`;
}
