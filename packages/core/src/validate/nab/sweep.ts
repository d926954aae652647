import { NqpError } from "../../errors";
import type { NabFile, NabWindow } from "./types";

/**
 * NAB's scaled sigmoid (nab/sweeper.py): a detection at relative position y scores 2·σ(−5y) − 1, where y = −1 is a
 * window's first row, 0 just past its last row, and positive y measures the distance past the last window in
 * window widths. Beyond three widths a false positive costs the full −1.
 */
export function scaledSigmoid(position: number): number {
  if (position > 3) return -1;
  return 2 / (1 + Math.exp(5 * position)) - 1;
}

/** NAB's probationary period: the first 15 % of a file, at most 15 % of 5000 rows, is never scored. */
export function probationaryLength(rows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

/**
 * A file made ready for scoring at any threshold: per row, the unweighted value a detection there would earn, and
 * which window (if any) the row belongs to.
 */
export interface PreparedNabFile {
  name: string;
  scores: Float64Array;
  /** Inside a window: scaledSigmoid(position) / scaledSigmoid(−1) (1 at the window's first row). Outside: the
   * scaled sigmoid of the distance past the previous window (−1 before any window). */
  value: Float64Array;
  /** Window index for rows inside a window, −1 outside. */
  window: Int32Array;
  /** Rows before this index are probationary and never scored. */
  firstScored: number;
  /** Number of windows in the file, and which of them contain a scored row. */
  windowCount: number;
  windowScored: boolean[];
  /** Row range [first, last] of each window. */
  windowRows: [number, number][];
}

const MAX_TP = scaledSigmoid(-1);

/**
 * Follows NAB's Sweeper.calcSweepScore: a row in a window scores by its position in the window; a row after a window
 * scores by its distance past that window's end, in units of (width − 1) rows.
 */
export function prepareNabFile(file: NabFile, probationPercent = 0.15): PreparedNabFile {
  const n = file.time.length;
  if (file.scores.length !== n)
    throw new NqpError(
      "nab-length",
      `${file.name}: ${file.scores.length} anomaly scores for ${n} rows (a results file needs one score per data row)`,
    );
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Number(file.scores[i]);
    if (!Number.isFinite(s))
      throw new NqpError("nab-score", `${file.name}: row ${i + 1}: anomaly score is not a number`);
    scores[i] = s;
  }
  const windowRows = file.windows.map((window, w) => locateWindow(file, window, w));
  const value = new Float64Array(n);
  const window = new Int32Array(n).fill(-1);
  let w = 0;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < n; i++) {
    if (w < windowRows.length && i >= windowRows[w][0]) {
      const [, right] = windowRows[w];
      const width = right - windowRows[w][0] + 1;
      value[i] = scaledSigmoid(-(right - i + 1) / width) / MAX_TP;
      window[i] = w;
      if (i === right) {
        prevRight = right;
        prevWidth = width;
        w++;
      }
    } else if (prevRight < 0) {
      value[i] = -1;
    } else {
      value[i] = scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
    }
  }
  const firstScored = probationaryLength(n, probationPercent);
  const windowScored = windowRows.map(([, right]) => right >= firstScored);
  return {
    name: file.name,
    scores,
    value,
    window,
    firstScored: Math.ceil(firstScored),
    windowCount: windowRows.length,
    windowScored,
    windowRows,
  };
}

/**
 * A window's first and last rows. NAB enters a window at the row whose timestamp equals the window's start and
 * leaves it at the first row equal to its end (`timestamps.index(end)`); files whose rows fall between label times
 * get the rows inside [start, end]. Rows are taken in file order, so repeated timestamps (8 NAB files) work as in NAB.
 */
function locateWindow(file: NabFile, [start, end]: NabWindow, w: number): [number, number] {
  const n = file.time.length;
  let left = -1;
  for (let i = 0; i < n && left < 0; i++) if (file.time[i] === start) left = i;
  if (left < 0) for (let i = 0; i < n && left < 0; i++) if (file.time[i] >= start) left = i;
  if (left < 0 || file.time[left] > end)
    throw new NqpError("nab-window", `${file.name}: window ${w + 1} has no row of the file inside it`);
  let right = -1;
  for (let i = left; i < n && right < 0; i++) if (file.time[i] === end) right = i;
  if (right < 0) {
    right = left;
    while (right + 1 < n && file.time[right + 1] <= end) right++;
  }
  return [left, right];
}
