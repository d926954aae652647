// `pnpm --filter @nqp/desktop build` (and the root `pnpm build`): the renderer with Vite into dist/renderer, then
// the Electron main process, preload script and analysis worker with esbuild into dist/main.
import { join } from "node:path";
import { buildMain, desktopRoot } from "./build-main.mjs";

// A production build whatever NODE_ENV the caller has (Vite would take a development mode from it).
process.env.NODE_ENV = "production";
const vite = await import("vite");
await vite.build({ configFile: join(desktopRoot, "vite.config.ts"), logLevel: "warn" });
console.log("built apps/desktop/dist/renderer");
await buildMain();
console.log("built apps/desktop/dist/main (main.cjs, preload.cjs, analysis.worker.cjs)");
