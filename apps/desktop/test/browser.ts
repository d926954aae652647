import { type Browser, type ConsoleMessage, chromium, type Page } from "playwright-core";

/** Flags from STACK-NOTES: headless Debian chromium with nothing that reaches out. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export async function launchChromium(executablePath: string): Promise<Browser> {
  // launch() gives every browser a fresh temporary profile, removed on close.
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}

/** Collects console errors and page errors (uncaught exceptions) of a page. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  return errors;
}

export const VIEW_ORDER = [
  "fleet",
  "explorer",
  "spikes",
  "inbox",
  "optimizer",
  "validation",
  "config",
  "audit",
] as const;
