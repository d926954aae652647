import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The renderer: one bundle for Electron (loaded from disk by the main process) and for browsers (served by the hub
 * at /). Relative asset paths (base "./") make both work. Workspace packages are compiled from source, like
 * everywhere else in the repository.
 */
export default defineConfig({
  root: here("src/renderer"),
  base: "./",
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@nqp\/core$/, replacement: here("../../packages/core/src/index.ts") },
      { find: /^@nqp\/core\/(.*)$/, replacement: here("../../packages/core/src/$1") },
      { find: /^@nqp\/contract\/(.*)$/, replacement: here("../../packages/contract/src/$1") },
      // csv-parse's Node build uses Buffer at load time; its browser build carries its own.
      { find: /^csv-parse\/sync$/, replacement: "csv-parse/browser/esm/sync" },
    ],
  },
  build: {
    outDir: here("dist/renderer"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  worker: { format: "es" },
  logLevel: "warn",
});
