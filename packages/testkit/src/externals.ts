import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * External programs the tests drive for real (mosquitto, chromium). A test that needs one skips with a message
 * where it is missing, except under NQP_REQUIRE_EXTERNALS=1 (CI, which installs them), where the test fails.
 */
export function findProgram(name: string, candidates: string[] = []): string | undefined {
  for (const c of candidates) if (existsSync(c)) return c;
  try {
    const out = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    return out || undefined;
  } catch {
    return undefined;
  }
}

export function externalsRequired(): boolean {
  return process.env.NQP_REQUIRE_EXTERNALS === "1";
}

/**
 * Returns the program's path, or undefined with a printed skip reason. Under NQP_REQUIRE_EXTERNALS=1 a missing
 * program throws, so CI cannot pass by skipping.
 */
export function requireProgram(name: string, candidates: string[], install: string): string | undefined {
  const path = findProgram(name, candidates);
  if (path) return path;
  const why = `${name} is not installed (${install})`;
  if (externalsRequired()) throw new Error(`${why}; NQP_REQUIRE_EXTERNALS=1 makes this a failure`);
  console.warn(`skipped: ${why}`);
  return undefined;
}

export const mosquittoPath = () =>
  requireProgram("mosquitto", ["/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"], "apt-get install mosquitto");
export const chromiumPath = () =>
  requireProgram("chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"], "apt-get install chromium");
