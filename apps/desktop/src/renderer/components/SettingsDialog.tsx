import type { DesktopSettingsView } from "@nqp/contract/api";
import { X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { type Theme, useSession } from "../state/session";
import { ErrorState, Field } from "./common";

/**
 * The settings panel: the theme everywhere (kept in localStorage, and in the desktop also in its settings file), and
 * in the desktop the hub's address and the token, kept by the main process (settings.get / settings.set; the token is
 * written, never read back). Saving a new hub or token reconnects at once.
 */
export function SettingsDialog(p: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const session = useSession((s) => s.session);
  const theme = useSession((s) => s.theme);
  const setTheme = useSession((s) => s.setTheme);
  const notify = useSession((s) => s.notify);
  const local = session?.local.settings === true;
  const [saved, setSaved] = useState<DesktopSettingsView | null>(null);
  const [hubUrl, setHubUrl] = useState("");
  const [token, setToken] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (p.open && !d.open) d.showModal();
    if (!p.open && d.open) d.close();
  }, [p.open]);
  useEffect(() => {
    if (!p.open || !local) return;
    setError(undefined);
    api()
      .call("settings.get", {})
      .then((s) => {
        setSaved(s);
        setHubUrl(s.hubUrl);
        setToken("");
      }, setError);
  }, [p.open, local]);

  const save = async (change: { hubUrl?: string; token?: string | null }) => {
    setBusy(true);
    setError(undefined);
    try {
      const s = await api().call("settings.set", change);
      setSaved(s);
      setToken("");
      notify("info", `Settings saved; connecting to ${s.hubUrl}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="settings-title" onClose={p.onClose} data-testid="settings">
      <div className="dialog-head">
        <h2 id="settings-title">Settings</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={p.onClose}>
          <X size={16} />
        </button>
      </div>
      <h3>Appearance</h3>
      <Field label="Theme" htmlFor="settings-theme">
        <select id="settings-theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
          <option value="dark">dark</option>
          <option value="light">light</option>
        </select>
      </Field>
      <h3>Hub</h3>
      {local ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const change: { hubUrl?: string; token?: string } = {};
            if (hubUrl.trim() !== saved?.hubUrl) change.hubUrl = hubUrl.trim();
            if (token) change.token = token;
            void save(change);
          }}
        >
          <div className="form-row">
            <Field
              label="Hub URL"
              htmlFor="settings-hub"
              hint="the hub's HTTP address, e.g. http://hub.plant.local:8080"
            >
              <input
                id="settings-hub"
                type="url"
                required
                value={hubUrl}
                onChange={(e) => setHubUrl(e.target.value)}
                style={{ minWidth: 280 }}
              />
            </Field>
            <Field
              label="Token"
              htmlFor="settings-token"
              hint={saved?.tokenSet ? "a token is saved; type a new one to replace it" : "no token saved"}
            >
              <input
                id="settings-token"
                type="password"
                autoComplete="off"
                value={token}
                placeholder={saved?.tokenSet ? "••••••••" : "nqpd_…"}
                onChange={(e) => setToken(e.target.value)}
              />
            </Field>
          </div>
          <div className="toolbar" style={{ marginTop: 10 }}>
            <button type="submit" className="btn primary" disabled={busy || !saved} data-testid="settings-save">
              Save and reconnect
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy || !saved?.tokenSet}
              onClick={() => void save({ token: null })}
            >
              Forget the token
            </button>
          </div>
          {saved && <p className="muted">Kept in {saved.file}.</p>}
        </form>
      ) : (
        <p className="muted">
          This dashboard is served by the hub at {location.origin}; it signs in with the token in the link that opened
          it (#token=…). The desktop app keeps a hub address and token of its own.
        </p>
      )}
      {error !== undefined && <ErrorState error={error} />}
    </dialog>
  );
}
