import { mosquittoPath, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { runChaos } from "./chaos/harness";

const mosquitto = mosquittoPath();
const tmp = tempDir();
afterAll(() => tmp.remove());

describe.skipIf(!mosquitto)("chaos: kills, broker restart and a partition while data flows", () => {
  // The bounded CI form of `pnpm bench chaos` (which runs ≥ 100 000 samples and a 30 s partition).
  it("ends with exactly one prediction per accepted sample at the hub, none lost, in seq order per stream", async () => {
    const r = await runChaos({
      dir: tmp.path,
      mosquitto: mosquitto as string,
      samples: 20_000,
      streams: 50,
      rate: 1000,
      partitionSeconds: 15,
      seed: Number(process.env.NQP_CHAOS_SEED ?? 7),
    });
    expect(r.faults.map((f) => f.kind.split(" ")[0])).toEqual(["agent", "hub", "broker", "hub"]);
    expect(r.agentStarts).toBe(2);
    expect(r.hubStarts).toBe(2);
    expect(r.published).toBe(20_000);
    expect(r.missing).toBe(0);
    expect(r.acceptedByAgent).toBe(r.published);
    expect(r.atHub).toBe(r.acceptedByAgent);
    expect(r.duplicates).toBe(0);
    expect(r.orderViolations).toBe(0);
    expect(r.auditAgentOk).toBe(true);
    expect(r.auditHubOk).toBe(true);
  }, 300_000);
});
