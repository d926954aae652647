import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { createDetector, NqpError } from "@nqp/core";
import { type Command, Option } from "commander";
import { detectFiles, type FileJob } from "../detect/pool";
import { action, type CommandModule } from "../shared/command";
import { integer } from "../shared/options";
import { printSummary } from "../shared/output";
import { createProgress } from "../shared/progress";

interface DetectOptions {
  input: string;
  output: string;
  seed: number;
  timeOrder: "increasing" | "file";
  workers: number;
  json?: boolean;
}

export const registerDetect: CommandModule = (program: Command) => {
  program
    .command("detect")
    .description(
      "causal streaming anomaly scores in [0, 1] for a series CSV, or for every CSV under a directory (mirrored " +
        "file by file, NAB layout); the same settings serve every file",
    )
    .requiredOption("--input <file|dir>", "series CSV (timestamp,value columns) or a directory of them")
    .requiredOption(
      "--output <file|dir>",
      "CSV to write (timestamp,value,anomaly_score), or a directory to mirror into",
    )
    .option("--seed <seed>", "random seed", integer(0), 1)
    .addOption(
      new Option(
        "--time-order <order>",
        "'increasing': repeated or backward timestamps are errors; 'file': score rows in file order whatever " +
          "their timestamps (NAB has 8 files with repeated timestamps)",
      )
        .choices(["increasing", "file"])
        .default("increasing"),
    )
    .option("--workers <n>", "worker threads for a directory (default: the number of cores)", integer(1, 256))
    .option("--json", "print a JSON summary")
    .action(action("detect", (o: DetectOptions) => run(o)));
};

async function run(o: DetectOptions): Promise<void> {
  const started = performance.now();
  let isDir: boolean;
  try {
    isDir = statSync(o.input).isDirectory();
  } catch {
    throw new NqpError("missing-input", `--input: '${o.input}' does not exist`);
  }
  const jobs: FileJob[] = isDir
    ? listCsv(o.input).map((rel) => ({ input: join(o.input, rel), output: join(o.output, rel) }))
    : [{ input: o.input, output: o.output }];
  if (isDir && jobs.length === 0) throw new NqpError("no-csv", `--input: no .csv files under '${o.input}'`);
  const outputIsDir = existsSync(o.output) && statSync(o.output).isDirectory();
  if (isDir && existsSync(o.output) && !outputIsDir)
    throw new NqpError("bad-output", `--output: '${o.output}' is a file; a directory input needs a directory`);
  if (!isDir && outputIsDir)
    throw new NqpError("bad-output", `--output: '${o.output}' is a directory; a file input needs a file to write`);
  const workers = o.workers ?? Math.max(1, availableParallelism());
  // Largest first: the last file to start is then a small one, so the threads finish together.
  jobs.sort((a, b) => statSync(b.input).size - statSync(a.input).size);

  const progress = createProgress("detect", jobs.length, { json: o.json });
  let done = 0;
  const rows = await detectFiles(jobs, { seed: o.seed, timeOrder: o.timeOrder }, workers, () =>
    progress.update(++done),
  );
  progress.stop();
  const seconds = (performance.now() - started) / 1000;
  const { threshold } = createDetector({ seed: o.seed });
  printSummary(
    o.json,
    {
      input: o.input,
      output: o.output,
      files: jobs.length,
      rows,
      seed: o.seed,
      threshold,
      workers: Math.min(workers, jobs.length),
      seconds: Math.round(seconds * 1000) / 1000,
    },
    `scored ${rows} rows in ${jobs.length} file${jobs.length === 1 ? "" : "s"} → ${o.output} (${seconds.toFixed(2)} s; ` +
      `suggested alarm threshold ${threshold})`,
  );
}

/** Every .csv under dir, as paths relative to it, in a stable order; other files are skipped. */
function listCsv(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith(".csv")) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}
