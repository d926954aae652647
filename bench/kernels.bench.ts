// Kernels (issue 7): every back end against the TypeScript reference in the same run.
//   pnpm bench kernels                      CPU bars: batched reservoir 256 streams × 500 units, SB 2000 spins × 64 agents
//   pnpm bench kernels --gpu                GPU bars on this box's adapter (build/gpu-check.sh runs this)
//   pnpm bench kernels --gpu --software-gpu the GPU section on SwiftShader (a smoke run: its speed means nothing)
//   options: --repeat R (default 5) --streams B --units N --spins N --agents A --quick (small sizes, for a dry run)
// Other work shares the cores, so every timing is repeated: the median and the best are reported.
import {
  advanceEsn,
  advanceLif,
  createEsn,
  createIsing,
  createLif,
  createLifState,
  createRng,
  denseMatrix,
  initialSbState,
  type SbParams,
  sbAdvance,
  sbReferenceStep,
  solveIsing,
  stableTimeStep,
} from "@nqp/core";
import {
  compileReservoirWasm,
  createKernelRuntime,
  createOrtReservoirKernel,
  createOrtSbKernel,
  createWasmReservoirKernel,
  createWgslReservoirKernel,
  createWgslSbKernel,
  type ReservoirKernel,
  type ReservoirModel,
  type SbKernel,
} from "@nqp/kernels";
import { arg, flag, lowestStats } from "./lib/cli";

const quick = flag("quick");
const repeat = arg("repeat", quick ? 2 : 5);
const gpuMode = flag("gpu");
const stats = (xs: number[]) => lowestStats(xs);
const round = (x: number, d = 3) => Number(x.toPrecision(d));
async function timeIt(fn: () => Promise<void> | void, per: number) {
  await fn();
  const xs: number[] = [];
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    await fn();
    xs.push((performance.now() - t) / per);
  }
  return stats(xs);
}

/** A dense ±1 coupling matrix of the given density (K2000-like at density 1). */
function denseCouplings(n: number, density: number, seed: number) {
  const rng = createRng(seed);
  const J = denseMatrix(n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      if (rng.next() < density) {
        const v = rng.next() < 0.5 ? -1 : 1;
        J.values[i * n + j] = v;
        J.values[j * n + i] = v;
      }
  return J;
}
const sbParams = (n: number, steps: number): SbParams => ({
  variant: "ballistic",
  a0: 1,
  c0: 0.5 / Math.sqrt(n * 0.5),
  dt: 0.5,
  kerr: 1,
  heat: 0,
  steps,
});

const runtime = createKernelRuntime({ gpu: flag("software-gpu") ? { software: true } : {} });
const ort = await runtime.ort();
const out: Record<string, unknown> = {
  bench: "kernels",
  date: new Date().toISOString().slice(0, 10),
  repeat,
  node: process.version,
};

/** Milliseconds per sample of `steps` samples per call for `streams` streams through a reservoir kernel. */
async function reservoirMs(k: ReservoirKernel, streams: number, steps: number, inputs: number) {
  const u = Float64Array.from({ length: steps * streams * inputs }, (_, i) => Math.sin(i * 0.01));
  return timeIt(async () => {
    await k.step(u, { steps });
  }, steps);
}

/** The reference: core's batched step called directly (no kernel wrapper), milliseconds per sample. */
function referenceMs(model: ReservoirModel, streams: number, steps: number) {
  const n = model.params.units;
  const u = Float64Array.from({ length: streams * model.params.inputs }, (_, i) => Math.sin(i));
  if (model.kind === "esn") {
    let cur = new Float64Array(streams * n);
    let next = new Float64Array(streams * n);
    return timeIt(() => {
      for (let s = 0; s < steps; s++) {
        advanceEsn(model.params, cur, u, next, streams);
        [cur, next] = [next, cur];
      }
    }, steps);
  }
  const state = createLifState(n, streams);
  const prev = new Uint8Array(streams * n);
  return timeIt(() => {
    for (let s = 0; s < steps; s++) {
      prev.set(state.spikes);
      advanceLif(model.params, prev, u, state);
    }
  }, steps);
}

async function reservoirSection(streams: number, units: number, gpu: boolean) {
  const wasm = await compileReservoirWasm();
  const section: Record<string, unknown> = { streams, units, unit: "ms per sample (all streams)" };
  for (const kind of ["esn", "lif"] as const) {
    const model: ReservoirModel =
      kind === "esn"
        ? { kind, params: createEsn({ units, inputs: 1, seed: 1 }) }
        : { kind, params: createLif({ units, inputs: 1, seed: 1 }) };
    const steps = quick ? 3 : 20;
    const r: Record<string, unknown> = {};
    const ts = gpu ? undefined : await referenceMs(model, streams, quick ? 2 : 5);
    if (ts) r.ts = ts;
    const wasmK = createWasmReservoirKernel(wasm, model, streams);
    const wasmMs = await reservoirMs(wasmK, streams, steps, 1);
    r.wasm = wasmMs;
    const ortK = await createOrtReservoirKernel(ort, "cpu", model, streams);
    const ort1 = await reservoirMs(ortK, streams, 1, 1);
    const ort10 = await reservoirMs(ortK, streams, 10, 1);
    r["ort-cpu"] = ort1;
    r["ort-cpu, 10 samples per call"] = ort10;
    ortK.dispose();
    const bestCpu = Math.min(wasmMs.median, ort1.median, ort10.median);
    if (ts)
      r.speedup = {
        "wasm vs ts (median)": round(ts.median / wasmMs.median),
        "wasm vs ts (best)": round(ts.best / wasmMs.best),
        "ort-cpu vs ts (median)": round(ts.median / ort1.median),
      };
    if (gpu) {
      const g = await runtime.gpu();
      const k = await createWgslReservoirKernel(g, model, streams);
      const one = await reservoirMs(k, streams, 1, 1);
      const many = await reservoirMs(k, streams, steps, 1);
      r["wgsl, 1 sample per call"] = one;
      r[`wgsl, ${steps} samples per call`] = many;
      r.speedup = {
        bestCpuMsPerSample: bestCpu,
        [`wgsl (${steps} per call) vs best CPU back end, median`]: round(bestCpu / many.median),
        "wgsl (1 per call) vs best CPU back end, median": round(bestCpu / one.median),
      };
      k.dispose();
    }
    section[kind] = r;
  }
  return section;
}

async function sbCpuSection(n: number, agents: number) {
  const J = denseCouplings(n, 0.5, 7);
  const p = sbParams(n, 1000);
  const start = initialSbState(agents, n, createRng(1));
  const section: Record<string, unknown> = { spins: n, agents, density: 0.5, unit: "ms per step (all agents)" };
  // Core's reference step allocates per call and reads J through entryAt: one step is enough to time it.
  const one = { ...start, x: Float64Array.from(start.x), y: Float64Array.from(start.y) };
  const refT = performance.now();
  sbReferenceStep(J, p, one);
  section.reference = { once: round(performance.now() - refT, 4) };
  const state = { ...start, x: Float64Array.from(start.x), y: Float64Array.from(start.y) };
  const steps = quick ? 2 : 5;
  const ts = await timeIt(() => sbAdvance(J, p, state, steps), steps);
  section.ts = ts;
  const k = await createOrtSbKernel(ort, "cpu", { J, params: p, agents }, { maxUnroll: 10 });
  await k.setState(start);
  const ortMs = await timeIt(async () => {
    await k.run({ steps: 10, checkEvery: 0 });
  }, 10);
  section["ort-cpu"] = ortMs;
  section.agentStepsPerSecond = {
    ts: round((agents * 1000) / ts.median),
    "ort-cpu": round((agents * 1000) / ortMs.median),
  };
  section.speedup = {
    "ort-cpu vs ts (median)": round(ts.median / ortMs.median),
    "ort-cpu vs ts (best)": round(ts.best / ortMs.best),
  };
  k.dispose();
  return section;
}

async function sbGpuSection(n: number, agents: number) {
  const g = await runtime.gpu();
  const J = denseCouplings(n, 0.5, 7);
  const section: Record<string, unknown> = { device: g.name, spins: n };
  const measure = async (k: SbKernel, steps: number) => {
    await k.setState(initialSbState(k.agents, n, createRng(2)));
    return timeIt(async () => {
      await k.run({ steps, checkEvery: 0, measureAtEnd: false });
    }, steps);
  };
  for (const [label, a, steps, shape] of [
    ["batched", agents, quick ? 5 : 200, undefined],
    ["batched, 64-tile kernel", agents, quick ? 5 : 200, "tiled"],
    ["one agent", 1, quick ? 5 : 500, undefined],
  ] as const) {
    const k = await createWgslSbKernel(g, { J, params: sbParams(n, 100_000), agents: a }, { shape });
    const ms = await measure(k, steps);
    section[`wgsl ${label} (${a} agents)`] = {
      msPerStep: ms,
      microsecondsPerStep: round(ms.median * 1000),
      agentStepsPerSecond: round((a * 1000) / ms.median),
    };
    k.dispose();
  }
  // With energies measured every 10 steps on the device (the price of early stop).
  const k = await createWgslSbKernel(g, { J, params: sbParams(n, 100_000), agents });
  await k.setState(initialSbState(agents, n, createRng(2)));
  const checked = await timeIt(
    async () => {
      await k.run({ steps: quick ? 5 : 200, checkEvery: 10 });
    },
    quick ? 5 : 200,
  );
  section[`wgsl batched, energy every 10 steps`] = {
    msPerStep: checked,
    agentStepsPerSecond: round((agents * 1000) / checked.median),
  };
  // Time to the CPU solver's best (core's default solver, --cpu-seconds on this box's CPU, or --target E):
  // runs of a 1000-step (--schedule) dSB schedule on the device, energies every 10 steps, stopping at the target.
  const cpuSeconds = arg("cpu-seconds", quick ? 1 : 10);
  const model = createIsing({ J });
  const target = Number.isFinite(arg("target", Number.NaN))
    ? arg("target", Number.NaN)
    : (await solveIsing(model, { timeLimitMs: cpuSeconds * 1000, seed: 1 })).energy;
  const schedule = arg("schedule", quick ? 50 : 1000);
  const dsb = await createWgslSbKernel(g, {
    J,
    params: {
      ...sbParams(n, schedule),
      variant: "discrete",
      dt: Math.min(1.25, stableTimeStep(model, 1, sbParams(n, 1).c0)),
    },
    agents,
  });
  const t0 = performance.now();
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  let reached = false;
  while (!reached && performance.now() - t0 < 5000) {
    await dsb.setState(initialSbState(agents, n, createRng(10 + runs++)));
    const r = await dsb.run({ steps: schedule, checkEvery: 10, targetEnergy: target });
    best = Math.min(best, ...r.bestEnergies);
    reached = r.stopped;
  }
  section.timeToCpuBest = {
    target,
    targetFrom: Number.isFinite(arg("target", Number.NaN))
      ? "--target"
      : `core solveIsing, ${cpuSeconds} s on this CPU`,
    reached,
    ms: round(performance.now() - t0),
    runs,
    bestEnergy: best,
  };
  dsb.dispose();
  k.dispose();
  try {
    const o = await createOrtSbKernel(
      ort,
      "webgpu",
      { J, params: sbParams(n, 100_000), agents },
      { maxUnroll: 25, gpu: runtime.options.gpu },
    );
    await o.setState(initialSbState(agents, n, createRng(2)));
    const ms = await timeIt(async () => {
      await o.run({ steps: 25, checkEvery: 0 });
    }, 25);
    section[`ort-webgpu batched (${agents} agents)`] = {
      msPerStep: ms,
      agentStepsPerSecond: round((agents * 1000) / ms.median),
    };
    o.dispose();
  } catch (err) {
    section["ort-webgpu batched"] = { error: (err as Error).message };
  }
  return section;
}

if (!gpuMode) {
  out.machine = "CPU";
  out.reservoir = await reservoirSection(arg("streams", quick ? 32 : 256), arg("units", quick ? 100 : 500), false);
  out.sb = await sbCpuSection(arg("spins", quick ? 300 : 2000), arg("agents", quick ? 16 : 64));
} else {
  out.machine = (await runtime.gpu()).name;
  out.sb = await sbGpuSection(arg("spins", quick ? 256 : 2000), arg("agents", quick ? 64 : 1024));
  out.reservoir = await reservoirSection(arg("streams", quick ? 64 : 4096), arg("units", quick ? 100 : 500), true);
}
runtime.dispose();
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
