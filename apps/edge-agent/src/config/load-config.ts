import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { type AgentConfig, parseConfigText, validateAgentConfig } from "@nqp/contract";
import { NqpError } from "@nqp/core";

/** Command-line overrides, by key path ("hub.url"); undefined values leave the file's value alone. */
export type ConfigOverrides = Record<string, unknown>;

/**
 * The agent's configuration: the file (YAML or JSON) if given, flags on top, then validation naming the key path
 * of every problem (and the file it came from).
 */
export function loadAgentConfig(file: string | undefined, overrides: ConfigOverrides = {}): AgentConfig {
  let config: Record<string, unknown> = {};
  let source = "flags";
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new NqpError("bad-config", `${file}: ${e.code === "ENOENT" ? "no such file" : e.message}`);
    }
    if (![".yaml", ".yml", ".json", ""].includes(extname(file).toLowerCase()))
      throw new NqpError("bad-config", `${file}: expected a .yaml, .yml or .json file`);
    config = parseConfigText(text, file);
    source = `${file} (with flags)`;
  }
  for (const [path, value] of Object.entries(overrides)) if (value !== undefined) setPath(config, path, value);
  return validateAgentConfig(config, source);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let obj = target;
  for (const k of keys.slice(0, -1)) {
    const next = obj[k];
    if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next)) obj[k] = {};
    obj = obj[k] as Record<string, unknown>;
  }
  obj[keys[keys.length - 1]] = value;
}
