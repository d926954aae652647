/** A column of output: text cells, or numbers (NaN is written as an empty cell, meaning "none"). */
export type CsvColumn = readonly string[] | Float64Array | readonly number[];

export interface CsvNumberFormat {
  /** Significant digits for numbers (default 10: enough for float64 forecasts, short enough to read). */
  precision?: number;
}

/** Writes a header and equally long columns as CSV text (RFC 4180 quoting where a cell needs it). */
export function formatCsv(
  header: readonly string[],
  columns: readonly CsvColumn[],
  format: CsvNumberFormat = {},
): string {
  const n = columns.length ? columns[0].length : 0;
  for (const c of columns)
    if (c.length !== n) throw new Error(`formatCsv: columns differ in length (${c.length} vs ${n})`);
  const precision = format.precision ?? 10;
  const cell = (v: string | number): string => {
    if (typeof v === "number") return Number.isFinite(v) ? formatNumber(v, precision) : "";
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const out: string[] = [header.map(cell).join(",")];
  for (let i = 0; i < n; i++) {
    let line = "";
    for (let c = 0; c < columns.length; c++) line += (c ? "," : "") + cell(columns[c][i]);
    out.push(line);
  }
  return `${out.join("\n")}\n`;
}

function formatNumber(v: number, precision: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(precision)));
}
