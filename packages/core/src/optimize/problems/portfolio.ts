import { NqpError } from "../../errors";
import { denseMatrix } from "../model/matrix";
import { createQubo, type QuboModel } from "../model/qubo";

/** Expected returns and their covariance for N assets. */
export interface PortfolioData {
  readonly assets: string[];
  /** μ_i, mean return per period. */
  readonly mean: Float64Array;
  /** Σ (N × N row-major), sample covariance of returns. */
  readonly covariance: Float64Array;
  /** Periods of returns the estimates came from. */
  readonly periods: number;
}

/**
 * Estimates μ and Σ from a table with one column per asset: prices (returns r_t = p_t/p_{t−1} − 1) or returns.
 * A first column whose values are not numbers (dates, timestamps) is ignored. Errors name the row (1-based, the
 * header being row 1) and column.
 */
export function portfolioFromTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  kind: "prices" | "returns",
): PortfolioData {
  if (header.length === 0) throw new NqpError("bad-portfolio", "row 1: the header is empty; name one column per asset");
  const first = rows.find((r) => r.length > 0);
  const skipFirst = first !== undefined && header.length > 1 && !Number.isFinite(Number(first[0])) && first[0] !== "";
  const from = skipFirst ? 1 : 0;
  const assets = header.slice(from).map((h) => h.trim());
  const N = assets.length;
  if (N < 1) throw new NqpError("bad-portfolio", "row 1: no asset columns after the date column");
  const values: Float64Array[] = [];
  rows.forEach((r, k) => {
    if (r.length === 1 && r[0].trim() === "") return;
    if (r.length !== header.length)
      throw new NqpError("bad-portfolio", `row ${k + 2}: ${r.length} columns but the header has ${header.length}`);
    const v = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const text = r[from + i].trim();
      const x = Number(text);
      if (text === "" || !Number.isFinite(x))
        throw new NqpError("bad-portfolio", `row ${k + 2}, column '${assets[i]}': value '${text}' is not a number`);
      if (kind === "prices" && x <= 0)
        throw new NqpError("bad-portfolio", `row ${k + 2}, column '${assets[i]}': price ${x} must be positive`);
      v[i] = x;
    }
    values.push(v);
  });
  const returns: Float64Array[] = [];
  if (kind === "prices")
    for (let t = 1; t < values.length; t++) returns.push(values[t].map((p, i) => p / values[t - 1][i] - 1));
  else returns.push(...values);
  const T = returns.length;
  if (T < 2)
    throw new NqpError(
      "bad-portfolio",
      `need at least 2 periods of returns to estimate a covariance, got ${T} (${kind === "prices" ? "3 price rows" : "2 rows"} at least)`,
    );
  const mean = new Float64Array(N);
  for (const r of returns) for (let i = 0; i < N; i++) mean[i] += r[i] / T;
  const covariance = new Float64Array(N * N);
  for (const r of returns)
    for (let i = 0; i < N; i++) {
      const di = r[i] - mean[i];
      for (let j = i; j < N; j++) covariance[i * N + j] += (di * (r[j] - mean[j])) / (T - 1);
    }
  for (let i = 0; i < N; i++) for (let j = 0; j < i; j++) covariance[i * N + j] = covariance[j * N + i];
  return { assets, mean, covariance, periods: T };
}

export interface PortfolioProblem {
  readonly data: PortfolioData;
  /** Assets to choose. */
  readonly k: number;
  /** Risk aversion λ in return − λ·variance. */
  readonly riskAversion: number;
}

/**
 * Equal-weight selection of K assets (weights x_i/K): maximise μᵀx/K − λ·xᵀΣx/K² subject to Σx = K. As a QUBO
 * (minimise): f(x) = −μᵀx/K + λ xᵀΣx/K² + P(Σx − K)². The penalty weight P is set to twice the largest change any
 * single flip can make to the unpenalised objective, D = max_i |μ_i|/K + λ(Σ_ii + 2Σ_{j≠i}|Σ_ij|)/K²: from any
 * x with Σx ≠ K one flip toward K lowers the penalty by at least P > D, so every minimiser is feasible.
 */
export function portfolioQubo(p: PortfolioProblem): { qubo: QuboModel; penalty: number } {
  const { mean, covariance } = p.data;
  const N = mean.length;
  const { k: K, riskAversion: lambda } = p;
  validatePortfolio(p);
  let D = 0;
  for (let i = 0; i < N; i++) {
    let row = 0;
    for (let j = 0; j < N; j++) row += (i === j ? 1 : 2) * Math.abs(covariance[i * N + j]);
    D = Math.max(D, Math.abs(mean[i]) / K + (lambda * row) / (K * K));
  }
  const P = 2 * D || 1;
  const Q = denseMatrix(N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) {
      // P(Σx − K)² = P[Σ_i x_i + Σ_{i≠j} x_i x_j − 2KΣ_i x_i + K²]
      let q = (lambda * covariance[i * N + j]) / (K * K) + P;
      if (i === j) q += -mean[i] / K - 2 * K * P;
      Q.values[i * N + j] = q;
    }
  return { qubo: createQubo({ Q, offset: P * K * K }), penalty: P };
}

function validatePortfolio(p: PortfolioProblem): void {
  const N = p.data.mean.length;
  if (!Number.isInteger(p.k) || p.k < 1 || p.k > N)
    throw new NqpError("bad-portfolio", `--k must be a whole number from 1 to the ${N} assets, got ${p.k}`);
  if (!Number.isFinite(p.riskAversion) || p.riskAversion < 0)
    throw new NqpError("bad-portfolio", `risk aversion must be a number ≥ 0, got ${p.riskAversion}`);
}

export interface PortfolioEvaluation {
  selected: number[];
  expectedReturn: number;
  variance: number;
  /** expectedReturn − λ·variance, the quantity maximised. */
  utility: number;
  feasible: boolean;
}

/** Return, variance and utility of an equal-weight selection; feasible iff exactly K assets are chosen. */
export function evaluatePortfolio(p: PortfolioProblem, x: ArrayLike<number>): PortfolioEvaluation {
  const { mean, covariance } = p.data;
  const N = mean.length;
  const selected: number[] = [];
  for (let i = 0; i < N; i++) if (x[i]) selected.push(i);
  const m = selected.length || 1;
  let ret = 0;
  let variance = 0;
  for (const i of selected) {
    ret += mean[i] / m;
    for (const j of selected) variance += covariance[i * N + j] / (m * m);
  }
  return {
    selected,
    expectedReturn: ret,
    variance,
    utility: ret - p.riskAversion * variance,
    feasible: selected.length === p.k,
  };
}

/** Throws when a selection breaks the cardinality constraint (for callers that accept outside selections). */
export function checkPortfolio(p: PortfolioProblem, x: ArrayLike<number>): void {
  const e = evaluatePortfolio(p, x);
  if (!e.feasible)
    throw new NqpError(
      "infeasible-portfolio",
      `the selection holds ${e.selected.length} assets but exactly ${p.k} must be chosen`,
    );
}

/**
 * Makes a selection feasible and locally optimal: while more than K assets are held, drop the one whose removal
 * raises the utility most; while fewer, add the best; then swap one held asset for one not held while a swap
 * raises the utility (first improvement, until none does). Returns a new 0/1 array.
 */
export function repairPortfolio(p: PortfolioProblem, x: ArrayLike<number>, maxSwaps = 10_000): Uint8Array {
  const N = p.data.mean.length;
  const sel = new Uint8Array(N);
  for (let i = 0; i < N; i++) sel[i] = x[i] ? 1 : 0;
  const utility = () => evaluatePortfolio(p, sel).utility;
  let count = sel.reduce((a, v) => a + v, 0);
  while (count !== p.k) {
    const adding = count < p.k;
    let best = -1;
    let bestU = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < N; i++) {
      if (sel[i] === (adding ? 1 : 0)) continue;
      sel[i] ^= 1;
      const u = utility();
      sel[i] ^= 1;
      if (u > bestU) {
        bestU = u;
        best = i;
      }
    }
    sel[best] ^= 1;
    count += adding ? 1 : -1;
  }
  // Swap search with incremental sums: utility = μ·x/K − λ xᵀΣx/K².
  const { mean, covariance } = p.data;
  const K = p.k;
  const lambda = p.riskAversion;
  const sigmaSel = new Float64Array(N); // (Σx)_i
  for (let i = 0; i < N; i++) if (sel[i]) for (let j = 0; j < N; j++) sigmaSel[j] += covariance[i * N + j];
  let swaps = 0;
  let improved = true;
  while (improved && swaps < maxSwaps) {
    improved = false;
    for (let out = 0; out < N && !improved; out++) {
      if (!sel[out]) continue;
      for (let inn = 0; inn < N; inn++) {
        if (sel[inn]) continue;
        // Δ(xᵀΣx) for x − e_out + e_in.
        const dQuad =
          2 * (sigmaSel[inn] - sigmaSel[out]) +
          covariance[inn * N + inn] +
          covariance[out * N + out] -
          2 * covariance[inn * N + out];
        const dU = (mean[inn] - mean[out]) / K - (lambda * dQuad) / (K * K);
        if (dU > 1e-15 * (1 + Math.abs(mean[inn]))) {
          sel[out] = 0;
          sel[inn] = 1;
          for (let j = 0; j < N; j++) sigmaSel[j] += covariance[inn * N + j] - covariance[out * N + j];
          swaps++;
          improved = true;
          break;
        }
      }
    }
  }
  return sel;
}
