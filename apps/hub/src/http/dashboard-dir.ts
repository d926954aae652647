import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the desktop renderer's build is, when it was built (apps/desktop/dist/renderer): the hub serves it as its
 * web dashboard. Looked up from this file (sources) and from the nqp bundle (apps/cli/dist).
 */
export function findDashboardDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, "../../../desktop/dist/renderer"),
    join(here, "../../desktop/dist/renderer"),
    join(here, "../../../../apps/desktop/dist/renderer"),
  ];
  return candidates.find((c) => existsSync(join(c, "index.html")));
}
