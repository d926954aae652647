import { readFileSync } from "node:fs";
import { readSeriesCsv } from "@nqp/contract";
import { createDetector } from "@nqp/core";
import { writeTextAtomic } from "../shared/files";

export interface DetectFileOptions {
  seed: number;
  timeOrder: "increasing" | "file";
}

/**
 * Scores one series file causally: each row's anomaly score depends only on the rows up to it. Writes
 * timestamp,value,anomaly_score with the timestamp and value cells echoed exactly as read.
 */
export function detectFile(input: string, output: string, options: DetectFileOptions): { rows: number } {
  const table = readSeriesCsv(readFileSync(input, "utf8"), { source: input, timeOrder: options.timeOrder });
  const detector = createDetector({ seed: options.seed });
  const n = table.value.length;
  const lines = new Array<string>(n + 1);
  lines[0] = "timestamp,value,anomaly_score";
  for (let i = 0; i < n; i++) {
    const score = detector.update(table.value[i], Number.NaN, table.time[i]);
    lines[i + 1] = `${csvCell(table.timestampText[i])},${table.valueText[i]},${formatScore(score)}`;
  }
  writeTextAtomic(output, `${lines.join("\n")}\n`);
  return { rows: n };
}

/** Six decimals are finer than any threshold sweep needs; 0 and 1 stay short. */
function formatScore(s: number): string {
  if (s <= 0) return "0";
  if (s >= 1) return "1";
  return String(Math.round(s * 1e6) / 1e6);
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
