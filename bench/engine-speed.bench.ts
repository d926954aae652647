// Speed of the engine (issue 2's bars), each with a same-run numpy baseline of the same model:
//   - stepping one stream through a 500-unit echo-state reservoir (µs per sample);
//   - fitting the ridge readout of that reservoir on 7 000 samples (run the reservoir + XᵀX + solve, seconds), with
//     the packed-panel XᵀX kernel, the feature-major one it replaced, and the plain-JavaScript fallbacks;
//   - 1 000 concurrent stream pipelines of 200-unit reservoirs: resident memory (a child process, see
//     engine-memory-child.ts).
//   pnpm bench engine-speed [--repeat 7] [--streams 1000] [--units 200] [--samples 9000] [--skip-memory]
// Other work shares the 2 cores, so every timing is repeated: the median and the best are reported.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createEsn,
  createEsnKernel,
  createGram,
  createGramKernel,
  createRowGramKernel,
  mackeyGlass,
  predictReadout,
  ridgeScale,
  solveRidge,
} from "@nqp/core";
import { build } from "esbuild";
import { arg, flag } from "./lib/cli";

const repeat = arg("repeat", 7);
const units = 500;
const dir = mkdtempSync(join(tmpdir(), "nqp-bench-speed-"));
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], best: s[0], runs: xs.map((x) => Number(x.toPrecision(4))) };
};

const esn = createEsn({ units, inputs: 1, seed: 1 });
const series = mackeyGlass({ n: 7_001 });
const mean = series.reduce((a, b) => a + b, 0) / series.length;
const u = series.map((x) => (x - mean) * 4);

// 1. Stepping one stream.
/** Wall time and CPU time of this process (CPU time is what other processes' load on the 2 cores cannot inflate). */
function clock() {
  const cpu = process.cpuUsage();
  return { wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 };
}
function since(start: { wall: number; cpu: number }) {
  const now = clock();
  return { wall: now.wall - start.wall, cpu: now.cpu - start.cpu };
}

/** Steps one stream `steps` times through the WebAssembly kernel (wasm) or advanceEsn (the JavaScript loop). */
function stepOnce(steps: number, wasm: boolean) {
  const kernel = createEsnKernel(esn, 1, { wasm });
  const started = clock();
  for (let t = 0; t < steps; t++) {
    kernel.inputs[0] = u[t % 7000];
    kernel.step();
  }
  const t = since(started);
  if (!Number.isFinite(kernel.state[0])) throw new Error("non-finite state");
  return { wall: (t.wall * 1000) / steps, cpu: (t.cpu * 1000) / steps };
}
stepOnce(5000, true);
stepOnce(5000, false);
const stepRuns = Array.from({ length: repeat }, () => stepOnce(20_000, true));
const stepJsRuns = Array.from({ length: repeat }, () => stepOnce(20_000, false));

// 2. Fitting: run the reservoir over 7 000 samples, accumulate XᵀX (and Xᵀy, Σx, Σy) of its states, solve the
// ridge readout. `kernel`: "panel" is what the forecast fit runs (createRowGramKernel: the packed-panel WebAssembly
// kernel), "columns" the feature-major WebAssembly kernel it replaced (createGramKernel, 128-row blocks), "js" the
// plain-JavaScript fallbacks of both the step and XᵀX.
function fitOnce(kind: "panel" | "columns" | "js") {
  const started = clock();
  const g = createGram(units);
  const reservoir = createEsnKernel(esn, 1, { wasm: kind !== "js" });
  if (kind === "columns") {
    const chunk = 128;
    const kernel = createGramKernel(units, chunk);
    const targets = new Float64Array(kernel.stride);
    let fill = 0;
    for (let t = 0; t < 7000; t++) {
      reservoir.inputs[0] = u[t];
      reservoir.step();
      const cur = reservoir.state;
      for (let i = 0; i < units; i++) kernel.columns[i * kernel.stride + fill] = cur[i];
      targets[fill] = u[t + 1];
      if (++fill === chunk) {
        kernel.accumulate(g, targets, fill);
        fill = 0;
      }
    }
    if (fill) kernel.accumulate(g, targets, fill);
    kernel.flush(g);
  } else {
    const kernel = createRowGramKernel(units, 1, { simd: kind === "panel" });
    const y = new Float64Array(1);
    for (let t = 0; t < 7000; t++) {
      reservoir.inputs[0] = u[t];
      reservoir.step();
      y[0] = u[t + 1];
      kernel.addRow(reservoir.state, y);
    }
    kernel.flush(g);
  }
  const readout = solveRidge(g, { ridge: 1e-6 * ridgeScale(g) });
  const t = since(started);
  if (!Number.isFinite(predictReadout(readout, reservoir.state)[0]))
    throw new Error("fit produced a non-finite readout");
  return { wall: t.wall / 1000, cpu: t.cpu / 1000 };
}
fitOnce("panel");
fitOnce("columns");
// Interleaved, so that both kernels see the same load.
const fitRuns: { wall: number; cpu: number }[] = [];
const fitColumnRuns: { wall: number; cpu: number }[] = [];
for (let r = 0; r < repeat; r++) {
  fitRuns.push(fitOnce("panel"));
  fitColumnRuns.push(fitOnce("columns"));
}
const fitJsRuns = Array.from({ length: Math.min(repeat, 3) }, () => fitOnce("js"));

// The numpy baseline: the same reservoir (weights passed over), the same step and the same fit.
const weights = join(dir, "esn.json");
writeFileSync(
  weights,
  JSON.stringify({
    units,
    leak: esn.leak,
    rowStart: Array.from(esn.recurrent.rowStart),
    column: Array.from(esn.recurrent.column),
    value: Array.from(esn.recurrent.value),
    input: Array.from(esn.input),
    bias: Array.from(esn.bias),
    u: Array.from(u),
    repeat,
  }),
);
const python = `
import json, sys, time
import numpy as np
from scipy.sparse import csr_matrix
d = json.load(open(sys.argv[1]))
n = d["units"]; a = d["leak"]
W = csr_matrix((np.array(d["value"]), np.array(d["column"]), np.array(d["rowStart"])), shape=(n, n))
win = np.array(d["input"]); b = np.array(d["bias"]); u = np.array(d["u"])
def step_once(steps):
    x = np.zeros(n)
    t0 = time.perf_counter(); c0 = time.process_time()
    for t in range(steps):
        x = (1 - a) * x + a * np.tanh(W @ x + win * u[t % 7000] + b)
    return [(time.perf_counter() - t0) * 1e6 / steps, (time.process_time() - c0) * 1e6 / steps]
def fit_once():
    t0 = time.perf_counter(); c0 = time.process_time()
    x = np.zeros(n); X = np.empty((7000, n))
    for t in range(7000):
        x = (1 - a) * x + a * np.tanh(W @ x + win * u[t] + b)
        X[t] = x
    y = u[1:7001]
    Xm = X.mean(0); ym = y.mean(); Xc = X - Xm
    G = Xc.T @ Xc
    lam = 1e-6 * np.trace(G) / n
    w = np.linalg.solve(G + lam * np.eye(n), Xc.T @ (y - ym))
    return [time.perf_counter() - t0, time.process_time() - c0]
step_once(2000)
print(json.dumps({"step": [step_once(5000) for _ in range(d["repeat"])], "fit": [fit_once() for _ in range(d["repeat"])]}))
`;
const py = spawnSync("python3", ["-c", python, weights], { encoding: "utf8" });
const numpy = py.status === 0 ? JSON.parse(py.stdout) : null;

// 3. Memory of 1 000 concurrent 200-unit stream pipelines, in a fresh process (bundled, run by plain node).
let memory: unknown = "skipped (--skip-memory)";
if (!flag("skip-memory")) {
  const child = join(dir, "memory-child.mjs");
  await build({
    entryPoints: [join(import.meta.dirname, "engine-memory-child.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: child,
    tsconfig: join(import.meta.dirname, "..", "tsconfig.base.json"),
    logLevel: "silent",
  });
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", child, String(arg("streams", 1000)), String(arg("units", 200)), String(arg("samples", 9000))],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  memory = r.status === 0 ? JSON.parse(r.stdout) : { error: r.stderr };
}
rmSync(dir, { recursive: true, force: true });

const report = {
  date: new Date().toISOString(),
  node: process.version,
  repeat,
  loadAverageAtEnd: (await import("node:os")).loadavg(),
  step500: {
    bar: "≤ 8 µs per sample",
    nqpMicroseconds: { wall: stats(stepRuns.map((r) => r.wall)), cpu: stats(stepRuns.map((r) => r.cpu)) },
    nqpJavaScriptLoopMicroseconds: {
      wall: stats(stepJsRuns.map((r) => r.wall)),
      cpu: stats(stepJsRuns.map((r) => r.cpu)),
    },
    numpyScipyMicroseconds: numpy
      ? { wall: stats(numpy.step.map((r: number[]) => r[0])), cpu: stats(numpy.step.map((r: number[]) => r[1])) }
      : "python3 with numpy/scipy not available",
  },
  fit7000x500: {
    bar: "≤ 0.1 s",
    nqpSeconds: { wall: stats(fitRuns.map((r) => r.wall)), cpu: stats(fitRuns.map((r) => r.cpu)) },
    nqpSecondsFeatureMajorKernel: {
      wall: stats(fitColumnRuns.map((r) => r.wall)),
      cpu: stats(fitColumnRuns.map((r) => r.cpu)),
    },
    nqpSecondsWithoutWasm: { wall: stats(fitJsRuns.map((r) => r.wall)), cpu: stats(fitJsRuns.map((r) => r.cpu)) },
    numpySeconds: numpy
      ? { wall: stats(numpy.fit.map((r: number[]) => r[0])), cpu: stats(numpy.fit.map((r: number[]) => r[1])) }
      : "python3 with numpy/scipy not available",
  },
  memory,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
