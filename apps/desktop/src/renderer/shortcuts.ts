import { useEffect, useRef } from "react";

/** True when the key event happened while typing (shortcuts must not steal keystrokes from fields). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || t.isContentEditable;
}

export interface Shortcut {
  keys: string;
  what: string;
}

/** Every shortcut, for the help dialog (keep in sync with the handlers and docs/desktop.md). */
export const SHORTCUTS: { area: string; list: Shortcut[] }[] = [
  {
    area: "Everywhere",
    list: [
      { keys: "1 … 8", what: "Fleet, Explorer, Spikes, Inbox, Optimiser, Validation, Config, Audit" },
      { keys: "/", what: "Search or filter in the current view" },
      { keys: "r", what: "Refresh the current view" },
      { keys: "t", what: "Switch light / dark theme" },
      { keys: ",", what: "Settings (theme; in the desktop: hub URL and token)" },
      { keys: "?", what: "Show this help" },
    ],
  },
  {
    area: "Stream explorer",
    list: [
      { keys: "l", what: "Follow live data on / off" },
      { keys: "e", what: "Export the visible range to CSV" },
      { keys: "p", what: "Export the charts to PNG" },
      { keys: "← → + − 0", what: "Pan, zoom, reset (chart focused); wheel zooms, Shift+wheel pans, drag selects" },
    ],
  },
  {
    area: "Anomaly inbox",
    list: [
      { keys: "j / k", what: "Next / previous event" },
      { keys: "a", what: "Acknowledge (or re-open) the selected event" },
      { keys: "n", what: "Write a note on the selected event" },
      { keys: "s", what: "Open the event in the spike view" },
    ],
  },
  {
    area: "Optimiser, validation, spikes",
    list: [
      { keys: "Ctrl+Enter", what: "Run" },
      { keys: "Esc", what: "Cancel the running job" },
    ],
  },
];

/**
 * Binds single-key shortcuts while the component is mounted. Keys are KeyboardEvent.key values; "mod+Enter" means
 * Ctrl (or ⌘) + Enter and works while typing too.
 */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = mod ? `mod+${e.key}` : e.key;
      const fn = ref.current[key];
      if (!fn) return;
      if (!mod && key !== "Escape" && isTyping(e)) return;
      e.preventDefault();
      fn(e);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
