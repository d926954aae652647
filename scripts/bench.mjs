// `pnpm bench NAME [args]` runs bench/NAME.ts (tsx compiles it; the time inside is what a benchmark measures).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { root } from "./bundle.mjs";

const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.replace(/\.bench\.ts$/, ""));
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench NAME [args]\navailable: ${available.join(", ")}\n`);
  process.exit(name ? 2 : 0);
}
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const file = join(root, "bench", `${name}.bench.ts`);
if (!existsSync(file)) process.exit(2);
const r = spawnSync(process.execPath, [tsx, "--tsconfig", join(root, "tsconfig.tests.json"), file, ...args], {
  stdio: "inherit",
  cwd: root,
});
process.exit(r.status ?? 1);
