// Lays out dist/app, the directory electron-builder packages: package.json (main: main/main.cjs), the esbuild
// bundles (dist/main), the renderer (dist/renderer), and node_modules with the one native module, better-sqlite3,
// and its runtime dependencies. With --rebuild it rebuilds that module for Electron's ABI (@electron/rebuild, which
// downloads Electron's headers: run it on a machine that can reach them).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { desktopRoot } from "./build-main.mjs";

export const NATIVE = ["better-sqlite3", "onnxruntime-node", "webgpu"];
/** Install-time helpers of native modules (prebuilt-binary download): not needed inside the app. */
const INSTALL_ONLY = new Set(["prebuild-install"]);

/** A package's directory and its production dependencies, followed through pnpm's links. */
function collect(name, from, out) {
  if (out.has(name) || INSTALL_ONLY.has(name)) return;
  const req = createRequire(join(from, "noop.js"));
  let manifest;
  try {
    manifest = req.resolve(`${name}/package.json`);
  } catch {
    return; // optional dependency not installed
  }
  const dir = realpathSync(dirname(manifest));
  out.set(name, dir);
  const pkg = JSON.parse(readFileSync(manifest, "utf8"));
  for (const dep of Object.keys(pkg.dependencies ?? {})) collect(dep, dir, out);
}

export function stageApp(outDir = join(desktopRoot, "dist/app")) {
  for (const part of ["dist/main/main.cjs", "dist/renderer/index.html"])
    if (!existsSync(join(desktopRoot, part))) throw new Error(`${part} is missing: run node scripts/build.mjs first`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const own = JSON.parse(readFileSync(join(desktopRoot, "package.json"), "utf8"));
  const deps = new Map();
  for (const n of NATIVE) collect(n, desktopRoot, deps);
  writeFileSync(
    join(outDir, "package.json"),
    `${JSON.stringify(
      {
        name: "nqp-desktop",
        productName: "NQP",
        version: own.version,
        description: own.description,
        author: "NQP contributors",
        license: "UNLICENSED",
        main: "main/main.cjs",
        dependencies: Object.fromEntries(NATIVE.map((n) => [n, own.dependencies[n]])),
      },
      null,
      2,
    )}\n`,
  );
  cpSync(join(desktopRoot, "dist/main"), join(outDir, "main"), { recursive: true });
  cpSync(join(desktopRoot, "dist/renderer"), join(outDir, "renderer"), { recursive: true });
  for (const [name, dir] of deps)
    cpSync(dir, join(outDir, "node_modules", name), { recursive: true, dereference: true });
  return { outDir, modules: [...deps.keys()] };
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(new URL(import.meta.url).pathname)) {
  const { outDir, modules } = stageApp();
  console.log(`staged ${outDir} (node_modules: ${modules.join(", ")})`);
  if (process.argv.includes("--rebuild")) {
    const r = spawnSync(
      "npx",
      ["--yes", "@electron/rebuild", "--version", "39.8.10", "--module-dir", outDir, "--only", NATIVE.join(",")],
      { stdio: "inherit" },
    );
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
