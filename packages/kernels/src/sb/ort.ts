import { NqpError, pumpAt } from "@nqp/core";
import type * as Ort from "onnxruntime-node";
import { hostCopyGraph } from "../onnx/graph";
import { createOrtSession, type OrtModule, type OrtOptions, type OrtProvider, type OrtSession } from "../onnx/runtime";
import { sbEnergyGraph, sbStepsGraph } from "./onnx-graph";
import type { SbKernel, SbRunOptions, SbRunResult, SbSetup } from "./types";
import { checkSbSetup, checkSbState } from "./validate";

export interface OrtSbOptions extends OrtOptions {
  /** Most steps unrolled into one graph (default 25); a run measures energies between graphs. */
  maxUnroll?: number;
}

/** Dense couplings above this many spins do not go to ORT (n² floats as one initializer: 256 MiB at 8192). */
export const ORT_SB_MAX_SPINS = 8192;

/**
 * Batched SB as ONNX graphs on ORT (cpu: MLAS's multithreaded GEMM; webgpu and cuda: the GPU). Energies are
 * measured between graphs: at the start of a run, then every min(checkEvery, maxUnroll) steps and at its end, which
 * is where the other back ends measure too. On WebGPU, x and y stay on the device between runs.
 */
export async function createOrtSbKernel(
  ort: OrtModule,
  provider: OrtProvider,
  setup: SbSetup,
  options: OrtSbOptions = {},
): Promise<SbKernel> {
  checkSbSetup(setup);
  const { J: couplings, params, agents } = setup;
  const { n } = couplings;
  if (n > ORT_SB_MAX_SPINS)
    throw new NqpError(
      "bad-problem",
      `the ORT SB kernel takes dense couplings up to ${ORT_SB_MAX_SPINS} spins, got ${n}`,
    );
  const J = new Float32Array(n * n);
  if (couplings.format === "dense") J.set(couplings.values);
  else {
    const { rowPtr, colIndex, values } = couplings;
    for (let i = 0; i < n; i++) for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) J[i * n + colIndex[k]] = values[k];
  }
  const maxUnroll = Math.max(1, Math.floor(options.maxUnroll ?? 25));
  const onDevice = provider === "webgpu";
  const open = (model: Uint8Array, outputs?: string[]) =>
    createOrtSession(ort, model, provider, { ...options, outputsOnDevice: onDevice ? outputs : undefined });

  const graphs = new Map<number, Promise<OrtSession>>();
  const stepsSession = (k: number) => {
    let s = graphs.get(k);
    if (!s) {
      s = open(sbStepsGraph(n, J, params, agents, k), ["x_out", "y_out"]);
      graphs.set(k, s);
    }
    return s;
  };
  const energySession = await open(sbEnergyGraph(n, J, agents));
  const readSession = onDevice ? await open(hostCopyGraph({ x: [agents, n], y: [agents, n] })) : undefined;

  const tensor = (data: Float32Array) => new ort.Tensor("float32", data, [agents, n]);
  let x: Ort.Tensor = tensor(new Float32Array(agents * n));
  let y: Ort.Tensor = tensor(new Float32Array(agents * n));
  let step = 0;
  const best = new Float64Array(agents).fill(Infinity);
  const bestSpins = new Int8Array(agents * n).fill(-1);
  let last = new Float64Array(agents);

  const hostState = async (): Promise<{ x: Float32Array; y: Float32Array }> => {
    if (!readSession) return { x: x.data as Float32Array, y: y.data as Float32Array };
    const r = await readSession.session.run({ x, y });
    return { x: r.x_host.data as Float32Array, y: r.y_host.data as Float32Array };
  };
  /** Books energies of the current state; returns true when one reached the target. */
  const track = async (energy: Float32Array, target: number): Promise<boolean> => {
    last = Float64Array.from(energy);
    const improved: number[] = [];
    for (let a = 0; a < agents; a++) if (energy[a] < best[a]) improved.push(a);
    if (improved.length) {
      const xs = (await hostState()).x;
      for (const a of improved) {
        best[a] = energy[a];
        for (let i = 0; i < n; i++) bestSpins[a * n + i] = xs[a * n + i] < 0 ? -1 : 1;
      }
    }
    return energy.some((e) => e <= target);
  };
  const session = await stepsSession(Math.min(maxUnroll, params.steps));

  return {
    backend: provider === "cpu" ? "ort-cpu" : provider === "webgpu" ? "ort-webgpu" : "ort-cuda",
    device: session.device,
    n,
    agents,
    params,
    get step() {
      return step;
    },
    async setState(state, at = 0) {
      checkSbState(state, n, agents);
      x = tensor(Float32Array.from(state.x));
      y = tensor(Float32Array.from(state.y));
      step = at;
      best.fill(Infinity);
      bestSpins.fill(-1);
    },
    async run(opts: SbRunOptions): Promise<SbRunResult> {
      if (!Number.isInteger(opts.steps) || opts.steps < 0)
        throw new NqpError("bad-params", `steps must be a non-negative integer, got ${opts.steps}`);
      const checkEvery = opts.checkEvery ?? 10;
      const target = opts.targetEnergy ?? Number.NEGATIVE_INFINITY;
      const chunk = checkEvery > 0 ? Math.min(checkEvery, maxUnroll) : maxUnroll;
      let stopped = false;
      if (checkEvery > 0 || opts.steps === 0) {
        const r = await energySession.session.run({ x });
        stopped = await track(r.energy.data as Float32Array, target);
      }
      for (let done = 0; done < opts.steps && !stopped; ) {
        const k = Math.min(chunk, opts.steps - done);
        const pump = Float32Array.from({ length: k }, (_, s) => pumpAt(params, step + s));
        const { session: s } = await stepsSession(k);
        const r = await s.run({ x, y, pump: new ort.Tensor("float32", pump, [k]) });
        x = r.x_out;
        y = r.y_out;
        step += k;
        done += k;
        stopped = await track(r.energy.data as Float32Array, target);
      }
      return { step, stopped, energies: Float64Array.from(last), bestEnergies: Float64Array.from(best) };
    },
    async state() {
      const s = await hostState();
      return { x: Float64Array.from(s.x), y: Float64Array.from(s.y) };
    },
    async best() {
      return { energies: Float64Array.from(best), spins: Int8Array.from(bestSpins) };
    },
    dispose() {
      for (const s of graphs.values()) s.then((o) => o.session.release()).catch(() => {});
      energySession.session.release().catch(() => {});
      readSession?.session.release().catch(() => {});
      graphs.clear();
    },
  };
}
