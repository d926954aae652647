import type { OnlineValidation } from "@nqp/contract/api";
import { ago, num, pct } from "../format";

/** The desktop's colour cue for a composite score out of 100 (a reading aid only: ≥ 70 green, < 40 red). */
export function scoreTone(score: number | null | undefined): "ok" | "warn" | "bad" | undefined {
  if (score === null || score === undefined || !Number.isFinite(score)) return undefined;
  return score >= 70 ? "ok" : score >= 40 ? "warn" : "bad";
}

/** A coverage tone: within 3 points of the nominal rate is calibrated. */
export function coverageTone(coverage: number | null, nominal: number): "ok" | "warn" | undefined {
  if (coverage === null || !Number.isFinite(coverage)) return undefined;
  return Math.abs(coverage - nominal) <= 0.03 ? "ok" : "warn";
}

const NUMBER_COLUMNS = [
  "score / 100",
  "NRMSE",
  "MASE",
  "sMAPE",
  "coverage (nominal)",
  "mean width",
  "Winkler",
  "forecasts scored",
];

const tone = (t: string | undefined) => (t ? `${t}-text` : "");

/**
 * Streams' online validation as their agents last reported it (status records synced to the hub): the composite
 * score, accuracy and interval calibration of the live forecasts since each agent process started.
 */
export function OnlineValidationTable(p: { rows: OnlineValidation[]; showAgent?: boolean; label: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways in narrow panels; keyboard users scroll it with the arrows
    <section className="table-wrap" tabIndex={0} aria-label={`${p.label} (scrolls)`}>
      <table className="table compact" aria-label={p.label} data-testid="online-validation">
        <thead>
          <tr>
            {p.showAgent !== false && <th scope="col">agent</th>}
            <th scope="col">stream</th>
            {NUMBER_COLUMNS.map((h) => (
              <th key={h} scope="col" className="num">
                {h}
              </th>
            ))}
            <th scope="col">reported</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => {
            const m = r.metrics;
            return (
              <tr key={`${r.agent}/${r.stream}`} data-online-validation={`${r.agent}/${r.stream}`}>
                {p.showAgent !== false && <td className="mono">{r.agent}</td>}
                <td className="mono">{r.stream}</td>
                <td className={`num ${tone(scoreTone(m.score))}`}>{num(m.score, 3)}</td>
                <td className="num">{num(m.nrmse, 3)}</td>
                <td className="num">{num(m.mase, 3)}</td>
                <td className="num">{num(m.smape, 3)}</td>
                <td className={`num ${tone(coverageTone(m.coverage, m.nominal))}`}>
                  {pct(m.coverage)} ({pct(m.nominal, 0)})
                </td>
                <td className="num">{num(m.meanWidth, 3)}</td>
                <td className="num">{num(m.winkler, 3)}</td>
                <td className="num">{m.count.toLocaleString()}</td>
                <td title={new Date(r.reportedAt).toISOString()}>
                  {ago(r.reportedAt)}
                  {r.online ? "" : " (offline)"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
