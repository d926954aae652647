// Bundles the nqp command line (and every *.worker.ts) with esbuild. Workspace packages are compiled in; everything
// from npm stays external so native modules (better-sqlite3, onnxruntime-node, webgpu) load from node_modules.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const cliOut = join(root, "apps/cli/dist/nqp.mjs");
const sourceRoots = [
  "apps/cli/src",
  "apps/edge-agent/src",
  "apps/hub/src",
  "packages/core/src",
  "packages/kernels/src",
  "packages/contract/src",
];

function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else yield p;
  }
}

function sourceFiles() {
  const files = [];
  for (const r of sourceRoots)
    for (const f of walk(join(root, r))) if (/\.(ts|wgsl|json)$/.test(f) && !/\.test\.ts$/.test(f)) files.push(f);
  return files;
}

/** True when any source (or a package.json) is newer than the bundle. */
export function bundleIsStale() {
  if (!existsSync(cliOut)) return true;
  const built = statSync(cliOut).mtimeMs;
  const inputs = [...sourceFiles(), ...sourceRoots.map((r) => join(root, r, "..", "package.json"))];
  return inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

function externals() {
  const names = new Set();
  for (const dir of ["apps", "packages"]) {
    for (const pkg of readdirSync(join(root, dir))) {
      const file = join(root, dir, pkg, "package.json");
      if (!existsSync(file)) continue;
      const json = JSON.parse(readFileSync(file, "utf8"));
      for (const field of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
        for (const name of Object.keys(json[field] ?? {})) if (!name.startsWith("@nqp/")) names.add(name);
      }
    }
  }
  return [...names].flatMap((n) => [n, `${n}/*`]);
}

export async function bundle() {
  const esbuild = await import("esbuild");
  const workers = sourceFiles().filter((f) => f.endsWith(".worker.ts"));
  const entryPoints = [
    { in: join(root, "apps/cli/src/main.ts"), out: "nqp" },
    ...workers.map((w) => ({ in: w, out: `workers/${basename(w, ".ts")}` })),
  ];
  await esbuild.build({
    entryPoints,
    outdir: join(root, "apps/cli/dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    external: externals(),
    tsconfig: join(root, "tsconfig.base.json"),
    loader: { ".wgsl": "text" },
    // ESM bundles of CommonJS code still call require(); give them one.
    banner: {
      js: "import { createRequire as __nqpCreateRequire } from 'node:module'; const require = __nqpCreateRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
}
