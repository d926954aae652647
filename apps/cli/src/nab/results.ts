import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTimestamp, readSeriesCsv } from "@nqp/contract";
import { type NabFile, type NabWindow, NqpError, parseNabWindows } from "@nqp/core";

export function readNabWindows(path: string): Map<string, NabWindow[]> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new NqpError("nab-windows", `${path}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return parseNabWindows(json, parseTimestamp);
  } catch (err) {
    if (err instanceof NqpError) throw new NqpError(err.code, `${path}: ${err.message}`);
    throw err;
  }
}

/**
 * The results file for a corpus key "category/name.csv": DIR/category/name.csv as `nqp detect` writes it, or
 * DIR/category/DETECTOR_name.csv as NAB's detectors write it.
 */
export function findResultsFile(dir: string, key: string, detector: string | undefined): string | undefined {
  const slash = key.lastIndexOf("/");
  const [category, name] = slash < 0 ? ["", key] : [key.slice(0, slash), key.slice(slash + 1)];
  const candidates = [join(dir, category, name)];
  if (detector) candidates.push(join(dir, category, `${detector}_${name}`));
  return candidates.find((c) => existsSync(c));
}

/** Reads every results file that the windows name; each must have timestamp and anomaly_score columns. */
export function readNabResults(
  dir: string,
  windows: Map<string, NabWindow[]>,
  detector: string | undefined,
): NabFile[] {
  const files: NabFile[] = [];
  const missing: string[] = [];
  for (const [key, list] of windows) {
    const path = findResultsFile(dir, key, detector);
    if (!path) {
      missing.push(key);
      continue;
    }
    const table = readSeriesCsv(readFileSync(path, "utf8"), {
      source: path,
      valueColumn: "anomaly_score",
      timeOrder: "file",
    });
    files.push({ name: key, time: table.time, scores: table.value, windows: list });
  }
  if (missing.length)
    throw new NqpError(
      "nab-missing",
      `${dir}: no results for ${missing.length} of ${windows.size} files, e.g. '${missing[0]}' (expected ` +
        `${join(dir, missing[0])}${detector ? ` or the same name prefixed '${detector}_'` : ""})`,
    );
  return files;
}
