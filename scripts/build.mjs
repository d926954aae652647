// `pnpm build`: the nqp bundle, then the desktop renderer (served by the hub as the web dashboard).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { bundle, root } from "./bundle.mjs";

await bundle();
console.log("built apps/cli/dist/nqp.mjs");
if (existsSync(join(root, "apps/desktop/vite.config.ts"))) {
  const r = spawnSync("pnpm", ["--filter", "@nqp/desktop", "run", "build"], { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
