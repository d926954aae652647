import { NqpError } from "../../errors";

/** The largest register the CPU engine accepts: 2²⁰ amplitudes × 16 B = 16 MiB per state. */
export const STATE_VECTOR_MAX_QUBITS = 20;

/**
 * An n-qubit state |ψ⟩ = Σ_b ψ_b |b⟩ as separate real and imaginary float64 arrays of length 2ⁿ. Basis index b
 * holds qubit q in bit q; |0⟩ is spin +1 (the Z eigenvalue), so b ↔ s_q = 1 − 2·bit_q(b), as in isingSpectrum.
 */
export interface StateVector {
  readonly qubits: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export function checkQubits(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > STATE_VECTOR_MAX_QUBITS)
    throw new NqpError(
      "too-large",
      `exact quantum evolution handles 1…${STATE_VECTOR_MAX_QUBITS} qubits on the CPU; this problem has ${n}`,
    );
}

/** |+⟩^⊗n, the ground state of the transverse-field driver −Σ X_q. */
export function uniformSuperposition(n: number): StateVector {
  checkQubits(n);
  const size = 2 ** n;
  const amp = 1 / Math.sqrt(size);
  return { qubits: n, re: new Float64Array(size).fill(amp), im: new Float64Array(size) };
}

/** Bytes held by a state vector's amplitudes. */
export function stateBytes(s: StateVector): number {
  return s.re.byteLength + s.im.byteLength;
}

/**
 * Multiplies each amplitude by exp(−i·t·E_b) for a diagonal Hamiltonian: the phase separator of QAOA and the
 * problem half of a Trotter step. `levels` optionally maps each basis state to one of few distinct energies (max-cut
 * and most integer problems have at most a few thousand), so one cos/sin per level replaces one per amplitude.
 */
export function applyDiagonalPhase(
  s: StateVector,
  energies: Float64Array,
  t: number,
  levels?: { index: Uint32Array; values: Float64Array },
): void {
  const { re, im } = s;
  if (levels) {
    const L = levels.values.length;
    const c = new Float64Array(L);
    const sn = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      c[k] = Math.cos(t * levels.values[k]);
      sn[k] = -Math.sin(t * levels.values[k]);
    }
    const idx = levels.index;
    for (let b = 0; b < re.length; b++) {
      const k = idx[b];
      const r = re[b];
      const m = im[b];
      re[b] = r * c[k] - m * sn[k];
      im[b] = r * sn[k] + m * c[k];
    }
    return;
  }
  for (let b = 0; b < re.length; b++) {
    const ph = -t * energies[b];
    const c = Math.cos(ph);
    const sn = Math.sin(ph);
    const r = re[b];
    const m = im[b];
    re[b] = r * c - m * sn;
    im[b] = r * sn + m * c;
  }
}

/**
 * Applies exp(−i·θ·X_q) to every qubit q: the transverse-field mixer. On each pair (b, b ⊕ 2^q):
 * a' = cos θ·a − i sin θ·a_partner. exp(−iθ Σ X_q) factorises exactly into these commuting one-qubit rotations.
 */
export function applyMixer(s: StateVector, theta: number): void {
  const { re, im, qubits } = s;
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  const size = re.length;
  for (let q = 0; q < qubits; q++) {
    const stride = 1 << q;
    for (let block = 0; block < size; block += stride << 1) {
      const end = block + stride;
      for (let b = block; b < end; b++) {
        const p = b + stride;
        const ar = re[b];
        const ai = im[b];
        const br = re[p];
        const bi = im[p];
        // a' = c·a − i·s·b ; b' = c·b − i·s·a  (−i·(x + iy) = y − ix)
        re[b] = c * ar + sn * bi;
        im[b] = c * ai - sn * br;
        re[p] = c * br + sn * ai;
        im[p] = c * bi - sn * ar;
      }
    }
  }
}

/** |ψ_b|² for every basis state. */
export function probabilities(s: StateVector, out = new Float64Array(s.re.length)): Float64Array {
  for (let b = 0; b < out.length; b++) out[b] = s.re[b] * s.re[b] + s.im[b] * s.im[b];
  return out;
}

/** ⟨ψ|H|ψ⟩ for a diagonal H with the given energies. */
export function diagonalExpectation(s: StateVector, energies: Float64Array): number {
  let e = 0;
  for (let b = 0; b < energies.length; b++) e += (s.re[b] * s.re[b] + s.im[b] * s.im[b]) * energies[b];
  return e;
}

/**
 * Groups a spectrum into its distinct values (exact equality), or returns undefined when there are more than
 * `maxLevels` (then per-amplitude phases are as cheap as the table).
 */
export function energyLevels(
  energies: Float64Array,
  maxLevels = 1 << 16,
): { index: Uint32Array; values: Float64Array } | undefined {
  const map = new Map<number, number>();
  const index = new Uint32Array(energies.length);
  const values: number[] = [];
  for (let b = 0; b < energies.length; b++) {
    const e = energies[b];
    let k = map.get(e);
    if (k === undefined) {
      if (values.length >= maxLevels) return undefined;
      k = values.length;
      map.set(e, k);
      values.push(e);
    }
    index[b] = k;
  }
  return { index, values: Float64Array.from(values) };
}
