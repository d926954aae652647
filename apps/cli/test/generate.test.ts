import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

describe("nqp generate", () => {
  it("writes Mackey-Glass with the requested rows and a JSON summary", () => {
    const out = join(tmp.path, "mg.csv");
    const r = runNqp(["generate", "mackey-glass", "--output", out, "--n", "500", "--json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: "mackey-glass", rows: 500 });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("timestamp,value");
    expect(lines).toHaveLength(501);
  });

  it("writes NARMA10 with its input column and is reproducible from the seed", () => {
    const a = join(tmp.path, "a.csv");
    const b = join(tmp.path, "b.csv");
    expect(runNqp(["generate", "narma10", "--output", a, "--n", "100", "--seed", "5"]).status).toBe(0);
    expect(runNqp(["generate", "narma10", "--output", b, "--n", "100", "--seed", "5"]).status).toBe(0);
    expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
    expect(readFileSync(a, "utf8").split("\n")[0]).toBe("timestamp,value,input");
  });

  it("rejects an unknown kind and a bad --n with exit code 2 and no stack trace", () => {
    const r1 = runNqp(["generate", "lorenz", "--output", join(tmp.path, "x.csv")]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toMatch(/unknown kind 'lorenz'/);
    const r2 = runNqp(["generate", "narma10", "--output", join(tmp.path, "x.csv"), "--n", "-3"]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--n/);
    expect(r1.stderr + r2.stderr).not.toMatch(/^\s+at /m);
  });
});
