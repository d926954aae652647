import cliProgress from "cli-progress";

export interface Progress {
  /** Sets the number of units done. */
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

/** A progress bar on stderr, shown only on a terminal (never in pipes, logs or --json runs). */
export function createProgress(label: string, total: number, options: { json?: boolean } = {}): Progress {
  if (!process.stderr.isTTY || options.json || total <= 0) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
