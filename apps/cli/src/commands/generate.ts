import { formatCsv } from "@nqp/contract";
import { createRng, mackeyGlass, NqpError, narma10, sensorSeries } from "@nqp/core";
import { type Command, Option } from "commander";
import { action, type CommandModule } from "../shared/command";
import { writeTextAtomic } from "../shared/files";
import { integer } from "../shared/options";
import { printSummary } from "../shared/output";

interface GenerateOptions {
  output: string;
  n: number;
  seed: number;
  start: number;
  step: number;
  json?: boolean;
}

/** Generators by name: each returns the CSV header and columns (the timestamp column is added here). */
const generators: Record<
  string,
  (o: GenerateOptions) => {
    header: string[];
    columns: (Float64Array | number[] | string[])[];
    info: Record<string, unknown>;
    /** Epoch seconds per row, when the generator leaves gaps (dropouts); otherwise start + i·step. */
    time?: number[];
  }
> = {
  "mackey-glass": (o) => ({
    header: ["value"],
    columns: [mackeyGlass({ n: o.n })],
    info: { tau: 17, beta: 0.2, gamma: 0.1, power: 10, sampleEvery: 1 },
  }),
  narma10: (o) => {
    const { u, y } = narma10(o.n, createRng(o.seed));
    return {
      header: ["value", "input"],
      columns: [y, u],
      info: { order: 10, note: "value[t+1] depends on input[t]: forecast with --exog input" },
    };
  },
  sensor: (o) => {
    const s = sensorSeries(o.n, { startMs: o.start * 1000, stepMs: o.step * 1000 }, o.seed);
    return {
      header: ["value", "label", "fault"],
      columns: [s.value, Array.from(s.label), s.fault.map((f) => f ?? "")],
      time: Array.from(s.time, (t) => t / 1000),
      info: {
        rows: s.time.length,
        dropped: s.dropped,
        faultRows: s.label.reduce((a, b) => a + b, 0),
        note: "label is 1 while an injected fault lasts; fault names its kind; dropouts are missing rows",
      },
    };
  },
};

export const registerGenerate: CommandModule = (program: Command) => {
  program
    .command("generate")
    .description("write a benchmark series (Mackey-Glass τ=17, NARMA10) or a simulated industrial sensor stream as CSV")
    .argument("<kind>", `one of: ${Object.keys(generators).join(", ")}`)
    .requiredOption("--output <file>", "CSV file to write")
    .option("--n <rows>", "number of rows", integer(1, 100_000_000), 10_000)
    .option("--seed <seed>", "random seed", integer(0), 1)
    .addOption(
      new Option("--start <epoch-seconds>", "timestamp of the first row (epoch seconds)")
        .argParser(integer(0))
        .default(1_700_000_000),
    )
    .addOption(new Option("--step <seconds>", "seconds between rows").argParser(integer(1)).default(60))
    .option("--json", "print a JSON summary")
    .action(
      action("generate", (kind: string, o: GenerateOptions) => {
        const make = generators[kind];
        if (!make)
          throw new NqpError(
            "bad-kind",
            `unknown kind '${kind}' (expected one of: ${Object.keys(generators).join(", ")})`,
          );
        const { header, columns, info, time } = make(o);
        const ts = time ? time.map(String) : Array.from({ length: o.n }, (_, i) => String(o.start + i * o.step));
        writeTextAtomic(o.output, formatCsv(["timestamp", ...header], [ts, ...columns], { precision: 15 }));
        printSummary(
          o.json,
          { kind, output: o.output, rows: o.n, seed: o.seed, ...info },
          `wrote ${ts.length} rows of ${kind} to ${o.output}`,
        );
      }),
    );
};
