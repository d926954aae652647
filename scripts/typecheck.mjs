// Type-checks every package with its own tsconfig (core without Node types, desktop with the DOM), then the tests.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsc = require.resolve("typescript/bin/tsc");
const projects = [
  "packages/core",
  "packages/contract",
  "packages/kernels",
  "packages/testkit",
  "apps/cli",
  "apps/edge-agent",
  "apps/hub",
  "apps/desktop",
  // The renderer without Node types: a Node API used there fails here.
  "apps/desktop/tsconfig.renderer.json",
  "tsconfig.tests.json",
].filter((p) => existsSync(p));

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, "--noEmit", "-p", project], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ project, code, out }));
  });
}

// Two at a time: CI machines have two cores.
const results = [];
const queue = [...projects];
async function worker() {
  while (queue.length) results.push(await check(queue.shift()));
}
await Promise.all([worker(), worker()]);
let failed = 0;
for (const r of results) {
  if (r.code !== 0) {
    failed++;
    process.stderr.write(`typecheck failed: ${r.project}\n${r.out}\n`);
  }
}
if (failed) process.exit(1);
console.log(`typecheck: ${results.length} projects ok`);
