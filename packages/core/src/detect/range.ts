/**
 * The cheap check for values far outside the range seen so far (NAB's numenta detector, SPATIAL_TOLERANCE 0.05):
 * a value more than `tolerance` × (max − min) beyond the extremes seen before it is anomalous whatever the
 * sequence model thinks. Causal: the range is only what has been seen.
 */
export interface RangeState {
  seen: number;
  min: number;
  max: number;
}

export function initialRangeState(): RangeState {
  return { seen: 0, min: 0, max: 0 };
}

export function stepRange(tolerance: number, s: RangeState, value: number): boolean {
  let outside = false;
  if (s.max > s.min) {
    const margin = (s.max - s.min) * tolerance;
    outside = value > s.max + margin || value < s.min - margin;
  }
  if (s.seen === 0 || value > s.max) s.max = value;
  if (s.seen === 0 || value < s.min) s.min = value;
  s.seen++;
  return outside;
}
