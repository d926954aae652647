// Bundles the Electron side with esbuild: the main process, the preload script and the analysis worker, as
// CommonJS for Electron 39 (Node 22). Workspace packages are compiled in; electron stays external (the runtime
// provides it) and better-sqlite3 too (a native module: it ships beside the bundle, rebuilt for Electron's ABI).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const desktopRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = join(desktopRoot, "../..");

export async function buildMain(outdir = join(desktopRoot, "dist/main")) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    entryPoints: {
      main: join(desktopRoot, "src/main/main.ts"),
      preload: join(desktopRoot, "src/preload/preload.ts"),
      "analysis.worker": join(desktopRoot, "src/main/analysis.worker.ts"),
    },
    outdir,
    outExtension: { ".js": ".cjs" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    sourcemap: "linked",
    // Native modules ship beside the bundle: better-sqlite3 (local store), onnxruntime-node and webgpu (the kernel
    // back ends of @nqp/kernels, loaded by the analysis worker only when a job asks for them).
    external: ["electron", "better-sqlite3", "onnxruntime-node", "webgpu", "bufferutil", "utf-8-validate"],
    tsconfig: join(repoRoot, "tsconfig.base.json"),
    logLevel: "silent",
  });
  return outdir;
}
