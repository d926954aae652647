import type { IsingModel } from "../model/ising";
import { type CsrCouplings, toCsr } from "../model/matrix";

/**
 * The one-flip view of an Ising model that local search works on: couplings as CSR rows (a node's neighbours) and
 * the fields. Built once per solve and shared by the greedy polish, tabu search and annealing.
 */
export interface FlipGraph {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIndex: Int32Array;
  readonly weight: Float64Array;
  readonly h: Float64Array;
  readonly offset: number;
}

export function flipGraph(model: IsingModel): FlipGraph {
  const J: CsrCouplings = toCsr(model.J);
  return { n: model.n, rowPtr: J.rowPtr, colIndex: J.colIndex, weight: J.values, h: model.h, offset: model.offset };
}

/**
 * ΔE_i = 2 s_i f_i for every spin, f_i = Σ_j J_ij s_j + h_i: the energy change of flipping spin i alone. After
 * flipping spin i (new value s_i'), each neighbour j changes by ΔE_j += 4 J_ij s_i' s_j and ΔE_i changes sign.
 */
export function flipDeltas(g: FlipGraph, s: Int8Array, out = new Float64Array(g.n)): Float64Array {
  const { n, rowPtr, colIndex, weight, h } = g;
  for (let i = 0; i < n; i++) {
    let f = h[i];
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) f += weight[p] * s[colIndex[p]];
    out[i] = 2 * s[i] * f;
  }
  return out;
}

/** E(s) = offset − ½ Σ J_ij s_i s_j − Σ h_i s_i on the flip graph. */
export function flipEnergy(g: FlipGraph, s: ArrayLike<number>): number {
  const { n, rowPtr, colIndex, weight, h } = g;
  let pair = 0;
  let field = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) f += weight[p] * s[colIndex[p]];
    pair += s[i] * f;
    field += h[i] * s[i];
  }
  return g.offset - 0.5 * pair - field;
}

/** Flips spin i and updates the deltas of i and its neighbours; returns the energy change. */
export function applyFlip(g: FlipGraph, s: Int8Array, delta: Float64Array, i: number): number {
  const d = delta[i];
  const si = -s[i];
  s[i] = si;
  delta[i] = -d;
  const { rowPtr, colIndex, weight } = g;
  const k = 4 * si;
  for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
    const j = colIndex[p];
    delta[j] += k * weight[p] * s[j];
  }
  return d;
}
