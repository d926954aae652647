/** One anomaly window: the first and last timestamps it covers (epoch ms, both inclusive). */
export type NabWindow = readonly [start: number, end: number];

/** One scored file: a detector's anomaly scores for every row of a data file, and that file's labelled windows. */
export interface NabFile {
  /** The file's corpus key, e.g. "realKnownCause/nyc_taxi.csv". */
  name: string;
  /** Epoch ms per row, increasing. */
  time: ArrayLike<number>;
  /** The detector's anomaly score per row. */
  scores: ArrayLike<number>;
  /** Anomaly windows, in time order, not overlapping. */
  windows: readonly NabWindow[];
}

/** The outcome of scoring at one threshold: NAB's raw score and its row counts (probationary rows excluded). */
export interface NabCounts {
  score: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Windows with at least one detection, and windows that can be scored (not wholly probationary). */
  windowsDetected: number;
  windows: number;
}
