import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** A small reservoir keeps these contract tests fast; the default settings are measured by bench/forecast. */
const fast = ["--units", "40"];

function writeSeries(name: string, rows: number, f: (i: number) => number, extra?: (i: number) => number): string {
  const path = join(tmp.path, name);
  const lines = [extra ? "timestamp,value,input" : "timestamp,value"];
  for (let i = 0; i < rows; i++) lines.push(`${1_700_000_000 + 60 * i},${f(i)}${extra ? `,${extra(i)}` : ""}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

function readRows(path: string): string[][] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split(","));
}

describe("nqp forecast", () => {
  const series = writeSeries("sine.csv", 1200, (i) => Number((Math.sin(i / 15) + 0.3 * Math.sin(i / 3.7)).toFixed(6)));

  it("writes one row per input row with the contract's columns, no forecast before the horizon, and a JSON summary", () => {
    const out = join(tmp.path, "f.csv");
    const r = runNqp([
      "forecast",
      "--input",
      series,
      "--output",
      out,
      "--horizon",
      "5",
      "--coverage",
      "0.8",
      "--json",
      ...fast,
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ rows: 1200, trainRows: 840, horizon: 5, coverage: 0.8 });
    expect(summary.model).toHaveProperty("spectralRadius");
    expect(summary.test.nrmse).toBeLessThan(0.05);
    const rows = readRows(out);
    expect(rows[0]).toEqual(["timestamp", "value", "forecast", "lower", "upper"]);
    expect(rows).toHaveLength(1201);
    // Timestamps and values are echoed exactly as written.
    const input = readRows(series);
    for (let i = 1; i <= 1200; i++) expect(rows[i].slice(0, 2)).toEqual(input[i]);
    for (let i = 1; i <= 5; i++) expect(rows[i][2]).toBe("");
    for (let i = 841; i <= 1200; i++) {
      const [, , f, lo, hi] = rows[i].map(Number);
      expect(lo).toBeLessThanOrEqual(f);
      expect(f).toBeLessThanOrEqual(hi);
    }
  });

  it("is causal: changing the last rows leaves every earlier forecast unchanged, and is reproducible", () => {
    const changed = writeSeries("changed.csv", 1200, (i) =>
      Number((Math.sin(i / 15) + 0.3 * Math.sin(i / 3.7) + (i >= 1100 ? 3 : 0)).toFixed(6)),
    );
    const a = join(tmp.path, "a.csv");
    const b = join(tmp.path, "b.csv");
    const c = join(tmp.path, "c.csv");
    expect(runNqp(["forecast", "--input", series, "--output", a, "--horizon", "2", ...fast]).status).toBe(0);
    expect(runNqp(["forecast", "--input", changed, "--output", b, "--horizon", "2", ...fast]).status).toBe(0);
    expect(runNqp(["forecast", "--input", series, "--output", c, "--horizon", "2", ...fast]).status).toBe(0);
    expect(readFileSync(c, "utf8")).toBe(readFileSync(a, "utf8"));
    const ra = readRows(a);
    const rb = readRows(b);
    // Row 1100 (file line 1101) is the first changed row; forecasts up to row 1101 use rows ≤ 1099.
    for (let i = 1; i <= 1102; i++) expect(rb[i].slice(2)).toEqual(ra[i].slice(2));
    expect(rb[1103][2]).not.toBe(ra[1103][2]);
  });

  it("uses exogenous columns with --exog", () => {
    let state = 7;
    const noise = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    const drive = Array.from({ length: 1500 }, noise);
    const path = writeSeries(
      "exog.csv",
      1500,
      (i) => (i >= 2 ? Number((drive[i - 1] * 2 + drive[i - 2]).toFixed(8)) : 0),
      (i) => Number(drive[i].toFixed(8)),
    );
    const out = join(tmp.path, "e.csv");
    const withExog = runNqp(["forecast", "--input", path, "--output", out, "--exog", "input", "--json", ...fast]);
    expect(withExog.status).toBe(0);
    expect(JSON.parse(withExog.stdout).test.nrmse).toBeLessThan(0.05);
    const without = runNqp(["forecast", "--input", path, "--output", out, "--json", ...fast]);
    expect(JSON.parse(without.stdout).test.nrmse).toBeGreaterThan(0.5);
  });

  const bad: Array<[string, string, string[], RegExp]> = [
    ["a missing value column", "timestamp,reading\n1,2\n", [], /missing column 'value'/],
    ["a missing --exog column", "timestamp,value\n1,2\n", ["--exog", "input"], /missing column 'input'/],
    ["a non-numeric value", "timestamp,value\n1,1.0\n2,abc\n3,2.0\n", [], /line 3: value 'abc' is not a number/],
    [
      "a non-numeric exogenous value",
      "timestamp,value,input\n1,1,0\n2,2,x\n",
      ["--exog", "input"],
      /line 3: input 'x'/,
    ],
    ["an empty file", "", [], /empty/],
    ["a header without rows", "timestamp,value\n", [], /no rows/],
    ["unsorted timestamps", "timestamp,value\n10,1\n20,2\n15,3\n", [], /line 4: timestamp '15' is earlier than line 3/],
    ["duplicate timestamps", "timestamp,value\n10,1\n20,2\n20,3\n", [], /line 4: duplicate timestamp '20'/],
    ["a bad timestamp", "timestamp,value\n10,1\nnoon,2\n", [], /line 3: timestamp 'noon'/],
    ["too few rows to fit", "timestamp,value\n1,1\n2,2\n3,3\n4,4\n", [], /too few to fit/],
  ];
  for (const [name, text, args, message] of bad) {
    it(`rejects ${name} with exit code 2, a message naming the problem and no stack trace`, () => {
      const path = join(tmp.path, "bad.csv");
      writeFileSync(path, text);
      const r = runNqp(["forecast", "--input", path, "--output", join(tmp.path, "x.csv"), ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe("");
    });
  }

  const badFlags: Array<[string[], RegExp]> = [
    [["--horizon", "0"], /--horizon/],
    [["--horizon", "1.5"], /--horizon/],
    [["--train-fraction", "1"], /--train-fraction/],
    [["--train-fraction", "abc"], /--train-fraction/],
    [["--coverage", "0"], /--coverage/],
    [["--coverage", "1.2"], /--coverage/],
    [["--seed", "-1"], /--seed/],
    [["--exog", ","], /--exog needs/],
  ];
  for (const [args, message] of badFlags) {
    it(`rejects ${args.join(" ")} with exit code 2`, () => {
      const r = runNqp(["forecast", "--input", series, "--output", join(tmp.path, "x.csv"), ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it("rejects a missing input file and missing required flags", () => {
    const r = runNqp(["forecast", "--input", join(tmp.path, "nope.csv"), "--output", join(tmp.path, "x.csv")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope\.csv: no such file/);
    const r2 = runNqp(["forecast", "--output", join(tmp.path, "x.csv")]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--input/);
  });
});
