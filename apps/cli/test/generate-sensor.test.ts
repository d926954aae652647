import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSeriesCsv } from "@nqp/contract";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

describe("nqp generate sensor", () => {
  it("writes a labelled sensor stream with dropouts that reads back as a series", () => {
    const out = join(tmp.path, "sensor.csv");
    const r = runNqp(["generate", "sensor", "--output", out, "--n", "20000", "--seed", "3", "--step", "60", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ kind: "sensor", seed: 3 });
    expect(summary.rows + summary.dropped).toBe(20000);
    const text = readFileSync(out, "utf8");
    expect(text.split("\n")[0]).toBe("timestamp,value,label,fault");
    const table = readSeriesCsv(text, { extraColumns: ["label"] });
    expect(table.value.length).toBe(summary.rows);
    const labelled = table.extra.label.reduce((a, b) => a + b, 0);
    expect(labelled).toBe(summary.faultRows);
    expect(labelled).toBeGreaterThan(0);
    // Dropouts leave gaps larger than the step.
    let gaps = 0;
    for (let i = 1; i < table.time.length; i++) if (table.time[i] - table.time[i - 1] > 60_000) gaps++;
    expect(gaps).toBeGreaterThan(0);
  });
});
