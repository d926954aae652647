import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@nqp\/core$/, replacement: here("packages/core/src/index.ts") },
      { find: /^@nqp\/core\/(.*)$/, replacement: here("packages/core/src/$1") },
      { find: /^@nqp\/kernels$/, replacement: here("packages/kernels/src/index.ts") },
      { find: /^@nqp\/kernels\/(.*)$/, replacement: here("packages/kernels/src/$1") },
      { find: /^@nqp\/contract$/, replacement: here("packages/contract/src/index.ts") },
      { find: /^@nqp\/contract\/(.*)$/, replacement: here("packages/contract/src/$1") },
      { find: /^@nqp\/edge-agent$/, replacement: here("apps/edge-agent/src/index.ts") },
      { find: /^@nqp\/hub$/, replacement: here("apps/hub/src/index.ts") },
      { find: /^@nqp\/testkit$/, replacement: here("packages/testkit/src/index.ts") },
    ],
  },
  test: {
    include: ["{apps,packages}/*/src/**/*.test.{ts,tsx}", "{apps,packages}/*/test/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here and in CI: more workers only make timing-sensitive network tests flaky.
    maxWorkers: 2,
  },
});
