import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file lives in packages/testkit/src). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The shared data sets (NAB, G-set) live beside the repository in ../shared and are never copied into it. Returns
 * the absolute path of `relative` inside ../shared/data, or undefined where it is absent (a user's clone).
 */
export function sharedDataPath(relative: string): string | undefined {
  const p = join(repoRoot, "..", "shared", "data", relative);
  return existsSync(p) ? p : undefined;
}

/** The message a test prints when it skips for want of ../shared. */
export function sharedDataSkipReason(relative: string): string {
  return `skipped: ../shared/data/${relative} is not present (it sits beside the repository on the team's machines, not in a user's clone)`;
}
