import { join } from "node:path";
import { AgentStore } from "@nqp/edge-agent";
import { HubStore } from "@nqp/hub";
import { runNqp, tempDir } from "@nqp/testkit";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

function agentLog(name: string, n: number): string {
  const dir = join(tmp.path, name);
  const store = new AgentStore(dir);
  for (let i = 0; i < n; i++) store.transaction(() => store.appendAudit("agent:x", `action-${i + 1}`, { i: i + 1 }));
  store.close();
  return dir;
}

function tamper(dir: string, file: string, sql: string): void {
  const db = new Database(join(dir, file));
  db.exec(sql);
  db.close();
}

describe("nqp audit verify", () => {
  it("passes an intact agent log", () => {
    const dir = agentLog("intact", 6);
    const r = runNqp(["audit", "verify", "--data", dir, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, chains: [{ chain: "agent", entries: 6 }] });
  });

  it("names an edited entry", () => {
    const dir = agentLog("edited", 6);
    tamper(dir, "agent.db", `UPDATE audit SET detail = '{"i":99}' WHERE idx = 4`);
    const r = runNqp(["audit", "verify", "--data", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/entry 4 \(.* action-4\): its content does not match its hash/);
  });

  it("names a deleted entry and a reordered pair", () => {
    const del = agentLog("deleted", 6);
    tamper(del, "agent.db", "DELETE FROM audit WHERE idx = 3");
    const r1 = runNqp(["audit", "verify", "--data", del]);
    expect(r1.status).toBe(1);
    expect(r1.stdout).toMatch(/entry 3 is missing \(deleted\)/);
    const swapped = agentLog("swapped", 6);
    // Swap the storage positions of entries 2 and 3.
    tamper(
      swapped,
      "agent.db",
      "UPDATE audit SET seq = -seq WHERE idx IN (2, 3); UPDATE audit SET seq = CASE idx WHEN 2 THEN 3 ELSE 2 END WHERE seq < 0",
    );
    const r2 = runNqp(["audit", "verify", "--data", swapped]);
    expect(r2.status).toBe(1);
    expect(r2.stdout).toMatch(/entry 2 .*reordered/);
  });

  it("checks a hub's own log and the agent logs it received", () => {
    const dir = join(tmp.path, "hub");
    const store = new HubStore(dir);
    store.appendAudit("operator", "agent-added", { agent: "x" });
    store.appendAudit("operator", "config-set", { agent: "x", version: 1 });
    store.close();
    expect(runNqp(["audit", "verify", "--data", dir]).status).toBe(0);
    tamper(dir, "hub.db", `UPDATE audit SET actor = 'mallory' WHERE idx = 1`);
    const r = runNqp(["audit", "verify", "--data", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/hub: 2 entries, 1 problem/);
    expect(r.stdout).toMatch(/entry 1 \(.* agent-added\)/);
  });

  it("says what a directory without a database is", () => {
    const r = runNqp(["audit", "verify", "--data", tmp.path]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/neither an agent database .* nor a hub database/);
  });
});
