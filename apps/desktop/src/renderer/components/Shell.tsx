import {
  Activity,
  BellRing,
  ClipboardCheck,
  Cpu,
  FileCog,
  Keyboard,
  LineChart,
  Moon,
  ScrollText,
  Server,
  Settings,
  Sun,
  Waves,
  Wifi,
  WifiOff,
  X,
} from "lucide-react";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { ago } from "../format";
import { SHORTCUTS, useShortcuts } from "../shortcuts";
import { type Theme, useSession, VIEW_TITLES, VIEWS, type ViewName } from "../state/session";
import { Kbd } from "./common";
import { SettingsDialog } from "./SettingsDialog";

const ICONS: Record<ViewName, ReactNode> = {
  fleet: <Server size={18} />,
  explorer: <LineChart size={18} />,
  spikes: <Activity size={18} />,
  inbox: <BellRing size={18} />,
  optimizer: <Cpu size={18} />,
  validation: <ClipboardCheck size={18} />,
  config: <FileCog size={18} />,
  audit: <ScrollText size={18} />,
};

function ConnectionPill() {
  const c = useSession((s) => s.connection);
  const via = useSession((s) => s.session?.via);
  if (c.connected)
    return (
      <span className="pill ok" role="status" data-testid="connection" data-connected="true">
        <Wifi size={14} aria-hidden="true" /> {via === "desktop" ? "Online · hub" : "Live"}
      </span>
    );
  return (
    <span
      className="pill warn"
      role="status"
      data-testid="connection"
      data-connected="false"
      title={c.error ?? undefined}
    >
      <WifiOff size={14} aria-hidden="true" /> {via === "desktop" ? "Offline · cached data" : "Offline"}
      <span className="pill-detail">since {ago(c.since)}</span>
    </span>
  );
}

function ShortcutsDialog() {
  const open = useSession((s) => s.shortcutsOpen);
  const setOpen = useSession((s) => s.setShortcutsOpen);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={() => setOpen(false)}>
      <div className="dialog-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={() => setOpen(false)}>
          <X size={16} />
        </button>
      </div>
      {SHORTCUTS.map((g) => (
        <div key={g.area} className="shortcut-group">
          <h3>{g.area}</h3>
          <table className="table compact">
            <tbody>
              {g.list.map((s) => (
                <tr key={s.keys}>
                  <td>
                    <Kbd>{s.keys}</Kbd>
                  </td>
                  <td>{s.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </dialog>
  );
}

function Toast() {
  const toast = useSession((s) => s.toast);
  const notify = useSession((s) => s.notify);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => useSession.setState({ toast: null }), toast.kind === "error" ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [toast]);
  void notify;
  return (
    <div className="toast-area" aria-live="polite">
      {toast && (
        <div className={`toast ${toast.kind}`} role={toast.kind === "error" ? "alert" : "status"}>
          {toast.text}
        </div>
      )}
    </div>
  );
}

/** The instrument's frame: view rail, top bar with connection state and theme, shortcuts, notifications. */
export function Shell(p: { children: ReactNode }) {
  const view = useSession((s) => s.view);
  const go = useSession((s) => s.go);
  const theme = useSession((s) => s.theme);
  const setTheme = useSession((s) => s.setTheme);
  const session = useSession((s) => s.session);
  const setShortcutsOpen = useSession((s) => s.setShortcutsOpen);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const savedTheme = useRef<Theme | null | undefined>(undefined);

  // The desktop keeps the theme in its settings file too: take it at start, save changes.
  const localSettings = session?.local.settings === true;
  useEffect(() => {
    if (!localSettings) return;
    if (savedTheme.current === undefined) {
      savedTheme.current = null;
      void api()
        .call("settings.get", {})
        .then((s) => {
          savedTheme.current = s.theme ?? theme;
          if (s.theme && s.theme !== useSession.getState().theme) setTheme(s.theme);
        })
        .catch(() => {});
      return;
    }
    if (savedTheme.current !== null && savedTheme.current !== theme) {
      savedTheme.current = theme;
      void api()
        .call("settings.set", { theme })
        .catch(() => {});
    }
  }, [localSettings, theme, setTheme]);

  const shortcuts: Record<string, () => void> = {
    t: () => setTheme(theme === "dark" ? "light" : "dark"),
    "?": () => setShortcutsOpen(true),
    ",": () => setSettingsOpen(true),
    "/": () => (document.querySelector<HTMLElement>("[data-search]") ?? null)?.focus(),
    r: () => window.dispatchEvent(new CustomEvent("nqp:refresh")),
  };
  VIEWS.forEach((v, i) => {
    shortcuts[String(i + 1)] = () => go(v);
  });
  useShortcuts(shortcuts);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title = `${VIEW_TITLES[view]} · NQP`;
  }, [view]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="rail" aria-label="Views">
        <div className="brand" aria-hidden="true">
          <Waves size={22} />
        </div>
        <ul>
          {VIEWS.map((v, i) => (
            <li key={v}>
              <button
                type="button"
                className={`rail-btn ${v === view ? "active" : ""}`}
                aria-current={v === view ? "page" : undefined}
                onClick={() => go(v)}
                title={`${VIEW_TITLES[v]} (${i + 1})`}
                data-view={v}
              >
                <span aria-hidden="true">{ICONS[v]}</span>
                <span className="rail-label">{VIEW_TITLES[v].split(" ")[0]}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="frame">
        <header className="topbar">
          <h1 className="view-title">{VIEW_TITLES[view]}</h1>
          <div className="topbar-right">
            <ConnectionPill />
            {session && (
              <span className="pill neutral" title="your role decides what you may change">
                {session.user} · {session.role}
              </span>
            )}
            <button
              type="button"
              className="icon-btn"
              onClick={() => setShortcutsOpen(true)}
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
            >
              <Keyboard size={16} />
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => setSettingsOpen(true)}
              aria-label="Settings"
              title="Settings (,)"
              data-testid="settings-open"
            >
              <Settings size={16} />
            </button>
            <button
              type="button"
              className="icon-btn"
              onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
              aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
              title="Theme (t)"
              data-testid="theme-toggle"
            >
              {theme === "dark" ? <Sun size={16} /> : <Moon size={16} />}
            </button>
          </div>
        </header>
        <main id="main" className="main" tabIndex={-1} data-view={view}>
          {p.children}
        </main>
      </div>
      <ShortcutsDialog />
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
      <Toast />
    </div>
  );
}
