import { addDashboardUser, HubStore, listDashboardUsers, removeDashboardUser } from "@nqp/hub";
import type { Command } from "commander";
import { action } from "../shared/command";
import { printSummary } from "../shared/output";

/** `nqp hub user add|list|remove`: dashboard users, their roles and bearer tokens (docs/desktop.md, "Roles"). */
export function registerHubUsers(hub: Command): void {
  const user = hub.command("user").description("dashboard users and roles (viewer, analyst, admin)");
  user
    .command("add")
    .description("add a dashboard user and print its token (shown once; stored hashed)")
    .argument("<name>", "user name")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--role <role>", "viewer (read only), analyst (+ annotate) or admin (+ push configs)", "viewer")
    .option("--json", "print a JSON document")
    .action(
      action("hub user add", (name: string, o: { data: string; role: string; json?: boolean }) => {
        const store = new HubStore(o.data);
        try {
          const { user: u, token } = addDashboardUser(store.db, name, o.role);
          store.appendAudit("operator", "dashboard-user-added", { user: u.name, role: u.role });
          printSummary(
            o.json,
            { user: u.name, role: u.role, token },
            [
              `dashboard user ${u.name} (${u.role}) added. Its token is shown only now:`,
              "",
              `  ${token}`,
              "",
              "open the dashboard as http://HUB:PORT/#token=<token>, or give it to the desktop app's hub connection",
            ].join("\n"),
          );
        } finally {
          store.close();
        }
      }),
    );
  user
    .command("list")
    .description("list dashboard users and their roles")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--json", "print a JSON document")
    .action(
      action("hub user list", (o: { data: string; json?: boolean }) => {
        const store = new HubStore(o.data);
        try {
          const users = listDashboardUsers(store.db);
          printSummary(
            o.json,
            { users },
            users.length
              ? users.map((u) => `${u.name}\t${u.role}\tadded ${new Date(u.createdAt).toISOString()}`).join("\n")
              : "no dashboard users (loopback connections get the admin role; see docs/desktop.md)",
          );
        } finally {
          store.close();
        }
      }),
    );
  user
    .command("remove")
    .description("remove a dashboard user (its token stops working at the next connection)")
    .argument("<name>", "user name")
    .requiredOption("--data <dir>", "hub data directory")
    .option("--json", "print a JSON document")
    .action(
      action("hub user remove", (name: string, o: { data: string; json?: boolean }) => {
        const store = new HubStore(o.data);
        try {
          const removed = removeDashboardUser(store.db, name);
          if (removed) store.appendAudit("operator", "dashboard-user-removed", { user: name });
          printSummary(o.json, { user: name, removed }, removed ? `removed ${name}` : `no dashboard user ${name}`);
        } finally {
          store.close();
        }
      }),
    );
}
