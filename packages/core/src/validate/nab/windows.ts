import { NqpError } from "../../errors";
import type { NabWindow } from "./types";

/**
 * Reads NAB's combined_windows.json: `{ "realKnownCause/nyc_taxi.csv": [["2014-10-30 15:30:00.000000", "…"], …] }`.
 * `parseTime` turns a timestamp string into epoch ms (NaN when it is not one); windows come back sorted.
 */
export function parseNabWindows(json: unknown, parseTime: (text: string) => number): Map<string, NabWindow[]> {
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new NqpError("nab-windows", "the windows file must be a JSON object of file name → list of [start, end]");
  const out = new Map<string, NabWindow[]>();
  for (const [name, list] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new NqpError("nab-windows", `'${name}': expected a list of [start, end] pairs`);
    const windows = list.map((pair, k): NabWindow => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string")
        throw new NqpError("nab-windows", `'${name}': window ${k + 1} is not a pair of timestamp strings`);
      const start = parseTime(pair[0]);
      const end = parseTime(pair[1]);
      if (Number.isNaN(start) || Number.isNaN(end) || end < start)
        throw new NqpError(
          "nab-windows",
          `'${name}': window ${k + 1} ('${pair[0]}', '${pair[1]}') is not a time range`,
        );
      return [start, end];
    });
    windows.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < windows.length; k++)
      if (windows[k][0] <= windows[k - 1][1])
        throw new NqpError("nab-windows", `'${name}': windows ${k} and ${k + 1} overlap`);
    out.set(name, windows);
  }
  return out;
}
