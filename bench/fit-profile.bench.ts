// Where the 500-unit, 7 000-sample fit spends its time (issue 2's fit bar), and the XᵀX kernels compared in one run:
//   pnpm bench fit-profile [--repeat 7] [--forecast]
// --forecast adds what float32 XᵀX products cost in accuracy: forecastSeries (what `nqp forecast` runs) on
// Mackey-Glass (10 000 points, seed 1) at H = 1 and H = 10 with gramPrecision "f64" and "f32" (bars: test NRMSE
// ≤ 5e-4 and ≤ 1e-3).
// Phases: running the reservoir (WebAssembly step kernel, states copied into the feature-major block), XᵀX + Xᵀy
// accumulation of those blocks, the Cholesky solve. CPU time of this process (process.cpuUsage) and wall time.
import {
  createEsn,
  createEsnKernel,
  createGram,
  createGramKernel,
  createPanelGramKernel,
  forecastSeries,
  mackeyGlass,
  ridgeScale,
  solveRidge,
} from "@nqp/core";
import { arg, flag } from "./lib/cli";

const repeat = arg("repeat", 7);
const units = 500;
const rows = 7000;
const chunk = 128;
const esn = createEsn({ units, inputs: 1, seed: 1 });
const series = mackeyGlass({ n: rows + 1 });
const mean = series.reduce((a, b) => a + b, 0) / series.length;
const u = series.map((x) => (x - mean) * 4);

function clock() {
  const cpu = process.cpuUsage();
  return { wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 };
}
function since(start: { wall: number; cpu: number }) {
  const now = clock();
  return { wall: (now.wall - start.wall) / 1000, cpu: (now.cpu - start.cpu) / 1000 };
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Number(s[Math.floor(s.length / 2)].toPrecision(3)), best: Number(s[0].toPrecision(3)) };
};

// All states, row-major, computed once for the phases after the reservoir run.
const states = new Float64Array(rows * units);
function runReservoir() {
  const reservoir = createEsnKernel(esn, 1);
  const block = new Float64Array(units * chunk);
  for (let t = 0; t < rows; t++) {
    reservoir.inputs[0] = u[t];
    reservoir.step();
    const cur = reservoir.state;
    const fill = t % chunk;
    for (let i = 0; i < units; i++) block[i * chunk + fill] = cur[i];
    states.set(cur, t * units);
  }
}

function accumulate() {
  const kernel = createGramKernel(units, chunk);
  const g = createGram(units);
  const targets = new Float64Array(kernel.stride);
  let fill = 0;
  const cols = kernel.columns;
  const stride = kernel.stride;
  for (let t = 0; t < rows; t++) {
    const o = t * units;
    for (let i = 0; i < units; i++) cols[i * stride + fill] = states[o + i];
    targets[fill] = u[t + 1];
    if (++fill === chunk) {
      kernel.accumulate(g, targets, fill);
      fill = 0;
    }
  }
  if (fill) kernel.accumulate(g, targets, fill);
  kernel.flush(g);
  return g;
}

function accumulatePanel(panelRows: number, precision: "f64" | "f32" = "f64") {
  const kernel = createPanelGramKernel(units, 1, { rows: panelRows, precision });
  if (!kernel) throw new Error("no WebAssembly SIMD");
  const g = createGram(units);
  const y = new Float64Array(1);
  for (let t = 0; t < rows; t++) {
    y[0] = u[t + 1];
    kernel.addRow(states.subarray(t * units, (t + 1) * units), y);
  }
  kernel.flush(g);
  return g;
}

const phases: Record<string, { wall: number[]; cpu: number[] }> = {};
const timed = <T>(name: string, fn: () => T): T => {
  const s = clock();
  const r = fn();
  const t = since(s);
  phases[name] ??= { wall: [], cpu: [] };
  phases[name].wall.push(t.wall);
  phases[name].cpu.push(t.cpu);
  return r;
};
for (let r = 0; r <= repeat; r++) {
  timed("reservoirRun", runReservoir);
  const g = timed("gram", accumulate);
  for (const pr of [128, 256, 512]) timed(`gramPanel${pr}`, () => accumulatePanel(pr));
  for (const pr of [128, 256]) timed(`gramPanelF32x${pr}`, () => accumulatePanel(pr, "f32"));
  timed("solve", () => solveRidge(g, { ridge: 1e-6 * ridgeScale(g) }));
  if (r === 0) for (const k of Object.keys(phases)) phases[k] = { wall: [], cpu: [] };
}

const precision: object[] = [];
if (flag("forecast")) {
  const mg = Float64Array.from(mackeyGlass({ n: 10_000 }));
  for (const horizon of [1, 10])
    for (const gramPrecision of ["f64", "f32"] as const) {
      const r = forecastSeries(mg, [], { horizon, gramPrecision, seed: 1 });
      precision.push({ horizon, gramPrecision, testNrmse: r.test.nrmse, ridge: r.chosen.ridge });
    }
}

const report = {
  date: new Date().toISOString(),
  node: process.version,
  repeat,
  loadAverageAtEnd: (await import("node:os")).loadavg(),
  seconds: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { cpu: stats(v.cpu), wall: stats(v.wall) }])),
  mackeyGlassByGramPrecision: precision.length ? precision : "not run (--forecast)",
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
