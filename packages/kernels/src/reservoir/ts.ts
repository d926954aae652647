import {
  advanceEsn,
  advanceLif,
  createLifState,
  type LifState,
  predictReadout,
  type ReservoirState,
  type RidgeReadout,
} from "@nqp/core";
import type { BatchedReadout, ReservoirKernel, ReservoirModel, ReservoirStepOptions } from "./types";
import { checkReadout, checkReservoir, checkStep } from "./validate";

/** The `ts` back end: core's batched reference steps (advanceEsn, advanceLif) and predictReadout per stream. */
export function createTsReservoirKernel(model: ReservoirModel, streams: number): ReservoirKernel {
  checkReservoir(model, streams);
  const { units: n, inputs: m } = model.params;
  let esn = new Float64Array(streams * n);
  let esnNext = new Float64Array(streams * n);
  let lif: LifState = createLifState(n, streams);
  let prevSpikes = new Uint8Array(streams * n);
  let readout: BatchedReadout | null = null;
  let perStream: RidgeReadout[] = [];
  const features = () => (model.kind === "esn" ? esn : lif.trace);

  return {
    backend: "ts",
    device: "TypeScript (core's reference, double precision)",
    kind: model.kind,
    streams,
    units: n,
    inputs: m,
    async step(inputs, options: ReservoirStepOptions = {}) {
      const steps = checkStep(inputs, options, streams, m, readout);
      const t = readout?.targets ?? 0;
      const e = readout?.extra ?? 0;
      const out = new Float64Array(steps * streams * t);
      const feat = new Float64Array(n + e);
      for (let s = 0; s < steps; s++) {
        const u = Array.prototype.slice.call(inputs, s * streams * m, (s + 1) * streams * m) as number[];
        if (model.kind === "esn") {
          advanceEsn(model.params, esn, u, esnNext, streams);
          [esn, esnNext] = [esnNext, esn];
        } else {
          prevSpikes.set(lif.spikes);
          advanceLif(model.params, prevSpikes, u, lif);
        }
        if (!readout) continue;
        const x = features();
        for (let b = 0; b < streams; b++) {
          feat.set(x.subarray(b * n, (b + 1) * n));
          for (let k = 0; k < e; k++) feat[n + k] = (options.extra as ArrayLike<number>)[(s * streams + b) * e + k];
          out.set(predictReadout(perStream[b], feat), (s * streams + b) * t);
        }
      }
      return out;
    },
    async setReadout(r) {
      if (r) checkReadout(r, streams, n);
      readout = r;
      if (!r) return;
      const f = n + r.extra;
      const w = Float64Array.from(r.weights);
      const c = Float64Array.from(r.intercept);
      perStream = Array.from({ length: streams }, (_, b) => ({
        features: f,
        targets: r.targets,
        weights: w.subarray(b * r.targets * f, (b + 1) * r.targets * f),
        intercept: c.subarray(b * r.targets, (b + 1) * r.targets),
        ridge: 0,
      }));
    },
    async features() {
      return Float64Array.from(features());
    },
    async state() {
      if (model.kind === "esn") return { batch: streams, units: n, activations: Float64Array.from(esn) };
      return {
        batch: streams,
        units: n,
        membrane: lif.membrane.slice(),
        current: lif.current.slice(),
        refractory: lif.refractory.slice(),
        spikes: lif.spikes.slice(),
        trace: lif.trace.slice(),
      };
    },
    async setState(s) {
      if (model.kind === "esn") esn.set((s as ReservoirState).activations);
      else {
        const l = s as LifState;
        lif = {
          ...l,
          membrane: l.membrane.slice(),
          current: l.current.slice(),
          refractory: l.refractory.slice(),
          spikes: l.spikes.slice(),
          trace: l.trace.slice(),
        };
        prevSpikes = new Uint8Array(streams * n);
      }
    },
    dispose() {},
  };
}
