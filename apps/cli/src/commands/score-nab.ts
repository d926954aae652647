import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import {
  NAB_PROFILES,
  type NabProfile,
  type NabProfileResult,
  NqpError,
  nabProfile,
  prepareNabFile,
  scoreNabCorpus,
} from "@nqp/core";
import type { Command } from "commander";
import { defaultNabRoot } from "../nab/locate";
import { readNabResults, readNabWindows } from "../nab/results";
import { action, type CommandModule } from "../shared/command";
import { real } from "../shared/options";
import { printSummary } from "../shared/output";

interface ScoreNabOptions {
  results: string;
  nab?: string;
  windows?: string;
  detector?: string;
  thresholds?: string;
  threshold?: number;
  sweep?: boolean;
  profile?: string[];
  probation: number;
  perFile?: boolean;
  json?: boolean;
}

export const registerScoreNab: CommandModule = (program: Command) => {
  program
    .command("score-nab")
    .description(
      "score anomaly results on the Numenta Anomaly Benchmark (windows, scaled sigmoid, the three NAB profiles, " +
        "normalised against the null and perfect detectors)",
    )
    .requiredOption("--results <dir>", "results in NAB layout: DIR/<category>/<file>.csv with an anomaly_score column")
    .option("--nab <dir>", "NAB data root holding labels/combined_windows.json (default: ../shared/data/nab)")
    .option("--windows <file>", "anomaly windows JSON (default: <nab>/labels/combined_windows.json)")
    .option(
      "--detector <name>",
      "detector name: result files may be named <name>_<file>.csv, and --thresholds is looked up under it " +
        "(default: the name of the results directory)",
    )
    .option("--thresholds <file>", "NAB thresholds JSON ({detector: {profile: {threshold}}}): score at those")
    .option("--threshold <t>", "score every profile at this one threshold", real())
    .option("--sweep", "find each profile's best threshold over the whole corpus, as NAB's optimizer does (default)")
    .option("--profile <name...>", `profiles to score (default: ${NAB_PROFILES.map((p) => p.name).join(" ")})`)
    .option("--probation <fraction>", "probationary fraction of each file, never scored", real(0, 1), 0.15)
    .option("--per-file", "also report every file's score and counts")
    .option("--json", "print a JSON summary")
    .action(action("score-nab", (o: ScoreNabOptions) => run(o)));
};

function run(o: ScoreNabOptions): void {
  const modes = [o.thresholds !== undefined, o.threshold !== undefined, o.sweep === true].filter(Boolean).length;
  if (modes > 1) throw new NqpError("bad-option", "give one of --thresholds, --threshold and --sweep");
  if (!existsSync(o.results)) throw new NqpError("missing-results", `--results: '${o.results}' does not exist`);
  const windowsPath = o.windows ?? windowsFromNab(o.nab);
  const detector = o.detector ?? basename(resolve(o.results));
  const profiles: NabProfile[] = (o.profile ?? NAB_PROFILES.map((p) => p.name)).map((name) => {
    const p = nabProfile(name);
    if (!p)
      throw new NqpError(
        "bad-profile",
        `--profile: unknown profile '${name}' (expected ${NAB_PROFILES.map((x) => x.name).join(", ")})`,
      );
    return p;
  });
  const thresholdFor = thresholdSource(o, detector);

  const windows = readNabWindows(windowsPath);
  const files = readNabResults(o.results, windows, detector).map((f) => prepareNabFile(f, o.probation));
  const results = profiles.map((p) => scoreNabCorpus(files, p, thresholdFor(p)));

  const summary = {
    results: o.results,
    windows: windowsPath,
    detector,
    mode: o.thresholds ? "thresholds" : o.threshold !== undefined ? "threshold" : "sweep",
    files: files.length,
    windowCount: files.reduce((n, f) => n + f.windowCount, 0),
    profiles: Object.fromEntries(results.map((r) => [r.profile, profileSummary(r, o.perFile === true)])),
  };
  printSummary(o.json, summary, humanTable(results, summary.mode, o.perFile === true));
}

function windowsFromNab(nab: string | undefined): string {
  const root = nab ?? defaultNabRoot();
  if (!root)
    throw new NqpError(
      "missing-nab",
      "no NAB labels found: pass --nab DIR (a NAB checkout with labels/combined_windows.json) or --windows FILE",
    );
  const path = join(root, "labels", "combined_windows.json");
  if (!existsSync(path)) throw new NqpError("missing-nab", `--nab: '${path}' does not exist`);
  return path;
}

function thresholdSource(o: ScoreNabOptions, detector: string): (p: NabProfile) => number | "sweep" {
  if (o.threshold !== undefined) {
    const t = o.threshold;
    return () => t;
  }
  if (!o.thresholds) return () => "sweep";
  let json: Record<string, Record<string, { threshold?: unknown }>>;
  try {
    json = JSON.parse(readFileSync(o.thresholds, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new NqpError("bad-thresholds", `${o.thresholds}: not valid JSON`);
  }
  const entry = json[detector];
  if (!entry || typeof entry !== "object")
    throw new NqpError(
      "bad-thresholds",
      `${o.thresholds}: no detector '${detector}' (it has: ${Object.keys(json).join(", ")}); pass --detector NAME`,
    );
  return (p) => {
    const t = entry[p.name]?.threshold;
    if (typeof t !== "number")
      throw new NqpError("bad-thresholds", `${o.thresholds}: no numeric threshold for '${detector}' / '${p.name}'`);
    return t;
  };
}

function profileSummary(r: NabProfileResult, perFile: boolean) {
  const { score: _raw, ...counts } = r.totals;
  return {
    score: round(r.normalized, 4),
    threshold: r.threshold,
    raw: round(r.raw, 6),
    null: r.nullScore,
    perfect: r.perfectScore,
    ...counts,
    ...(perFile ? { files: r.files.map((f) => ({ name: f.name, ...f.counts, score: round(f.counts.score, 6) })) } : {}),
  };
}

function humanTable(results: NabProfileResult[], mode: string, perFile: boolean): string {
  const lines = [`NAB scores (${mode})`, "profile              score   threshold   raw        windows    TP      FP"];
  for (const r of results)
    lines.push(
      [
        r.profile.padEnd(20),
        r.normalized.toFixed(2).padStart(6),
        String(round(r.threshold, 6)).padStart(11),
        r.raw.toFixed(3).padStart(9),
        `${r.totals.windowsDetected}/${r.totals.windows}`.padStart(10),
        String(r.totals.tp).padStart(7),
        String(r.totals.fp).padStart(7),
      ].join(" "),
    );
  if (perFile)
    for (const r of results) {
      lines.push("", `${r.profile}: file, raw score, windows detected, FP`);
      for (const f of r.files)
        lines.push(
          `  ${f.name}  ${f.counts.score.toFixed(3)}  ${f.counts.windowsDetected}/${f.counts.windows}  ${f.counts.fp}`,
        );
    }
  return lines.join("\n");
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
