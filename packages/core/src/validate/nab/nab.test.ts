import { describe, expect, it } from "vitest";
import { createRng } from "../../random";
import { nabReferenceScores, normalizeNabScore, scoreNabCorpus } from "./corpus";
import { NAB_PROFILES, nabProfile } from "./profiles";
import { optimizeNabThreshold, scoreNabFile, sweepNabThresholds } from "./score";
import { prepareNabFile, probationaryLength, scaledSigmoid } from "./sweep";
import type { NabFile } from "./types";

const standard = nabProfile("standard")!;
const lowFn = nabProfile("reward_low_FN_rate")!;

/** 100 rows one minute apart; one window over rows 40..49 (probation: 15 rows). */
function file(scores: number[], windows: [number, number][] = [[40, 49]]): NabFile {
  return {
    name: "test/f.csv",
    time: Array.from({ length: scores.length }, (_, i) => i * 60_000),
    scores,
    windows: windows.map(([a, b]) => [a * 60_000, b * 60_000] as const),
  };
}

function scoresAt(rows: number[], n = 100): number[] {
  const s = new Array(n).fill(0);
  for (const r of rows) s[r] = 1;
  return s;
}

describe("NAB scaled sigmoid and probation", () => {
  it("matches NAB's formula at known points (values computed independently)", () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.9866142981514305, 12);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.8482836399575131, 12);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(2 / 9)).toBeCloseTo(-0.5046723977218568, 12);
    expect(scaledSigmoid(3.01)).toBe(-1);
  });

  it("takes 15 % of a file, at most 750 rows", () => {
    expect(probationaryLength(4032)).toBe(604);
    expect(probationaryLength(22695)).toBe(750);
  });
});

describe("scoreNabFile", () => {
  it("earns tpWeight for a detection at a window's first row", () => {
    const c = scoreNabFile(prepareNabFile(file(scoresAt([40]))), standard, 0.5);
    expect(c.score).toBeCloseTo(1, 12);
    expect(c).toMatchObject({ tp: 1, fp: 0, fn: 9, windowsDetected: 1, windows: 1 });
  });

  it("pays less for a late detection and keeps only the best one per window", () => {
    // Row 45 of a 10-row window: position −5/10 → scaledSigmoid(−0.5) / scaledSigmoid(−1).
    const late = scoreNabFile(prepareNabFile(file(scoresAt([45]))), standard, 0.5);
    expect(late.score).toBeCloseTo(0.8482836399575131 / 0.9866142981514305, 12);
    const both = scoreNabFile(prepareNabFile(file(scoresAt([45, 41]))), standard, 0.5);
    expect(both.score).toBeCloseTo(scaledSigmoid(-0.9) / scaledSigmoid(-1), 12);
  });

  it("charges a missed window fnWeight and a false positive by its distance after the window", () => {
    const missed = scoreNabFile(prepareNabFile(file(scoresAt([]))), lowFn, 0.5);
    expect(missed.score).toBe(-2);
    // Row 51 is 2 rows past the window's last row (49): distance 2 / (10 − 1) widths.
    const fp = scoreNabFile(prepareNabFile(file(scoresAt([40, 51]))), standard, 0.5);
    expect(fp.score).toBeCloseTo(1 + 0.11 * -0.5046723977218568, 12);
    // Before any window a false positive costs the full fpWeight.
    const early = scoreNabFile(prepareNabFile(file(scoresAt([40, 20]))), standard, 0.5);
    expect(early.score).toBeCloseTo(1 - 0.11, 12);
  });

  it("ignores detections in the probationary period", () => {
    const c = scoreNabFile(prepareNabFile(file(scoresAt([3, 40]))), standard, 0.5);
    expect(c.score).toBeCloseTo(1, 12);
    expect(c.fp).toBe(0);
  });
});

describe("sweepNabThresholds", () => {
  it("agrees with scoring at each threshold it reports", () => {
    const rng = createRng(7);
    const files = [0, 1, 2].map((k) =>
      prepareNabFile({
        ...file(
          Array.from({ length: 100 }, () => Math.round(rng.next() * 20) / 20),
          [
            [30 + k, 39 + k],
            [70, 79],
          ],
        ),
        name: `f${k}.csv`,
      }),
    );
    for (const profile of NAB_PROFILES) {
      const rows = sweepNabThresholds(files, profile);
      expect(rows[0].threshold).toBe(1.1);
      for (const r of rows) {
        const total = files.reduce((s, f) => s + scoreNabFile(f, profile, r.threshold).score, 0);
        expect(r.counts.score).toBeCloseTo(total, 9);
      }
      const best = optimizeNabThreshold(files, profile);
      expect(Math.max(...rows.map((r) => r.counts.score))).toBe(best.counts.score);
    }
  });
});

describe("normalisation", () => {
  it("gives 0 to the null detector and 100 to one that catches every window at its first row", () => {
    const windows: [number, number][] = [
      [40, 49],
      [80, 84],
    ];
    const prepared = [prepareNabFile(file(scoresAt([40, 80]), windows))];
    for (const profile of NAB_PROFILES) {
      const { nullScore, perfectScore } = nabReferenceScores(prepared, profile);
      expect(nullScore).toBe(-2 * profile.fnWeight);
      expect(perfectScore).toBe(2);
      expect(scoreNabCorpus(prepared, profile, 0.5).normalized).toBeCloseTo(100, 9);
      expect(scoreNabCorpus([prepareNabFile(file(scoresAt([]), windows))], profile, 0.5).normalized).toBe(0);
    }
    expect(normalizeNabScore(46.634450197137596, -116, 116)).toBeCloseTo(70.1, 2);
  });
});
