import type { LifState, ReservoirState } from "@nqp/core";
import { NqpError } from "@nqp/core";
import type * as Ort from "onnxruntime-node";
import { hostCopyGraph } from "../onnx/graph";
import { createOrtSession, type OrtModule, type OrtOptions, type OrtProvider, type OrtSession } from "../onnx/runtime";
import { reservoirGraph, stateNames } from "./onnx-graph";
import type { BatchedReadout, ReservoirKernel, ReservoirModel, ReservoirStepOptions } from "./types";
import { checkReadout, checkReservoir, checkStep } from "./validate";

const lifPlanes = { v: "membrane", i: "current", r: "refractory", s: "spikes", tr: "trace" } as const;

/**
 * The reservoir as ONNX graphs on ORT: the recurrent product as a dense GEMM (ORT has no sparse one), the rest
 * element-wise; one graph per samples-per-call count, cached. On WebGPU the state stays on the device.
 */
export async function createOrtReservoirKernel(
  ort: OrtModule,
  provider: OrtProvider,
  model: ReservoirModel,
  streams: number,
  options: OrtOptions = {},
): Promise<ReservoirKernel> {
  checkReservoir(model, streams);
  const { units: n, inputs: m } = model.params;
  const names = stateNames[model.kind];
  const onDevice = provider === "webgpu";
  let readout: BatchedReadout | null = null;
  let weights: Ort.Tensor | undefined;
  let intercepts: Ort.Tensor | undefined;
  const sessions = new Map<number, Promise<OrtSession>>();
  const session = (steps: number) => {
    let s = sessions.get(steps);
    if (!s) {
      s = createOrtSession(ort, reservoirGraph(model, streams, steps, readout), provider, {
        ...options,
        outputsOnDevice: onDevice ? names.map((x) => `${x}_out`) : undefined,
      });
      sessions.set(steps, s);
    }
    return s;
  };
  const zeros = () => new ort.Tensor("float32", new Float32Array(streams * n), [streams, n]);
  let state: Record<string, Ort.Tensor> = Object.fromEntries(names.map((x) => [x, zeros()]));
  const first = await session(1);

  let copy: Promise<OrtSession> | undefined;
  const host = async (): Promise<Record<string, Float32Array>> => {
    if (!onDevice) return Object.fromEntries(names.map((x) => [x, state[x].data as Float32Array]));
    copy ??= createOrtSession(
      ort,
      hostCopyGraph(Object.fromEntries(names.map((x) => [x, [streams, n]]))),
      provider,
      options,
    );
    const r = await (await copy).session.run(state);
    return Object.fromEntries(names.map((x) => [x, r[`${x}_host`].data as Float32Array]));
  };

  const dispose = () => {
    for (const s of sessions.values()) s.then((o) => o.session.release()).catch(() => {});
    sessions.clear();
  };

  return {
    backend: provider === "cpu" ? "ort-cpu" : provider === "webgpu" ? "ort-webgpu" : "ort-cuda",
    device: first.device,
    kind: model.kind,
    streams,
    units: n,
    inputs: m,
    async step(inputs, options: ReservoirStepOptions = {}) {
      const steps = checkStep(inputs, options, streams, m, readout);
      const feeds: Record<string, Ort.Tensor> = {
        ...state,
        u: new ort.Tensor("float32", Float32Array.from(inputs), [steps, streams, m]),
      };
      if (readout) {
        feeds.w = weights!;
        feeds.c = intercepts!;
        if (readout.extra)
          feeds.extra = new ort.Tensor("float32", Float32Array.from(options.extra!), [steps, streams, readout.extra]);
      }
      const r = await (await session(steps)).session.run(feeds);
      state = Object.fromEntries(names.map((x) => [x, r[`${x}_out`]]));
      return readout ? Float64Array.from(r.y.data as Float32Array) : new Float64Array(0);
    },
    async setReadout(r) {
      if (r) checkReadout(r, streams, n);
      readout = r;
      dispose();
      if (!r) return;
      weights = new ort.Tensor("float32", Float32Array.from(r.weights), [streams, r.targets, n + r.extra]);
      intercepts = new ort.Tensor("float32", Float32Array.from(r.intercept), [streams, r.targets]);
    },
    async features() {
      const h = await host();
      return Float64Array.from(model.kind === "esn" ? h.x : h.tr);
    },
    async state() {
      const h = await host();
      if (model.kind === "esn") return { batch: streams, units: n, activations: Float64Array.from(h.x) };
      return {
        batch: streams,
        units: n,
        membrane: Float64Array.from(h.v),
        current: Float64Array.from(h.i),
        refractory: Float64Array.from(h.r),
        spikes: Uint8Array.from(h.s),
        trace: Float64Array.from(h.tr),
      };
    },
    async setState(s) {
      const put = (from: ArrayLike<number>, what: string) => {
        if (from.length !== streams * n)
          throw new NqpError(
            "shape-mismatch",
            `state.${what} has ${from.length} values, expected streams×units = ${streams * n}`,
          );
        return new ort.Tensor("float32", Float32Array.from(from), [streams, n]);
      };
      if (model.kind === "esn") state = { x: put((s as ReservoirState).activations, "activations") };
      else {
        const l = s as LifState;
        state = Object.fromEntries(
          names.map((x) => [x, put(l[lifPlanes[x as keyof typeof lifPlanes]], lifPlanes[x as keyof typeof lifPlanes])]),
        );
      }
    },
    dispose,
  };
}
