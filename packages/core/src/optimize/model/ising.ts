import { NqpError } from "../../errors";
import { assertSymmetricFinite, entryAt, forEachEntry, mapEntries, type SquareMatrix } from "./matrix";

/**
 * An Ising model over spins s ∈ {−1, +1}ⁿ with energy
 *
 *   E(s) = offset − ½ Σ_{i≠j} J_ij s_i s_j − Σ_i h_i s_i
 *
 * (J symmetric with a zero diagonal, so ½ Σ_{i≠j} = Σ_{i<j}; the sign convention of Goto et al. 2019, where a
 * positive coupling favours aligned spins). Lower energy is better.
 */
export interface IsingModel {
  readonly kind: "ising";
  readonly n: number;
  readonly J: SquareMatrix;
  readonly h: Float64Array;
  readonly offset: number;
}

/**
 * Validates and normalises an Ising model: J must be square, symmetric and finite; h finite with n entries. A
 * non-zero diagonal J_ii contributes the constant −½ J_ii (s_i² = 1), so it is folded into the offset.
 */
export function createIsing(input: { J: SquareMatrix; h?: ArrayLike<number>; offset?: number }): IsingModel {
  const { J } = input;
  const n = J.n;
  assertSymmetricFinite(J, "J");
  const h = new Float64Array(n);
  if (input.h) {
    if (input.h.length !== n) throw new NqpError("bad-model", `h has ${input.h.length} entries but J is ${n}×${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(input.h[i]))
        throw new NqpError("bad-model", `h[${i}] is ${input.h[i]}; every field must be a finite number`);
      h[i] = input.h[i];
    }
  }
  let offset = input.offset ?? 0;
  if (!Number.isFinite(offset)) throw new NqpError("bad-model", `offset is ${offset}; it must be a finite number`);
  let hasDiagonal = false;
  for (let i = 0; i < n; i++) {
    const d = entryAt(J, i, i);
    if (d !== 0) {
      offset -= 0.5 * d;
      hasDiagonal = true;
    }
  }
  const couplings = hasDiagonal ? mapEntries(J, (i, j, v) => (i === j ? 0 : v)) : J;
  return { kind: "ising", n, J: couplings, h, offset };
}

/** E(s) for one spin configuration (entries ±1). */
export function isingEnergy(model: IsingModel, spins: ArrayLike<number>): number {
  let pair = 0;
  forEachEntry(model.J, (i, j, v) => {
    pair += v * spins[i] * spins[j];
  });
  let field = 0;
  for (let i = 0; i < model.n; i++) field += model.h[i] * spins[i];
  return model.offset - 0.5 * pair - field;
}

/**
 * Local fields f_i = Σ_j J_ij s_j + h_i. Flipping spin i changes the energy by ΔE_i = 2 s_i f_i, which is what
 * every one-flip method (greedy polish, tabu search, Metropolis) evaluates.
 */
export function localFields(
  model: IsingModel,
  spins: ArrayLike<number>,
  out = new Float64Array(model.n),
): Float64Array {
  out.set(model.h);
  forEachEntry(model.J, (i, j, v) => {
    out[i] += v * spins[j];
  });
  return out;
}

/** Root-mean-square off-diagonal coupling ⟨J⟩ = sqrt(Σ_{i≠j} J_ij² / (n(n−1))), the scale in SB's c0 rule. */
export function couplingRms(model: IsingModel): number {
  const n = model.n;
  if (n < 2) return 0;
  let s = 0;
  for (const v of model.J.values) s += v * v;
  return Math.sqrt(s / (n * (n - 1)));
}
