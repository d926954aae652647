// `pnpm --filter @nqp/desktop build` (and the root `pnpm build`): the renderer with Vite into dist/renderer, then
// the Electron main process, preload script and analysis worker with esbuild into dist/main.
import { join } from "node:path";
import { buildMain, desktopRoot } from "./build-main.mjs";

const vite = await import("vite");
await vite.build({ configFile: join(desktopRoot, "vite.config.ts"), logLevel: "warn" });
console.log("built apps/desktop/dist/renderer");
await buildMain();
console.log("built apps/desktop/dist/main (main.cjs, preload.cjs, analysis.worker.cjs)");
