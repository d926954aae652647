import type { ConnectionState, Role, SessionInfo } from "@nqp/contract/api";
import { create } from "zustand";

export const VIEWS = ["fleet", "explorer", "spikes", "inbox", "optimizer", "validation", "config", "audit"] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewName, string> = {
  fleet: "Fleet",
  explorer: "Stream explorer",
  spikes: "Spike view",
  inbox: "Anomaly inbox",
  optimizer: "Optimiser workbench",
  validation: "Validation",
  config: "Config",
  audit: "Audit log",
};

export type Theme = "dark" | "light";

interface SessionState {
  session: SessionInfo | null;
  connection: ConnectionState;
  theme: Theme;
  view: ViewName;
  /** The stream the analyst last picked anywhere (explorer, inbox, spike view follow it). */
  focus: { agent: string; stream: string; ts?: number } | null;
  shortcutsOpen: boolean;
  toast: { kind: "info" | "error"; text: string; at: number } | null;
  setSession(s: SessionInfo): void;
  setConnection(c: ConnectionState): void;
  setTheme(t: Theme): void;
  go(view: ViewName): void;
  setFocus(f: SessionState["focus"]): void;
  setShortcutsOpen(open: boolean): void;
  notify(kind: "info" | "error", text: string): void;
}

function initialTheme(): Theme {
  const saved = typeof localStorage !== "undefined" ? localStorage.getItem("nqp.theme") : null;
  if (saved === "dark" || saved === "light") return saved;
  return typeof matchMedia !== "undefined" && matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
}

function initialView(): ViewName {
  const h = typeof location !== "undefined" ? location.hash.replace(/^#\/?/, "").split(/[?&]/)[0] : "";
  return (VIEWS as readonly string[]).includes(h) ? (h as ViewName) : "fleet";
}

export const useSession = create<SessionState>((set) => ({
  session: null,
  connection: { connected: false, source: "hub", since: Date.now(), error: null },
  theme: initialTheme(),
  view: initialView(),
  focus: null,
  shortcutsOpen: false,
  toast: null,
  setSession: (session) => set({ session }),
  setConnection: (connection) => set({ connection }),
  setTheme: (theme) => {
    localStorage.setItem("nqp.theme", theme);
    set({ theme });
  },
  go: (view) => {
    if (location.hash !== `#/${view}`) history.replaceState(null, "", `#/${view}`);
    set({ view });
  },
  setFocus: (focus) => set({ focus }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  notify: (kind, text) => set({ toast: { kind, text, at: Date.now() } }),
}));

export function can(role: Role | undefined, needed: Role): boolean {
  const order: Role[] = ["viewer", "analyst", "admin"];
  return role !== undefined && order.indexOf(role) >= order.indexOf(needed);
}
