// The full chaos run (the CI test is a bounded form of it): ≥ 100 000 samples over 50 streams while, at random
// moments, the agent is SIGKILLed and restarted, the hub is SIGKILLed and restarted, mosquitto restarts, and the
// link between agent and hub is cut for 30 s — each of them `rounds` times.
//   pnpm bench chaos [--samples 100000] [--streams 50] [--rate 1500] [--partition 30] [--rounds 2] [--seed 7]
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChaos } from "../apps/edge-agent/test/chaos/harness";
import { arg, MOSQUITTO } from "./edge/common";

await (await import("../scripts/bundle.mjs" as string)).bundle();
const dir = join(tmpdir(), `nqp-bench-chaos-${process.pid}`);
const t0 = performance.now();
const report = await runChaos({
  dir,
  mosquitto: MOSQUITTO,
  samples: arg("samples", 100_000),
  streams: arg("streams", 50),
  rate: arg("rate", 1500),
  partitionSeconds: arg("partition", 30),
  rounds: arg("rounds", 2),
  seed: arg("seed", 7),
  log: (line) => process.stderr.write(`${line}\n`),
});
rmSync(dir, { recursive: true, force: true });
const ok =
  report.missing === 0 &&
  report.duplicates === 0 &&
  report.orderViolations === 0 &&
  report.atHub === report.acceptedByAgent &&
  report.acceptedByAgent === report.published &&
  report.auditAgentOk &&
  report.auditHubOk;
console.log(
  JSON.stringify(
    {
      bench: "chaos",
      date: new Date().toISOString(),
      ok,
      totalSeconds: Math.round((performance.now() - t0) / 1000),
      ...report,
    },
    null,
    2,
  ),
);
if (!ok) process.exitCode = 1;
