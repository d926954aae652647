import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NqpError } from "@nqp/core";

/** Where the workstation finds its hub. Kept in settings.json in the app's data folder. */
export interface DesktopSettings {
  hubUrl: string;
  token?: string;
}

export const SETTINGS_FILE = "settings.json";

/**
 * Settings from, in order: command-line flags (--hub=URL, --token=T), environment (NQP_HUB_URL, NQP_HUB_TOKEN),
 * the saved settings file, and the default (a hub on this machine, the demo's port). Flags and environment are
 * saved, so the next start needs neither.
 */
export function loadSettings(dir: string, argv: string[], env: Record<string, string | undefined>): DesktopSettings {
  const file = join(dir, SETTINGS_FILE);
  let saved: Partial<DesktopSettings> = {};
  if (existsSync(file)) {
    try {
      saved = JSON.parse(readFileSync(file, "utf8")) as Partial<DesktopSettings>;
    } catch (err) {
      throw new NqpError("bad-settings", `${file}: not valid JSON (${(err as Error).message}); fix or delete it`);
    }
  }
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const hubUrl = flag("hub") ?? env.NQP_HUB_URL ?? saved.hubUrl ?? "http://127.0.0.1:8080";
  const token = flag("token") ?? env.NQP_HUB_TOKEN ?? saved.token;
  try {
    const u = new URL(hubUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw new NqpError("bad-settings", `hub URL '${hubUrl}' is not an http(s) URL such as http://hub.plant.local:8080`);
  }
  const settings: DesktopSettings = token ? { hubUrl, token } : { hubUrl };
  if (settings.hubUrl !== saved.hubUrl || settings.token !== saved.token) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  }
  return settings;
}
