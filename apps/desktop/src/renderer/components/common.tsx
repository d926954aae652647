import { AlertTriangle, Inbox, Loader2 } from "lucide-react";
import type { ReactNode } from "react";

export function Empty(p: { title: string; hint?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <div className="empty-icon" aria-hidden="true">
        {p.icon ?? <Inbox size={28} />}
      </div>
      <div className="empty-title">{p.title}</div>
      {p.hint && <div className="empty-hint">{p.hint}</div>}
    </div>
  );
}

export function ErrorState(p: { error: unknown; retry?: () => void }) {
  const e = p.error as { code?: string; message?: string };
  return (
    <div className="error-state" role="alert">
      <AlertTriangle size={18} aria-hidden="true" />
      <div>
        <div className="error-title">{e?.code === "offline" ? "Offline and not cached" : "Something went wrong"}</div>
        <div className="error-message">{e?.message ?? String(p.error)}</div>
      </div>
      {p.retry && (
        <button type="button" className="btn" onClick={p.retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Loading(p: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <Loader2 size={16} className="spin" aria-hidden="true" /> {p.label ?? "Loading…"}
    </div>
  );
}

export function Panel(p: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}) {
  return (
    <section className={`panel ${p.className ?? ""}`} aria-labelledby={p.id && p.title ? `${p.id}-title` : undefined}>
      {(p.title || p.actions) && (
        <div className="panel-head">
          {p.title && (
            <h2 className="panel-title" id={p.id ? `${p.id}-title` : undefined}>
              {p.title}
            </h2>
          )}
          {p.actions && <div className="panel-actions">{p.actions}</div>}
        </div>
      )}
      <div className="panel-body">{p.children}</div>
    </section>
  );
}

export function Stat(p: { label: string; value: ReactNode; tone?: "ok" | "warn" | "bad" | undefined; hint?: string }) {
  return (
    <div className="stat" title={p.hint}>
      <div className="stat-label">{p.label}</div>
      <div className={`stat-value ${p.tone ?? ""}`}>{p.value}</div>
    </div>
  );
}

export function Kbd(p: { children: ReactNode }) {
  return <kbd className="kbd">{p.children}</kbd>;
}

export function Field(p: { label: string; children: ReactNode; hint?: string; htmlFor: string }) {
  return (
    <div className="field">
      <label htmlFor={p.htmlFor}>{p.label}</label>
      {p.children}
      {p.hint && <div className="field-hint">{p.hint}</div>}
    </div>
  );
}
