import { createLikelihoodDetector } from "./likelihood";
import type { AnomalyDetector } from "./types";

export interface DetectorOptions {
  seed?: number;
}

/** The detector `nqp detect` and the edge agent use by default: one setting for every stream. */
export function createDetector(_options: DetectorOptions = {}): AnomalyDetector {
  const inner = createLikelihoodDetector();
  let previous = Number.NaN;
  return {
    threshold: inner.threshold,
    update(value, forecast) {
      const s = inner.update(value, Number.isNaN(forecast) ? previous : forecast);
      previous = value;
      return s;
    },
    snapshot: () => inner.snapshot(),
  };
}
