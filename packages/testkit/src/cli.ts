import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./shared-data";

export const nqpBundle = join(repoRoot, "apps/cli/dist/nqp.mjs");

export interface NqpResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built nqp command line to completion (the test global setup builds it). */
export function runNqp(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): NqpResult {
  const r = spawnSync(process.execPath, [nqpBundle, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    input: options.input,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a long-running nqp command (agent, hub, demo) and returns the child process. */
export function spawnNqp(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  return spawn(process.execPath, [nqpBundle, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
