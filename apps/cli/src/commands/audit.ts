import { NqpError } from "@nqp/core";
import { isAgentDataDir, verifyAgentAudit } from "@nqp/edge-agent";
import { HubStore, verifyHubAudit } from "@nqp/hub";
import type { Command } from "commander";
import { action, type CommandModule } from "../shared/command";
import { printSummary } from "../shared/output";

export const registerAudit: CommandModule = (program: Command) => {
  const audit = program.command("audit").description("check audit logs");
  audit
    .command("verify")
    .description(
      "verify the hash-chained audit log of an agent or hub data directory (a hub's also covers its agents' logs); names every edited, deleted or reordered entry; exit 1 when one is found",
    )
    .requiredOption("--data <dir>", "an agent's or a hub's data directory")
    .option("--json", "print a JSON report")
    .action(
      action("audit verify", (o: { data: string; json?: boolean }) => {
        let chains: {
          chain: string;
          ok: boolean;
          entries: number;
          problems: { index: number; kind: string; message: string }[];
        }[];
        if (isAgentDataDir(o.data)) chains = [verifyAgentAudit(o.data)];
        else {
          let store: HubStore;
          try {
            store = new HubStore(o.data, { readonly: true });
          } catch {
            throw new NqpError(
              "bad-data-dir",
              `${o.data} holds neither an agent database (agent.db) nor a hub database (hub.db)`,
            );
          }
          try {
            chains = verifyHubAudit(store);
          } finally {
            store.close();
          }
        }
        const ok = chains.every((c) => c.ok);
        const lines: string[] = [];
        for (const c of chains) {
          lines.push(`${c.chain}: ${c.entries} entries, ${c.ok ? "intact" : `${c.problems.length} problem(s)`}`);
          for (const p of c.problems) lines.push(`  ${p.message}`);
        }
        printSummary(o.json, { ok, chains }, lines.join("\n"));
        if (!ok) process.exitCode = 1;
      }),
    );
};
