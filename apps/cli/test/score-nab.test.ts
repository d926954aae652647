import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runNqp, sharedDataPath, sharedDataSkipReason, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const nab = sharedDataPath("nab");
const tmp = tempDir();
afterAll(() => tmp.remove());
if (!nab) console.warn(sharedDataSkipReason("nab"));

/** NAB's own per-file score files for Numenta HTM: File → Score, per profile. */
function publishedFileScores(profile: string): Map<string, number> {
  const text = readFileSync(join(nab!, "results/numenta", `numenta_${profile}_scores.csv`), "utf8");
  const rows = text.trim().split("\n").slice(1);
  return new Map(
    rows.filter((r) => !r.startsWith("Totals")).map((r) => [r.split(",")[2], Number(r.split(",")[4])] as const),
  );
}

describe.skipIf(!nab)("nqp score-nab on the published Numenta HTM results", () => {
  it("reproduces 70.10 / 63.12 / 74.32 and every file's score with NAB's thresholds", () => {
    const r = runNqp([
      "score-nab",
      "--results",
      join(nab!, "results/numenta"),
      "--thresholds",
      join(nab!, "config/thresholds.json"),
      "--per-file",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.detector).toBe("numenta");
    expect(out.files).toBe(58);
    expect(out.windowCount).toBe(116);
    expect(out.profiles.standard.score).toBeCloseTo(70.1, 2);
    expect(out.profiles.reward_low_FP_rate.score).toBeCloseTo(63.12, 2);
    expect(out.profiles.reward_low_FN_rate.score).toBeCloseTo(74.32, 2);
    // NAB's Totals row for the standard profile: raw score 46.634, 240 TP rows, 153 FP rows.
    expect(out.profiles.standard).toMatchObject({ tp: 240, fp: 153 });
    for (const profile of ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]) {
      const published = publishedFileScores(profile);
      expect(published.size).toBe(58);
      for (const f of out.profiles[profile].files) expect(f.score).toBeCloseTo(published.get(f.name)!, 6);
    }
  });

  it("sweeps one threshold per profile over the corpus, never below the published thresholds' scores", () => {
    const r = runNqp(["score-nab", "--results", join(nab!, "results/numenta"), "--sweep", "--json"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.mode).toBe("sweep");
    expect(out.profiles.standard.score).toBeGreaterThanOrEqual(70.1 - 1e-9);
    expect(out.profiles.reward_low_FP_rate.score).toBeGreaterThanOrEqual(63.12 - 1e-9);
    expect(out.profiles.reward_low_FN_rate.score).toBeGreaterThanOrEqual(74.32 - 1e-9);
  });

  it("explains what to fix when results are missing or flags clash", () => {
    const missing = runNqp(["score-nab", "--results", join(nab!, "data")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/anomaly_score/);
    const clash = runNqp(["score-nab", "--results", join(nab!, "results/numenta"), "--sweep", "--threshold", "0.5"]);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/one of --thresholds, --threshold and --sweep/);
    const unknown = runNqp([
      "score-nab",
      "--results",
      join(nab!, "results/numenta"),
      "--thresholds",
      join(nab!, "config/thresholds.json"),
      "--detector",
      "nobody",
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no detector 'nobody'/);
    expect(missing.stderr + clash.stderr + unknown.stderr).not.toMatch(/^\s+at /m);
  });
});

describe.skipIf(!nab)("nqp detect then nqp score-nab on the whole NAB corpus", () => {
  it("mirrors all 58 streams and meets issue 2's bars: standard ≥ 75, reward_low_FP ≥ 67, reward_low_FN ≥ 80", () => {
    const out = join(tmp.path, "nqp");
    const d = runNqp(["detect", "--input", join(nab!, "data"), "--output", out, "--time-order", "file", "--json"]);
    expect(d.stderr).toBe("");
    expect(JSON.parse(d.stdout)).toMatchObject({ files: 58, rows: 365558 });
    const r = runNqp(["score-nab", "--results", out, "--json"]);
    expect(r.status).toBe(0);
    const profiles = JSON.parse(r.stdout).profiles;
    expect(profiles.standard.score).toBeGreaterThanOrEqual(75);
    expect(profiles.reward_low_FP_rate.score).toBeGreaterThanOrEqual(67);
    expect(profiles.reward_low_FN_rate.score).toBeGreaterThanOrEqual(80);
  });
});
