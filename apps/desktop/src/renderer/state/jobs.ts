import type { JobProgress, JobResult, JobSpec } from "@nqp/contract/api";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";

export interface JobState<R extends JobResult> {
  running: boolean;
  progress: JobProgress | null;
  /** Optimiser: best energy over time while running. */
  trace: { ms: number; energy: number }[];
  result: R | null;
  error: { code: string; message: string } | null;
  elapsedMs: number | null;
  run(spec: JobSpec): Promise<void>;
  cancel(): void;
}

/** Runs analysis jobs through the API (worker threads in Electron, a Web Worker in browsers), one at a time. */
export function useJob<R extends JobResult>(): JobState<R> {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [trace, setTrace] = useState<{ ms: number; energy: number }[]>([]);
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [elapsedMs, setElapsed] = useState<number | null>(null);
  const jobId = useRef<string | null>(null);

  useEffect(() => {
    const c = api();
    const offs = [
      c.on("jobs.progress", (p) => {
        if (p.jobId !== jobId.current) return;
        setProgress(p);
        if (p.energy !== undefined && Number.isFinite(p.energy)) {
          const e = p.energy;
          setTrace((t) => (t.length && t[t.length - 1].energy === e ? t : [...t, { ms: p.elapsedMs, energy: e }]));
        }
      }),
      c.on("jobs.done", (d) => {
        if (d.jobId !== jobId.current) return;
        jobId.current = null;
        setRunning(false);
        setResult(d.result as R);
        setElapsed(d.elapsedMs);
      }),
      c.on("jobs.failed", (d) => {
        if (d.jobId !== jobId.current) return;
        jobId.current = null;
        setRunning(false);
        setError({ code: d.code, message: d.cancelled ? "cancelled" : d.message });
      }),
    ];
    return () => {
      for (const off of offs) off();
      if (jobId.current)
        void api()
          .call("jobs.cancel", { jobId: jobId.current })
          .catch(() => {});
    };
  }, []);

  const run = useCallback(async (spec: JobSpec) => {
    if (jobId.current)
      await api()
        .call("jobs.cancel", { jobId: jobId.current })
        .catch(() => {});
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    setTrace([]);
    setElapsed(null);
    try {
      const r = await api().call("jobs.start", { spec });
      jobId.current = r.jobId;
    } catch (err) {
      setRunning(false);
      const e = err as { code?: string; message: string };
      setError({ code: e.code ?? "failed", message: e.message });
    }
  }, []);

  const cancel = useCallback(() => {
    if (jobId.current) void api().call("jobs.cancel", { jobId: jobId.current });
  }, []);

  return { running, progress, trace, result, error, elapsedMs, run, cancel };
}
