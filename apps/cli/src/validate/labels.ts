import { readFileSync } from "node:fs";
import { resolve, sep } from "node:path";
import { parseTimestamp } from "@nqp/contract";
import { type NabWindow, NqpError, parseNabWindows } from "@nqp/core";

/**
 * Reads the anomaly windows for one input file from `--labels`: either NAB's combined_windows.json (an object of
 * "category/file.csv" → [[start, end], …]; the entry whose key the input path ends with is used) or a plain list of
 * [start, end] timestamp pairs for this series.
 */
export function readLabels(path: string, input: string): { windows: NabWindow[]; key: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT")
      throw new NqpError("missing-labels", `--labels: '${path}' does not exist`);
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new NqpError("bad-labels", `${path}: not valid JSON (${(err as Error).message})`);
  }
  const parse = (obj: unknown) => {
    try {
      return parseNabWindows(obj, parseTimestamp);
    } catch (err) {
      if (err instanceof NqpError) throw new NqpError("bad-labels", `${path}: ${err.message}`);
      throw err;
    }
  };
  if (Array.isArray(json)) return { windows: parse({ [input]: json }).get(input) ?? [], key: null };
  const all = parse(json);
  const full = resolve(input).split(sep).join("/");
  const matches = [...all.keys()].filter((k) => full.endsWith(`/${k}`) || full === k);
  if (matches.length === 0) {
    const base = full.slice(full.lastIndexOf("/") + 1);
    const byName = [...all.keys()].filter((k) => k.slice(k.lastIndexOf("/") + 1) === base);
    if (byName.length === 1) matches.push(byName[0]);
  }
  if (matches.length === 0)
    throw new NqpError(
      "bad-labels",
      `${path}: no entry for '${input}' (its keys look like '${[...all.keys()][0] ?? "none"}'; ` +
        "give a file whose key the input path ends with, or a plain list of [start, end] pairs)",
    );
  // The longest key is the most specific match ("a/b.csv" over "b.csv").
  const key = matches.sort((a, b) => b.length - a.length)[0];
  return { windows: all.get(key) ?? [], key };
}
