import { NqpError } from "@nqp/core";
import { parse } from "csv-parse/sync";
import { parseTimestamp } from "./timestamp";

/** A time series read from CSV: the rows in file order, with the original text kept for faithful output. */
export interface SeriesTable {
  header: string[];
  /** Epoch milliseconds per row. */
  time: Float64Array;
  value: Float64Array;
  /** The timestamp cells exactly as written, so output files echo the input. */
  timestampText: string[];
  valueText: string[];
  /** Extra numeric columns that the caller asked for (e.g. exogenous inputs). */
  extra: Record<string, Float64Array>;
}

export interface ReadSeriesOptions {
  /** Name used in messages ("in.csv: line 3: …"). */
  source?: string;
  timestampColumn?: string;
  valueColumn?: string;
  /** Further columns that must exist and be numeric. */
  extraColumns?: string[];
  /**
   * "increasing" (default): duplicate or out-of-order timestamps are errors. "file": rows are taken in file order
   * whatever their timestamps say (NAB's corpus has 8 files with repeated or backward timestamps).
   */
  timeOrder?: "increasing" | "file";
}

/**
 * Parses a series CSV (header row; a timestamp and a value column; other columns ignored) and checks it the way
 * users need: every problem names its line (line 1 is the header).
 */
export function readSeriesCsv(text: string, options: ReadSeriesOptions = {}): SeriesTable {
  const where = options.source ? `${options.source}: ` : "";
  const fail = (code: string, message: string, line?: number): never => {
    throw new NqpError(code, `${where}${line !== undefined ? `line ${line}: ` : ""}${message}`, { line });
  };
  const rows = splitCsv(text);
  while (rows.length && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === "") rows.pop();
  if (rows.length === 0) fail("empty-file", "the file is empty (expected a header and at least one row)");
  const header = rows[0].map((h) => h.trim().replace(/^\uFEFF/, ""));
  const tsName = options.timestampColumn ?? "timestamp";
  const valueName = options.valueColumn ?? "value";
  const column = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0)
      fail("missing-column", `missing column '${name}' (the header has: ${header.join(", ") || "nothing"})`, 1);
    return i;
  };
  const tsCol = column(tsName);
  const valueCol = column(valueName);
  const extraCols = (options.extraColumns ?? []).map((name) => [name, column(name)] as const);
  const n = rows.length - 1;
  if (n === 0) fail("empty-file", "the file has a header but no rows");

  const time = new Float64Array(n);
  const value = new Float64Array(n);
  const timestampText = new Array<string>(n);
  const valueText = new Array<string>(n);
  const extra: Record<string, Float64Array> = {};
  for (const [name] of extraCols) extra[name] = new Float64Array(n);

  for (let r = 0; r < n; r++) {
    const row = rows[r + 1];
    const line = r + 2;
    if (row.length === 1 && row[0] === "") fail("blank-row", "blank row inside the data", line);
    if (row.length <= Math.max(tsCol, valueCol))
      fail("short-row", `has ${row.length} cells, the header has ${header.length}`, line);
    const tsText = row[tsCol].trim();
    const t = parseTimestamp(tsText);
    if (Number.isNaN(t))
      fail("bad-timestamp", `timestamp '${tsText}' is not epoch seconds, epoch milliseconds or ISO 8601`, line);
    if (r > 0 && options.timeOrder !== "file") {
      if (t === time[r - 1])
        fail("duplicate-timestamp", `duplicate timestamp '${tsText}' (same as line ${line - 1})`, line);
      if (t < time[r - 1])
        fail(
          "unsorted-timestamp",
          `timestamp '${tsText}' is earlier than line ${line - 1}'s '${timestampText[r - 1]}' (rows must be sorted by time)`,
          line,
        );
    }
    const vText = row[valueCol].trim();
    const v = parseNumber(vText);
    if (Number.isNaN(v)) fail("bad-value", `value '${vText}' is not a number`, line);
    time[r] = t;
    value[r] = v;
    timestampText[r] = tsText;
    valueText[r] = vText;
    for (const [name, col] of extraCols) {
      const cell = (row[col] ?? "").trim();
      const x = parseNumber(cell);
      if (Number.isNaN(x)) fail("bad-value", `${name} '${cell}' is not a number`, line);
      extra[name][r] = x;
    }
  }
  return { header, time, value, timestampText, valueText, extra };
}

/** A finite number, or NaN for anything else (empty cells, 'abc', 'NaN', 'Infinity'). */
function parseNumber(s: string): number {
  if (s === "") return Number.NaN;
  const x = Number(s);
  return Number.isFinite(x) ? x : Number.NaN;
}

/**
 * Splits CSV text into rows of cells. Quote-free files (all sensor exports we have seen) take a plain split, which
 * is six times faster than the general parser on the NAB corpus; anything with a quote goes through csv-parse.
 */
function splitCsv(text: string): string[][] {
  if (!text.includes('"')) {
    const lines = text.split(/\r?\n/);
    return lines.map((l) => l.split(","));
  }
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new NqpError("bad-csv", `${e.lines !== undefined ? `line ${e.lines}: ` : ""}${e.message}`);
  }
}
