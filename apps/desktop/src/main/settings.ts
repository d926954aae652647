import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ApiParsedParams, DesktopSettingsView } from "@nqp/contract";
import { NqpError } from "@nqp/core";

/** Where the workstation finds its hub, and how it looks. Kept in settings.json in the app's data folder. */
export interface DesktopSettings {
  hubUrl: string;
  token?: string;
  theme?: "dark" | "light";
}

export const SETTINGS_FILE = "settings.json";
const DEFAULT_HUB = "http://127.0.0.1:8080";

function checkHubUrl(hubUrl: string): void {
  try {
    const u = new URL(hubUrl);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw new NqpError("bad-settings", `hub URL '${hubUrl}' is not an http(s) URL such as http://hub.plant.local:8080`);
  }
}

function readSaved(file: string): Partial<DesktopSettings> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Partial<DesktopSettings>;
  } catch (err) {
    throw new NqpError("bad-settings", `${file}: not valid JSON (${(err as Error).message}); fix or delete it`);
  }
}

/** Written whole to a temporary file and renamed over the old one, readable by the user only (it holds the token). */
function writeSettings(dir: string, s: DesktopSettings): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, SETTINGS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Settings from, in order: command-line flags (--hub=URL, --token=T), environment (NQP_HUB_URL, NQP_HUB_TOKEN),
 * the saved settings file, and the default (a hub on this machine, the demo's port). Flags and environment are
 * saved, so the next start needs neither.
 */
export function loadSettings(dir: string, argv: string[], env: Record<string, string | undefined>): DesktopSettings {
  const saved = readSaved(join(dir, SETTINGS_FILE));
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const hubUrl = flag("hub") ?? env.NQP_HUB_URL ?? saved.hubUrl ?? DEFAULT_HUB;
  const token = flag("token") ?? env.NQP_HUB_TOKEN ?? saved.token;
  checkHubUrl(hubUrl);
  const settings: DesktopSettings = { hubUrl };
  if (token) settings.token = token;
  if (saved.theme === "dark" || saved.theme === "light") settings.theme = saved.theme;
  if (settings.hubUrl !== saved.hubUrl || settings.token !== saved.token) writeSettings(dir, settings);
  return settings;
}

/**
 * The settings as the main process keeps them while it runs: the settings panel reads and changes them through the
 * typed API (settings.get / settings.set); every change is saved before it is answered. The token never goes back to
 * the window: the view says only whether one is set.
 */
export class SettingsStore {
  private current: DesktopSettings;

  constructor(
    private readonly dir: string,
    initial: DesktopSettings,
  ) {
    this.current = { ...initial };
  }

  get settings(): Readonly<DesktopSettings> {
    return this.current;
  }

  view(): DesktopSettingsView {
    return {
      hubUrl: this.current.hubUrl,
      tokenSet: Boolean(this.current.token),
      theme: this.current.theme ?? null,
      file: join(this.dir, SETTINGS_FILE),
    };
  }

  /** Applies a change (fields left out stay; token null removes it); says whether the hub link must be remade. */
  update(change: ApiParsedParams<"settings.set">): { hubChanged: boolean } {
    const next: DesktopSettings = { ...this.current };
    if (change.hubUrl !== undefined) {
      checkHubUrl(change.hubUrl);
      next.hubUrl = change.hubUrl;
    }
    if (change.token === null) delete next.token;
    else if (change.token !== undefined) next.token = change.token;
    if (change.theme !== undefined) next.theme = change.theme;
    const hubChanged = next.hubUrl !== this.current.hubUrl || next.token !== this.current.token;
    writeSettings(this.dir, next);
    this.current = next;
    return { hubChanged };
  }
}
