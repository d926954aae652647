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

/** Qubits whose rotations are applied together inside one cache-resident block (2¹³ amplitudes = 128 KiB). */
const BLOCK_QUBITS = 13;

/**
 * Applies exp(−i·θ·X_q) to every qubit q: the transverse-field mixer. On each pair (b, b ⊕ 2^q):
 * a' = cos θ·a − i sin θ·a_partner. exp(−iθ Σ X_q) factorises exactly into these commuting one-qubit rotations,
 * so their order is free: the low qubits are applied block by block while the block sits in cache, the high ones
 * two at a time, so a 20-qubit mixer reads the state 4 times instead of 20.
 */
export function applyMixer(s: StateVector, theta: number): void {
  const { re, im, qubits } = s;
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  const size = re.length;
  const low = Math.min(qubits, BLOCK_QUBITS);
  const blockSize = 1 << low;
  for (let block = 0; block < size; block += blockSize)
    for (let q = 0; q < low; q++) rotatePairs(re, im, c, sn, 1 << q, block, block + blockSize);
  let q = low;
  for (; q + 1 < qubits; q += 2) rotateTwo(re, im, c, sn, 1 << q, 1 << (q + 1));
  if (q < qubits) rotatePairs(re, im, c, sn, 1 << q, 0, size);
}

function rotatePairs(
  re: Float64Array,
  im: Float64Array,
  c: number,
  sn: number,
  stride: number,
  from: number,
  to: number,
) {
  for (let base = from; base < to; base += stride << 1) {
    const end = base + stride;
    for (let b = base; b < end; b++) {
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

/** Rotations on two qubits (strides s1 < s2) in one pass over the four amplitudes each quadruple shares. */
function rotateTwo(re: Float64Array, im: Float64Array, c: number, sn: number, s1: number, s2: number) {
  const size = re.length;
  for (let hi = 0; hi < size; hi += s2 << 1)
    for (let mid = hi; mid < hi + s2; mid += s1 << 1)
      for (let b = mid; b < mid + s1; b++) {
        const i1 = b + s1;
        const i2 = b + s2;
        const i3 = i1 + s2;
        // First qubit (s1) on the pairs (b, i1) and (i2, i3).
        const r0 = c * re[b] + sn * im[i1];
        const m0 = c * im[b] - sn * re[i1];
        const r1 = c * re[i1] + sn * im[b];
        const m1 = c * im[i1] - sn * re[b];
        const r2 = c * re[i2] + sn * im[i3];
        const m2 = c * im[i2] - sn * re[i3];
        const r3 = c * re[i3] + sn * im[i2];
        const m3 = c * im[i3] - sn * re[i2];
        // Second qubit (s2) on the pairs (b, i2) and (i1, i3).
        re[b] = c * r0 + sn * m2;
        im[b] = c * m0 - sn * r2;
        re[i2] = c * r2 + sn * m0;
        im[i2] = c * m2 - sn * r0;
        re[i1] = c * r1 + sn * m3;
        im[i1] = c * m1 - sn * r3;
        re[i3] = c * r3 + sn * m1;
        im[i3] = c * m3 - sn * r1;
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
