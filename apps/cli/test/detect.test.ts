import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** A seasonal series with a spike at row `spikeAt` (none when −1). */
function series(n: number, spikeAt = -1, start = 1_700_000_000): string {
  const rows = ["timestamp,value"];
  for (let i = 0; i < n; i++) {
    const v = 10 + Math.sin((2 * Math.PI * i) / 48) + 0.05 * Math.sin(i * 1.7) + (i === spikeAt ? 8 : 0);
    rows.push(`${start + 300 * i},${v.toFixed(4)}`);
  }
  return `${rows.join("\n")}\n`;
}

function scoresOf(path: string): number[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => Number(l.split(",")[2]));
}

describe("nqp detect", () => {
  it("writes timestamp,value,anomaly_score for every row, echoing the input cells, with scores in [0, 1]", () => {
    const input = join(tmp.path, "one.csv");
    writeFileSync(input, series(1500, 1200));
    const output = join(tmp.path, "one.out.csv");
    const r = runNqp(["detect", "--input", input, "--output", output, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 1, rows: 1500, seed: 1 });
    const lines = readFileSync(output, "utf8").trim().split("\n");
    expect(lines[0]).toBe("timestamp,value,anomaly_score");
    expect(lines).toHaveLength(1501);
    const inputLines = readFileSync(input, "utf8").trim().split("\n");
    for (let i = 1; i < lines.length; i++) expect(lines[i].startsWith(`${inputLines[i]},`)).toBe(true);
    const scores = scoresOf(output);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    // The spike is the most anomalous row after the detector's first days of learning.
    const after = scores.slice(600);
    expect(after.indexOf(Math.max(...after)) + 600).toBe(1200);
  });

  it("is causal: a row's score does not change when later rows change or are cut off", () => {
    const full = join(tmp.path, "full.csv");
    const cut = join(tmp.path, "cut.csv");
    writeFileSync(full, series(1400, 1300));
    writeFileSync(cut, series(1400).split("\n").slice(0, 1001).join("\n"));
    expect(runNqp(["detect", "--input", full, "--output", `${full}.out`]).status).toBe(0);
    expect(runNqp(["detect", "--input", cut, "--output", `${cut}.out`]).status).toBe(0);
    expect(scoresOf(`${full}.out`).slice(0, 1000)).toEqual(scoresOf(`${cut}.out`));
  });

  it("mirrors a directory file by file on worker threads, skipping files that are not CSV", () => {
    const dir = join(tmp.path, "corpus");
    mkdirSync(join(dir, "a"), { recursive: true });
    mkdirSync(join(dir, "b"), { recursive: true });
    writeFileSync(join(dir, "a", "x.csv"), series(900, 700));
    writeFileSync(join(dir, "b", "y.csv"), series(800));
    writeFileSync(join(dir, "notes.txt"), "not data");
    const out = join(tmp.path, "corpus-out");
    const r = runNqp(["detect", "--input", dir, "--output", out, "--workers", "2", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 2, rows: 1700, workers: 2 });
    expect(scoresOf(join(out, "a", "x.csv"))).toHaveLength(900);
    expect(scoresOf(join(out, "b", "y.csv"))).toHaveLength(800);
    // Same scores whichever thread ran the file.
    const single = join(tmp.path, "single");
    expect(runNqp(["detect", "--input", dir, "--output", single, "--workers", "1"]).status).toBe(0);
    expect(readFileSync(join(single, "a", "x.csv"), "utf8")).toBe(readFileSync(join(out, "a", "x.csv"), "utf8"));
  });

  it("names the file and line of bad input and exits 2 without a stack trace", () => {
    const bad = join(tmp.path, "bad.csv");
    writeFileSync(bad, "timestamp,value\n1,1.0\n2,abc\n3,2.0\n");
    const r1 = runNqp(["detect", "--input", bad, "--output", join(tmp.path, "bad.out.csv")]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/bad\.csv: line 3: value 'abc' is not a number/);

    const dir = join(tmp.path, "bad-dir");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "good.csv"), series(500));
    writeFileSync(join(dir, "dup.csv"), "timestamp,value\n1,1\n2,2\n2,3\n");
    const r2 = runNqp(["detect", "--input", dir, "--output", join(tmp.path, "bad-dir-out"), "--workers", "2"]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/dup\.csv: line 4: duplicate timestamp '2'/);

    const r3 = runNqp(["detect", "--input", join(tmp.path, "nope"), "--output", join(tmp.path, "o.csv")]);
    expect(r3.status).toBe(2);
    expect(r3.stderr).toMatch(/--input: '.*nope' does not exist/);

    const r5 = runNqp(["detect", "--input", bad, "--output", tmp.path]);
    expect(r5.status).toBe(2);
    expect(r5.stderr).toMatch(/--output: .* is a directory; a file input needs a file to write/);

    const empty = join(tmp.path, "empty.csv");
    writeFileSync(empty, "");
    const r4 = runNqp(["detect", "--input", empty, "--output", join(tmp.path, "o.csv")]);
    expect(r4.status).toBe(2);
    expect(r4.stderr).toMatch(/empty/);
    expect(r1.stderr + r2.stderr + r3.stderr + r4.stderr + r5.stderr).not.toMatch(/^\s+at /m);
  });

  it("scores rows in file order with --time-order file (NAB's repeated timestamps)", () => {
    const dup = join(tmp.path, "dup.csv");
    writeFileSync(dup, "timestamp,value\n2014-03-09 01:59:00,1\n2014-03-09 03:00:00,2\n2014-03-09 03:00:00,3\n");
    const out = join(tmp.path, "dup.out.csv");
    expect(runNqp(["detect", "--input", dup, "--output", out]).status).toBe(2);
    expect(runNqp(["detect", "--input", dup, "--output", out, "--time-order", "file"]).status).toBe(0);
    expect(scoresOf(out)).toHaveLength(3);
  });
});
