/**
 * A streaming anomaly detector: fed one sample at a time, causally, it returns a score in [0, 1]. One threshold
 * (`threshold`) works across all streams; no detector is tuned per stream.
 */
export interface AnomalyDetector {
  /**
   * Scores one sample. `forecast` is the prediction made for this sample before it arrived (NaN when there was
   * none yet); `time` is its timestamp in epoch ms, when known (detectors that use the time of day need it).
   * Returns the anomaly score in [0, 1].
   */
  update(value: number, forecast: number, time?: number): number;
  /** The score above which a sample is reported as an anomaly. */
  readonly threshold: number;
  /** JSON-serialisable state; the factory resumes from it exactly. */
  snapshot(): DetectorSnapshot;
}

export interface DetectorSnapshot {
  kind: string;
  version: number;
  [key: string]: unknown;
}
