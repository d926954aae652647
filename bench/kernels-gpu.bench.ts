// Kernels on a real GPU (issue 7's GPU bars), every variant in one run: each kernel variant is first checked against
// the TypeScript reference on this adapter, then timed; the best passing variant per bar is reported.
//   pnpm bench kernels-gpu                   the full run (SB 2000 spins × 1024 agents, one agent, time to the CPU
//                                            solver's best, reservoirs 4096 × 500 against this box's CPU back ends)
//   pnpm bench kernels-gpu --software --quick  a dry run on SwiftShader with small sizes (numbers mean nothing)
//   options: --repeat R (default 5) --target E (energy to reach; default: core's solveIsing for --cpu-seconds, 10)
//            --only sb,one,solve,reservoir,ort (sections) --budget S (stop starting new sections after S seconds)
//            --no-robustness (Dawn's disable_robustness toggle) --partial FILE (the JSON so far, rewritten after every section)
// JSON on stdout; progress and a summary table on stderr. build/gpu-pack.sh packs this for a machine without Node.
import { writeFileSync } from "node:fs";
import {
  createEsn,
  createIsing,
  createLif,
  createRng,
  denseMatrix,
  initialSbState,
  type SbParams,
  type SbState,
  type SbVariant,
  type SquareMatrix,
  sbAdvance,
  solveIsing,
  stableTimeStep,
} from "@nqp/core";
import {
  compileReservoirWasm,
  createKernelRuntime,
  createOrtReservoirKernel,
  createOrtSbKernel,
  createTsReservoirKernel,
  createWasmReservoirKernel,
  createWgslReservoirKernel,
  createWgslSbKernel,
  probeTensorConvention,
  type ReservoirKernel,
  type ReservoirModel,
  type WgslSbOptions,
} from "@nqp/kernels";
import { arg, flag, lowestStats } from "./lib/cli";

const args = process.argv.slice(2);
const quick = flag("quick");
const repeat = arg("repeat", quick ? 2 : 5);
const only = (() => {
  const i = args.indexOf("--only");
  return i >= 0 ? new Set(args[i + 1].split(",")) : undefined;
})();
const budgetMs = arg("budget", 1e9) * 1000;
const started = performance.now();
const log = (msg: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const r4 = (x: number) => Number(x.toPrecision(4));
const stats = (xs: number[]) => lowestStats(xs, r4);
async function timeIt(fn: () => Promise<void> | void, per: number, times = repeat) {
  await fn();
  const xs: number[] = [];
  for (let r = 0; r < times; r++) {
    const t = performance.now();
    await fn();
    xs.push((performance.now() - t) / per);
  }
  return stats(xs);
}

/** A dense ±1 coupling matrix of the given density (K2000-like at density 1); the same as `pnpm bench kernels`. */
function denseCouplings(n: number, density: number, seed: number): SquareMatrix {
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
const sbParams = (n: number, steps: number, variant: SbVariant = "ballistic"): SbParams => ({
  variant,
  a0: 1,
  c0: 0.5 / Math.sqrt(n * 0.5),
  dt: 0.5,
  kerr: 1,
  heat: 0,
  steps,
});

// allow_unsafe_apis: Dawn exposes its experimental subgroup matrices (the tensor-core kernel) only with it.
// --no-robustness: also Dawn's disable_robustness toggle (no bounds clamping of buffer accesses; the kernels index
// within their padded buffers by construction), to measure what the clamping costs.
const dawnFlags = flag("no-unsafe")
  ? []
  : [`enable-dawn-features=allow_unsafe_apis${flag("no-robustness") ? ",disable_robustness" : ""}`];
const runtime = createKernelRuntime({ gpu: flag("software") ? { software: true, dawnFlags } : { dawnFlags } });
const gpu = await runtime.gpu();
const out: Record<string, unknown> = {
  bench: "kernels-gpu",
  date: new Date().toISOString(),
  node: process.version,
  device: gpu.name,
  adapter: gpu.adapter,
  shaderF16: gpu.hasF16,
  subgroups: gpu.hasSubgroups,
  subgroupMatrixConfigs: gpu.subgroupMatrixConfigs,
  dawnFlags,
  cpus: (await import("node:os")).cpus().length,
  cpuModel: (await import("node:os")).cpus()[0]?.model,
};
log(`device: ${gpu.name}; shader-f16 ${gpu.hasF16}; subgroups ${gpu.hasSubgroups}`);
const summary: string[] = [];
const section = async (name: string, fn: () => Promise<unknown>) => {
  if (only && !only.has(name)) return;
  if (performance.now() - started > budgetMs) {
    out[name] = { skipped: "time budget spent" };
    return;
  }
  log(`section ${name}`);
  try {
    out[name] = await fn();
  } catch (err) {
    out[name] = { error: (err as Error).message };
    log(`section ${name} failed: ${(err as Error).stack}`);
  }
  // --partial FILE: the results so far after every section, in case the run is cut short.
  const pi = args.indexOf("--partial");
  if (pi >= 0) writeFileSync(args[pi + 1], `${JSON.stringify(out, null, 2)}\n`);
};

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) ? Infinity : m;
};

/**
 * Parity of one SB kernel variant on this adapter: 30 steps from a random start against core's sbAdvance (float64),
 * which the unit tests hold to core's reference step. Tolerance 1e-4 (float32 rounding over 30 chaotic steps;
 * measured ≈ 3e-7 on SwiftShader), and every measured energy equal to the energy of the spins read back.
 */
async function sbParity(J: SquareMatrix, params: SbParams, agents: number, options: WgslSbOptions) {
  const k = await createWgslSbKernel(gpu, { J, params, agents }, options);
  try {
    const start = initialSbState(agents, J.n, createRng(11));
    await k.setState(start);
    const r = await k.run({ steps: 30, checkEvery: 10 });
    const ref: SbState = { ...start, x: Float64Array.from(start.x), y: Float64Array.from(start.y) };
    sbAdvance(J, params, ref, 30);
    const got = await k.state();
    const dx = maxDiff(got.x, ref.x);
    const dy = maxDiff(got.y, ref.y);
    // Energy of the final spins, from the reference's x (same signs where the trajectories agree).
    let de = 0;
    const n = J.n;
    for (let a = 0; a < agents; a++) {
      let e = 0;
      for (let i = 0; i < n; i++) {
        const si = got.x[a * n + i] < 0 ? -1 : 1;
        let f = 0;
        for (let j = 0; j < n; j++) f += J.values[i * n + j] * (got.x[a * n + j] < 0 ? -1 : 1);
        e -= 0.5 * si * f;
      }
      de = Math.max(de, Math.abs(e - r.energies[a]));
    }
    return { ok: dx < 1e-4 && dy < 1e-4 && de < 1e-3, maxDiffX: dx, maxDiffY: dy, maxDiffEnergy: de };
  } finally {
    k.dispose();
  }
}

type Variant = { label: string; variant: SbVariant; options: WgslSbOptions };
const batchedVariants: Variant[] = [
  // What createWgslSbKernel picks by itself (the defaults), then every variant by name.
  { label: "dSB default shape", variant: "discrete", options: {} },
  { label: "bSB default shape", variant: "ballistic", options: {} },
  { label: "bSB tiled64 f32-J", variant: "ballistic", options: { shape: "tiled", precision: "f32" } },
  { label: "bSB tiled128 f32-J", variant: "ballistic", options: { shape: "tiled128", precision: "f32" } },
  { label: "bSB tiled128 f16-J", variant: "ballistic", options: { shape: "tiled128", precision: "f16" } },
  { label: "dSB tiled128 f16-J", variant: "discrete", options: { shape: "tiled128", precision: "f16" } },
  { label: "dSB int8 (dot4I8Packed)", variant: "discrete", options: { shape: "int8" } },
  { label: "dSB tensor-i8 4x4", variant: "discrete", options: { shape: "tensor", tensorTiles: [4, 4] } },
  {
    label: "dSB tensor-i8 4x4 split 2",
    variant: "discrete",
    options: { shape: "tensor", tensorTiles: [4, 4], tensorSplit: 2 },
  },
  {
    label: "dSB tensor-i8 staged 4x4",
    variant: "discrete",
    options: { shape: "tensor", tensorTiles: [4, 4], tensorStaged: true },
  },
  {
    label: "dSB tensor-i8 staged 4x4 split 2",
    variant: "discrete",
    options: { shape: "tensor", tensorTiles: [4, 4], tensorSplit: 2, tensorStaged: true },
  },
  {
    label: "dSB tensor-i8 staged 2x2 split 2",
    variant: "discrete",
    options: { shape: "tensor", tensorTiles: [2, 2], tensorSplit: 2, tensorStaged: true },
  },
  {
    label: "dSB tensor-i8 staged 2x4",
    variant: "discrete",
    options: { shape: "tensor", tensorTiles: [2, 4], tensorStaged: true },
  },
  {
    label: "bSB tensor-i8 3 planes 2x4 split 4",
    variant: "ballistic",
    options: { shape: "tensor", tensorTiles: [2, 4], tensorSplit: 4 },
  },
  {
    label: "bSB tensor-i8 3 planes staged 2x2",
    variant: "ballistic",
    options: { shape: "tensor", tensorTiles: [2, 2], tensorStaged: true },
  },
  {
    label: "bSB tensor-i8 3 planes staged 2x2 split 2",
    variant: "ballistic",
    options: { shape: "tensor", tensorTiles: [2, 2], tensorSplit: 2, tensorStaged: true },
  },
];

const n = arg("spins", quick ? 256 : 2000);
const agentsBatched = arg("agents", quick ? 128 : 1024);
const J = denseCouplings(n, 0.5, 7);
const parityJ = denseCouplings(quick ? 130 : 300, 0.5, 5);
const parityCache = new Map<string, unknown>();
async function parityOf(v: Variant, agents: number) {
  const key = `${v.label}/${agents}`;
  if (!parityCache.has(key)) {
    try {
      parityCache.set(key, await sbParity(parityJ, sbParams(parityJ.n, 1000, v.variant), agents, v.options));
    } catch (err) {
      parityCache.set(key, { ok: false, error: (err as Error).message });
    }
  }
  return parityCache.get(key) as { ok: boolean };
}

async function sbRate(v: Variant, agents: number, steps: number) {
  const k = await createWgslSbKernel(gpu, { J, params: sbParams(n, 1_000_000, v.variant), agents }, v.options);
  try {
    await k.setState(initialSbState(agents, n, createRng(2)));
    const ms = await timeIt(async () => {
      await k.run({ steps, checkEvery: 0, measureAtEnd: false });
    }, steps);
    return {
      msPerStep: ms,
      microsecondsPerStep: r4(ms.median * 1000),
      agentStepsPerSecond: r4((agents * 1000) / ms.median),
      agentStepsPerSecondBest: r4((agents * 1000) / ms.best),
      tflops: r4((2 * n * n * agents) / (ms.median * 1e-3) / 1e12),
    };
  } finally {
    k.dispose();
  }
}

/** Keeps the GPU busy for about 2 s, so that its clocks leave idle before anything is timed. */
async function warmUp() {
  const k = await createWgslSbKernel(gpu, { J, params: sbParams(n, 1_000_000), agents: agentsBatched });
  await k.setState(initialSbState(agentsBatched, n, createRng(3)));
  const t = performance.now();
  while (performance.now() - t < (quick ? 100 : 2000)) await k.run({ steps: 100, checkEvery: 0, measureAtEnd: false });
  k.dispose();
}
await warmUp();

await section("sb", async () => {
  const res: Record<string, unknown> = { spins: n, agents: agentsBatched, density: 0.5, unit: "per step, all agents" };
  const steps = quick ? 4 : 300;
  try {
    const layout = gpu.layout([["uniform", "read", "read", "read", "read", "rw", "rw"], ["dynamic-uniform"]]);
    out.tensorConvention = await probeTensorConvention(
      gpu,
      { M: 16, N: 16, K: 32, rowTiles: 1, agentTiles: 1, split: 1 },
      layout,
    );
  } catch (err) {
    out.tensorConvention = { error: (err as Error).message };
  }
  log(`tensor convention: ${JSON.stringify(out.tensorConvention).slice(0, 3000)}`);
  for (const v of batchedVariants) {
    const parity = await parityOf(v, 128);
    let rate: unknown;
    try {
      rate = await sbRate(v, agentsBatched, steps);
    } catch (err) {
      rate = { error: (err as Error).message };
    }
    res[v.label] = { parity, ...(rate as object) };
    const r = rate as { agentStepsPerSecond?: number; microsecondsPerStep?: number; tflops?: number };
    log(
      `  ${v.label}: parity ${parity.ok}; ${r.agentStepsPerSecond ?? "-"} agent-steps/s, ${r.microsecondsPerStep} µs`,
    );
    summary.push(
      `SB ${n}x${agentsBatched} ${v.label}: ${r.agentStepsPerSecond ?? JSON.stringify(rate)} agent-steps/s (${r.tflops} TFLOP/s) parity ${parity.ok}`,
    );
  }
  return res;
});

await section("one", async () => {
  const res: Record<string, unknown> = { spins: n, unit: "µs per step, one agent" };
  const steps = quick ? 4 : 2000;
  const oneVariants: Variant[] = [
    { label: "bSB matvec default (int8-J)", variant: "ballistic", options: {} },
    { label: "dSB matvec default (int8-J)", variant: "discrete", options: {} },
    { label: "bSB matvec f32-J", variant: "ballistic", options: { shape: "matvec", precision: "f32" } },
    { label: "dSB matvec f32-J", variant: "discrete", options: { shape: "matvec", precision: "f32" } },
    {
      label: "bSB matvec f32-J, 4096 steps per submission",
      variant: "ballistic",
      options: { shape: "matvec", precision: "f32", stepsPerSubmission: 4096 },
    },
    { label: "bSB matvec f16-J", variant: "ballistic", options: { shape: "matvec", precision: "f16" } },
  ];
  for (const v of oneVariants) {
    const parity = await parityOf(v, 1);
    let rate: unknown;
    try {
      rate = await sbRate(v, 1, steps);
    } catch (err) {
      rate = { error: (err as Error).message };
    }
    res[v.label] = { parity, ...(rate as object) };
    const r = rate as { microsecondsPerStep?: number };
    log(`  ${v.label}: parity ${parity.ok}; ${r.microsecondsPerStep ?? JSON.stringify(rate)} µs/step`);
    summary.push(
      `SB one agent ${v.label}: ${r.microsecondsPerStep ?? JSON.stringify(rate)} µs/step parity ${parity.ok}`,
    );
  }
  return res;
});

await section("solve", async () => {
  // Time to the CPU solver's best cut: dSB runs on the device with energies every `check` steps and the early stop,
  // restarting from new random states until one agent reaches the target.
  const model = createIsing({ J });
  const cpuSeconds = arg("cpu-seconds", quick ? 1 : 10);
  // --target E1,E2: energies found by the CPU solver elsewhere (e.g. core's solveIsing for 10 s and 60 s).
  const ti = args.indexOf("--target");
  const given = ti >= 0 ? args[ti + 1].split(",").map(Number) : [];
  const targets = given.length
    ? given
    : [(await solveIsing(model, { timeLimitMs: cpuSeconds * 1000, seed: 1 })).energy];
  const res: Record<string, unknown> = {
    spins: n,
    targets,
    targetFrom: given.length ? "--target" : `core solveIsing, ${cpuSeconds} s on this CPU`,
  };
  const dt = Math.min(1.25, stableTimeStep(model, 1, sbParams(n, 1).c0));
  const configs = quick
    ? [{ shape: "int8" as const, agents: 128, schedule: 50, check: 10, split: 1 }]
    : [
        { shape: undefined, agents: 128, schedule: 150, check: 10, split: undefined, staged: undefined },
        { shape: undefined, agents: 128, schedule: 300, check: 10, split: undefined, staged: undefined },
        { shape: "int8" as const, agents: 128, schedule: 150, check: 10, split: 1, staged: false },
        { shape: "int8" as const, agents: 128, schedule: 300, check: 10, split: 1 },
        { shape: "tensor" as const, agents: 128, schedule: 150, check: 10, split: 1 },
        { shape: "tensor" as const, agents: 128, schedule: 300, check: 10, split: 1 },
        { shape: "tensor" as const, agents: 128, schedule: 150, check: 10, split: 4 },
        { shape: "tensor" as const, agents: 128, schedule: 300, check: 10, split: 4 },
        { shape: "tensor" as const, agents: 128, schedule: 150, check: 10, split: 4, staged: true },
        { shape: "tensor" as const, agents: 128, schedule: 300, check: 10, split: 4, staged: true },
      ];
  const trials = quick ? 1 : 3;
  const capMs = quick ? 2000 : 1000;
  for (const c of configs)
    for (const target of targets) {
      const label = `${c.shape ?? "default shape"}${c.staged ? " staged" : ""}${(c.split ?? 1) > 1 ? ` split ${c.split}` : ""} ${c.agents} agents, ${c.schedule}-step schedule, check every ${c.check}, target ${target}`;
      try {
        const t0 = performance.now();
        const k = await createWgslSbKernel(
          gpu,
          { J, params: { ...sbParams(n, c.schedule), variant: "discrete", dt }, agents: c.agents },
          { shape: c.shape, stepsPerSubmission: c.schedule, tensorSplit: c.split, tensorStaged: c.staged },
        );
        // Compile and upload outside the timed solve; one warm-up run.
        await k.setState(initialSbState(c.agents, n, createRng(99)));
        await k.run({ steps: c.schedule, checkEvery: c.check });
        const setupMs = performance.now() - t0;
        const times: number[] = [];
        const runsUsed: number[] = [];
        let reachedAll = true;
        let bestSeen = Infinity;
        // Host time spent drawing and uploading random starting states (inside msToTarget).
        let hostMs = 0;
        for (let trial = 0; trial < trials; trial++) {
          const t = performance.now();
          let runs = 0;
          let reached = false;
          while (!reached && performance.now() - t < capMs) {
            const h = performance.now();
            await k.setState(initialSbState(c.agents, n, createRng(1000 * trial + runs++)));
            hostMs += performance.now() - h;
            const r = await k.run({ steps: c.schedule, checkEvery: c.check, targetEnergy: target });
            reached = r.stopped;
            for (const e of r.bestEnergies) bestSeen = Math.min(bestSeen, e);
          }
          if (!reached) reachedAll = false;
          times.push(reached ? performance.now() - t : Infinity);
          runsUsed.push(runs);
          if (!reached) break; // a target out of reach in the cap: no more trials
        }
        k.dispose();
        const finite = times.filter(Number.isFinite);
        res[label] = {
          setupMs: r4(setupMs),
          reachedTrials: finite.length,
          trials: times.length,
          msToTarget: times.map((x) => (Number.isFinite(x) ? r4(x) : null)),
          medianMs: finite.length === times.length ? stats(times).median : null,
          bestMs: finite.length ? r4(Math.min(...finite)) : null,
          runsUsed,
          bestEnergySeen: bestSeen,
          hostMsPerTrial: r4(hostMs / times.length),
          reachedAll,
        };
        log(`  ${label}: ${JSON.stringify(res[label])}`);
        summary.push(
          `solve: ${label}: reached ${finite.length}/${times.length}, ms ${times.map((x) => (Number.isFinite(x) ? x.toFixed(1) : "-")).join(" ")}`,
        );
      } catch (err) {
        res[label] = { error: (err as Error).message };
        log(`  ${label}: ${(err as Error).message}`);
      }
    }
  return res;
});

async function reservoirMs(k: ReservoirKernel, streams: number, steps: number, times = repeat) {
  const u = Float64Array.from({ length: steps * streams }, (_, i) => Math.sin(i * 0.01));
  return timeIt(
    async () => {
      await k.step(u, { steps });
    },
    steps,
    times,
  );
}

await section("reservoir", async () => {
  const streams = arg("streams", quick ? 64 : 4096);
  const units = arg("units", quick ? 100 : 500);
  const res: Record<string, unknown> = { streams, units, unit: "ms per sample (all streams)" };
  const wasm = await compileReservoirWasm();
  const ort = await runtime.ort();
  for (const kind of ["esn", "lif"] as const) {
    const model: ReservoirModel =
      kind === "esn"
        ? { kind, params: createEsn({ units, inputs: 1, seed: 1 }) }
        : { kind, params: createLif({ units, inputs: 1, seed: 1 }) };
    const r: Record<string, unknown> = {};
    // Parity on the device: 5 samples against the TypeScript kernel (float64), features within 1e-4.
    const g = await createWgslReservoirKernel(gpu, model, streams);
    const ts = await createTsReservoirKernel(model, streams);
    const u = Float64Array.from({ length: 5 * streams }, (_, i) => Math.sin(i * 0.37));
    await g.step(u, { steps: 5 });
    await ts.step(u, { steps: 5 });
    const diff = maxDiff(await g.features(), await ts.features());
    r.parity = { ok: diff < 1e-4, maxDiffFeatures: diff };
    ts.dispose();
    const wgsl: Record<string, unknown> = {};
    let bestGpu = Infinity;
    for (const per of quick ? [1, 5] : [1, 20, 100]) {
      const ms = await reservoirMs(g, streams, per);
      wgsl[`${per} samples per call`] = ms;
      bestGpu = Math.min(bestGpu, ms.median);
    }
    r.wgsl = wgsl;
    g.dispose();
    const cpu: Record<string, unknown> = {};
    const wk = createWasmReservoirKernel(wasm, model, streams);
    const w = await reservoirMs(wk, streams, quick ? 2 : 5, quick ? 2 : 3);
    cpu["wasm (1 thread)"] = w;
    wk.dispose();
    let ortBest = Infinity;
    try {
      const ok = await createOrtReservoirKernel(ort, "cpu", model, streams);
      for (const per of [1, 10]) {
        const ms = await reservoirMs(ok, streams, per, 3);
        cpu[`ort-cpu (${runtime.options.threads ?? "all"} threads), ${per} samples per call`] = ms;
        ortBest = Math.min(ortBest, ms.median);
      }
      ok.dispose();
    } catch (err) {
      cpu["ort-cpu"] = { error: (err as Error).message };
    }
    r.cpu = cpu;
    const bestCpu = Math.min(w.median, ortBest);
    r.bestGpuMsPerSample = bestGpu;
    r.bestCpuMsPerSample = bestCpu;
    r.speedupVsBestCpu = r4(bestCpu / bestGpu);
    log(`  ${kind}: parity ${diff}; GPU ${bestGpu} ms/sample, best CPU ${bestCpu}: ${r4(bestCpu / bestGpu)}×`);
    summary.push(
      `reservoir ${kind} ${streams}x${units}: wgsl ${bestGpu} ms/sample, best CPU ${bestCpu} (wasm ${w.median}, ort ${ortBest}): ${r4(bestCpu / bestGpu)}x; parity ${diff}`,
    );
    res[kind] = r;
  }
  return res;
});

await section("ort", async () => {
  const ort = await runtime.ort();
  const o = await createOrtSbKernel(
    ort,
    "webgpu",
    { J, params: sbParams(n, 1_000_000), agents: agentsBatched },
    { maxUnroll: 25, gpu: runtime.options.gpu },
  );
  await o.setState(initialSbState(agentsBatched, n, createRng(2)));
  const ms = await timeIt(
    async () => {
      await o.run({ steps: 25, checkEvery: 0 });
    },
    25,
    3,
  );
  o.dispose();
  summary.push(`ort-webgpu SB ${n}x${agentsBatched}: ${r4((agentsBatched * 1000) / ms.median)} agent-steps/s`);
  return { msPerStep: ms, agentStepsPerSecond: r4((agentsBatched * 1000) / ms.median) };
});

out.elapsedSeconds = r4((performance.now() - started) / 1000);
runtime.dispose();
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
process.stderr.write(`\nSUMMARY (${gpu.name})\n${summary.join("\n")}\n`);
process.exit(0);
