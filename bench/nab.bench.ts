// `pnpm bench nab [--runs N]`: runs `nqp detect` over all 58 NAB streams (CSV in and out, wall clock of the whole
// command including Node's start), scores the output with `nqp score-nab` (NAB's corpus sweep, and the detector's
// own fixed threshold), and scores Numenta HTM's published results with the same scorer in the same run as the
// baseline. Prints one JSON document.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { nqpBundle, sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";
// @ts-expect-error: a plain .mjs build script without type declarations
import { bundle, bundleIsStale } from "../scripts/bundle.mjs";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5);
const nab = sharedDataPath("nab");
if (!nab) {
  process.stdout.write(`${JSON.stringify({ skipped: sharedDataSkipReason("nab") })}\n`);
  process.exit(0);
}
if (bundleIsStale()) await bundle();

/**
 * Runs the bundled nqp under bash's `time`, so besides the wall clock we get the CPU seconds (user + sys) the command
 * used: other engineers' jobs share these two cores, and CPU time is far less disturbed by them than wall time.
 */
function nqp(argv: string[]): { stdout: string; seconds: number; cpuSeconds: number } {
  const started = performance.now();
  const r = spawnSync("bash", ["-c", 'TIMEFORMAT="%U %S"; time "$@"', "bash", process.execPath, nqpBundle, ...argv], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`nqp ${argv.join(" ")} failed (${r.status}): ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  return { stdout: r.stdout, seconds, cpuSeconds: user + sys };
}

const out = mkdtempSync(join(tmpdir(), "nqp-nab-"));
try {
  const walls: number[] = [];
  const cpu: number[] = [];
  let summary: Record<string, unknown> = {};
  for (let i = 0; i < runs; i++) {
    rmSync(out, { recursive: true, force: true });
    const r = nqp(["detect", "--input", join(nab, "data"), "--output", out, "--time-order", "file", "--json"]);
    walls.push(r.seconds);
    cpu.push(r.cpuSeconds);
    summary = JSON.parse(r.stdout);
  }
  const sorted = [...walls].sort((a, b) => a - b);
  const scores = (argv: string[]) => {
    const profiles = JSON.parse(nqp(["score-nab", ...argv, "--json"]).stdout).profiles;
    return Object.fromEntries(
      Object.entries(
        profiles as Record<string, { score: number; threshold: number; windowsDetected: number; fp: number }>,
      ).map(([name, p]) => [
        name,
        { score: p.score, threshold: p.threshold, windowsDetected: p.windowsDetected, fpRows: p.fp },
      ]),
    );
  };
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    detect: {
      command: "nqp detect --input ../shared/data/nab/data --output DIR --time-order file",
      files: summary.files,
      rows: summary.rows,
      workers: summary.workers,
      runs,
      wallSeconds: walls.map((w) => Math.round(w * 1000) / 1000),
      medianSeconds: Math.round(sorted[Math.floor((runs - 1) / 2)] * 1000) / 1000,
      bestSeconds: Math.round(sorted[0] * 1000) / 1000,
      cpuSeconds: cpu.map((c) => Math.round(c * 1000) / 1000),
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    },
    nqp: {
      sweep: scores(["--results", out, "--sweep"]),
      fixedThreshold: scores(["--results", out, "--threshold", String(summary.threshold)]),
    },
    baseline: {
      numentaHtmPublishedThresholds: scores([
        "--results",
        join(nab, "results/numenta"),
        "--thresholds",
        join(nab, "config/thresholds.json"),
      ]),
      numentaHtmSweep: scores(["--results", join(nab, "results/numenta"), "--sweep"]),
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
