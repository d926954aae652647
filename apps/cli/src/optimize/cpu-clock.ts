/**
 * Milliseconds of this process's CPU time divided by `share` (the worker count): every thread of a process sees the
 * same process-wide total, so splitting it evenly is the per-worker budget when workers run alike. On a machine
 * shared with other work this measures the work done, where the wall clock also counts the waiting.
 */
export function cpuClock(share: number): () => number {
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000 / share;
  };
}
