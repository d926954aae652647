/**
 * Population coding with Gaussian receptive fields (Bohte, Kok & La Poutré, "Error-backpropagation in temporally
 * encoded networks of spiking neurons", Neurocomputing 48, 2002): `size` neurons with centres spread evenly over
 * [min, max] (one spacing beyond each end, so edge values are covered too) and a common width σ = spacing·width.
 * Neuron i responds with exp(−(x − cᵢ)² / (2σ²)); that activation is its firing probability or rate.
 *
 * Decoding fits the Gaussian exactly: the log activations of the strongest neuron and its two neighbours lie on a
 * parabola whose vertex is x, so a noise-free population decodes to the value up to rounding.
 */
export interface PopulationEncoderParams {
  min: number;
  max: number;
  /** Number of neurons (≥ 3). */
  size: number;
  /** Receptive-field width in units of the centre spacing (default 1). */
  width?: number;
}

export function populationCenters(params: PopulationEncoderParams): Float64Array {
  const { min, max, size } = params;
  const spacing = (max - min) / (size - 3);
  const centers = new Float64Array(size);
  for (let i = 0; i < size; i++) centers[i] = min + (i - 1) * spacing;
  return centers;
}

function sigmaOf(params: PopulationEncoderParams): number {
  return ((params.max - params.min) / (params.size - 3)) * (params.width ?? 1);
}

/** Writes the activations of the population for `value` into `out` (allocated when omitted). */
export function encodePopulation(
  params: PopulationEncoderParams,
  value: number,
  out: Float64Array = new Float64Array(params.size),
): Float64Array {
  const spacing = (params.max - params.min) / (params.size - 3);
  const inv = 1 / (2 * sigmaOf(params) ** 2);
  for (let i = 0; i < params.size; i++) {
    const d = value - (params.min + (i - 1) * spacing);
    out[i] = Math.exp(-d * d * inv);
  }
  return out;
}

/** The value whose population response best matches `activations` (parabolic fit of the log response). */
export function decodePopulation(params: PopulationEncoderParams, activations: ArrayLike<number>): number {
  const centers = populationCenters(params);
  let best = 0;
  for (let i = 1; i < activations.length; i++) if (activations[i] > activations[best]) best = i;
  const i = Math.min(activations.length - 2, Math.max(1, best));
  const floor = 1e-300;
  const l0 = Math.log(Math.max(activations[i - 1], floor));
  const l1 = Math.log(Math.max(activations[i], floor));
  const l2 = Math.log(Math.max(activations[i + 1], floor));
  const curvature = l0 - 2 * l1 + l2;
  if (!(curvature < 0)) return centers[best];
  const spacing = centers[1] - centers[0];
  return centers[i] + (0.5 * (l0 - l2) * spacing) / curvature;
}
