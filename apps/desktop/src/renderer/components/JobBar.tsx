import type { JobResult } from "@nqp/contract/api";
import { Play, Square } from "lucide-react";
import { duration } from "../format";
import type { JobState } from "../state/jobs";

/** Run / cancel with a progress bar and the job's last message. */
export function JobBar(p: { job: JobState<JobResult>; onRun: () => void; disabled?: boolean; runLabel?: string }) {
  const j = p.job;
  const fraction = j.progress?.fraction ?? 0;
  return (
    <div className="toolbar" style={{ marginBottom: 0 }}>
      {j.running ? (
        <button type="button" className="btn danger" onClick={j.cancel} title="Cancel (Esc)" data-testid="job-cancel">
          <Square size={14} aria-hidden="true" /> Cancel
        </button>
      ) : (
        <button
          type="button"
          className="btn primary"
          onClick={p.onRun}
          disabled={p.disabled}
          title="Run (Ctrl+Enter)"
          data-testid="job-run"
        >
          <Play size={14} aria-hidden="true" /> {p.runLabel ?? "Run"}
        </button>
      )}
      <div
        className="progress"
        role="progressbar"
        aria-label="Job progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(100 * (j.running ? fraction : j.result ? 1 : 0))}
      >
        <div style={{ width: `${100 * (j.running ? fraction : j.result ? 1 : 0)}%` }} />
      </div>
      <span className="muted" aria-live="polite" data-testid="job-status">
        {j.running
          ? `${Math.round(100 * fraction)} % · ${j.progress?.message ?? "starting"}`
          : j.error
            ? j.error.message === "cancelled"
              ? "cancelled"
              : `failed`
            : j.result
              ? `done in ${duration(j.elapsedMs ?? 0)}`
              : "ready"}
      </span>
    </div>
  );
}
