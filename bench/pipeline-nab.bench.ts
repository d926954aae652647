// The stream pipeline (createStreamPipeline, default config) over every NAB stream, as an edge agent would run it:
// one-step forecast RMSE relative to persistence, interval coverage at the nominal 0.9, non-finite outputs and the
// time per sample. Not a bar of the issue: a check that the defaults behave on real streams.
//   pnpm bench pipeline-nab
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readSeriesCsv } from "@nqp/contract";
import { createStreamPipeline } from "@nqp/core";
import { sharedDataPath, sharedDataSkipReason } from "@nqp/testkit";

const root = sharedDataPath("nab/data");
if (!root) {
  process.stdout.write(`${JSON.stringify({ skipped: sharedDataSkipReason("nab/data") })}\n`);
  process.exit(0);
}
const streams: Record<string, unknown>[] = [];
const skipped: string[] = [];
for (const group of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
  for (const file of readdirSync(join(root, group.name)).filter((f) => f.endsWith(".csv"))) {
    let table: ReturnType<typeof readSeriesCsv>;
    try {
      table = readSeriesCsv(readFileSync(join(root, group.name, file), "utf8"));
    } catch (err) {
      skipped.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    const p = createStreamPipeline();
    let se = 0;
    let sePersist = 0;
    let inside = 0;
    let scored = 0;
    let nonFinite = 0;
    const started = performance.now();
    for (let i = 0; i < table.value.length; i++) {
      const r = p.step(table.time[i], table.value[i]);
      if (r.next && ![r.next.forecast, r.next.lower, r.next.upper].every(Number.isFinite)) nonFinite++;
      if (r.forecast === null || i === 0) continue;
      se += (table.value[i] - r.forecast) ** 2;
      sePersist += (table.value[i] - table.value[i - 1]) ** 2;
      if (table.value[i] >= (r.lower as number) && table.value[i] <= (r.upper as number)) inside++;
      scored++;
    }
    streams.push({
      stream: `${group.name}/${file}`,
      rows: table.value.length,
      rmseOverPersistence: sePersist > 0 ? Math.sqrt(se / sePersist) : null,
      coverage: inside / scored,
      nonFinite,
      microsecondsPerSample: ((performance.now() - started) * 1000) / table.value.length,
    });
  }
}
const ratios = streams.map((s) => s.rmseOverPersistence as number | null).filter((x): x is number => x !== null);
const coverage = streams.map((s) => s.coverage as number);
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const q = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
process.stdout.write(
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      streams: streams.length,
      skipped,
      rmseOverPersistence: {
        min: q(ratios, 0),
        median: q(ratios, 0.5),
        max: q(ratios, 1),
        worseThan105: ratios.filter((r) => r > 1.05).length,
      },
      coverage: { min: q(coverage, 0), median: q(coverage, 0.5), max: q(coverage, 1) },
      nonFinite: streams.reduce((a, s) => a + (s.nonFinite as number), 0),
      microsecondsPerSampleMedian: q(
        streams.map((s) => s.microsecondsPerSample as number),
        0.5,
      ),
      perStream: streams,
    },
    null,
    2,
  )}\n`,
);
