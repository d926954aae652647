import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "@nqp/testkit";

export const desktopRoot = join(repoRoot, "apps/desktop");
export const rendererDir = join(desktopRoot, "dist/renderer");

function newest(dir: string): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the renderer with Vite when its build is missing or older than its sources (tests run what users get). */
export async function ensureRendererBuilt(): Promise<string> {
  const index = join(rendererDir, "index.html");
  const sources = Math.max(
    newest(join(desktopRoot, "src/renderer")),
    newest(join(desktopRoot, "src/analysis")),
    newest(join(repoRoot, "packages/contract/src")),
    newest(join(repoRoot, "packages/core/src")),
    statSync(join(desktopRoot, "vite.config.ts")).mtimeMs,
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    const vite = await import("vite");
    // Vite takes a build's mode from NODE_ENV when set: under Vitest (NODE_ENV=test) it would bundle React's
    // development build, twice the size and slower than what users get.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await vite.build({ configFile: join(desktopRoot, "vite.config.ts"), logLevel: "error" });
    } finally {
      process.env.NODE_ENV = env;
    }
  }
  return rendererDir;
}
