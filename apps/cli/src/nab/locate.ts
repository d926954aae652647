import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where NAB lives when no flag says: ../shared/data/nab beside the working directory (the team's checkouts), else
 * beside the repository that holds this program. Undefined where neither exists (a user's clone).
 */
export function defaultNabRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve("../shared/data/nab"),
    // Bundled: apps/cli/dist/nqp.mjs; from source: apps/cli/src/nab/locate.ts. Both sit three or four levels down.
    resolve(here, "../../../../shared/data/nab"),
    resolve(here, "../../../../../shared/data/nab"),
  ];
  return candidates.find((c) => existsSync(join(c, "labels", "combined_windows.json")));
}
