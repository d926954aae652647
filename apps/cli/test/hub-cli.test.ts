import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HubStore } from "@nqp/hub";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());
const data = join(tmp.path, "hub");

describe("nqp hub management commands", () => {
  it("adds an agent once, showing its password once and storing only a hash", () => {
    const r = runNqp(["hub", "agent", "add", "press-01", "--data", data, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ agent: "press-01", username: "press-01" });
    expect(out.password.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(data, "hub.db")).includes(Buffer.from(out.password))).toBe(false);
    const again = runNqp(["hub", "agent", "add", "press-01", "--data", data]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already registered/);
    expect(runNqp(["hub", "agent", "add", "bad/id", "--data", data]).stderr).toMatch(/not valid/);
    const key = runNqp(["hub", "key", "--data", data]);
    expect(key.stdout.trim()).toBe(out.hubPublicKey);
    const list = runNqp(["hub", "agent", "list", "--data", data, "--json"]);
    expect(JSON.parse(list.stdout).agents.map((a: { id: string }) => a.id)).toEqual(["press-01"]);
  });

  it("signs config documents with increasing versions and names bad keys", () => {
    const file = join(tmp.path, "remote.yaml");
    writeFileSync(file, "sync:\n  batchRecords: 500\nlabels:\n  site: plant-7\n");
    const a = runNqp(["hub", "config", "set", file, "--agent", "press-01", "--data", data, "--json"]);
    expect(a.status, a.stderr).toBe(0);
    const b = runNqp(["hub", "config", "set", file, "--all", "--data", data, "--json"]);
    expect([JSON.parse(a.stdout).version, JSON.parse(b.stdout).version]).toEqual([1, 2]);
    writeFileSync(file, "sync:\n  batchRecord: 500\n");
    const bad = runNqp(["hub", "config", "set", file, "--all", "--data", data]);
    writeFileSync(join(tmp.path, "ok.yaml"), "labels:\n  a: b\n");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/sync: unknown key batchRecord/);
    expect(runNqp(["hub", "config", "set", file, "--data", data]).stderr).toMatch(/exactly one of --agent ID or --all/);
    expect(
      runNqp(["hub", "config", "set", join(tmp.path, "ok.yaml"), "--agent", "ghost", "--data", data]).stderr,
    ).toMatch(/not registered/);
  });

  it("exports predictions as JSON lines and CSV with the documented columns", () => {
    const store = new HubStore(data);
    store.ingest({
      v: 1,
      agent: "press-01",
      epoch: "epoch-0001",
      kind: "predictions",
      streams: ["sensors/a,b"],
      rows: [1, 2, 3].map((seq) => [
        seq,
        0,
        1_700_000_000_000 + seq,
        seq,
        seq === 1 ? null : seq - 0.5,
        seq === 1 ? null : seq - 1,
        seq === 1 ? null : seq,
        0.25,
        seq === 3 ? 1 : 0,
        null,
        null,
        null,
      ]),
    });
    store.close();
    const jsonl = runNqp([
      "hub",
      "export",
      "--data",
      data,
      "--kind",
      "predictions",
      "--format",
      "jsonl",
      "--agent",
      "press-01",
    ]);
    expect(jsonl.status, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({
      agent: "press-01",
      stream: "sensors/a,b",
      seq: 3,
      value: 3,
      forecast: 2.5,
      lower: 2,
      upper: 3,
      anomaly_score: 0.25,
      is_anomaly: true,
    });
    const out = join(tmp.path, "p.csv");
    const csv = runNqp(["hub", "export", "--data", data, "--kind", "predictions", "--format", "csv", "--output", out]);
    expect(csv.status, csv.stderr).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows[0]).toBe(
      "agent,stream,ts,seq,value,forecast,lower,upper,anomaly_score,is_anomaly,next_forecast,next_lower,next_upper",
    );
    expect(rows[1]).toBe('press-01,"sensors/a,b",1700000000001,1,1,,,,0.25,0,,,');
    const audit = runNqp(["hub", "export", "--data", data, "--kind", "audit"]);
    expect(audit.stdout).toMatch(/"action":"agent-added"/);
    expect(runNqp(["hub", "export", "--data", join(tmp.path, "none"), "--kind", "audit"]).stderr).toMatch(
      /holds no hub database/,
    );
  });
});
