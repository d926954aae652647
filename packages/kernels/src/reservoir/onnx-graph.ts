import type { CsrMatrix } from "@nqp/core/reservoir/sparse";
import { GraphBuilder } from "../onnx/graph";
import type { ReservoirModel } from "./types";

/** Dense Wᵀ (units × units) of a CSR recurrent matrix: ORT has no sparse product, and X·Wᵀ is one GEMM. */
export function denseTransposed(w: CsrMatrix): Float32Array {
  const out = new Float32Array(w.rows * w.cols);
  for (let i = 0; i < w.rows; i++)
    for (let p = w.rowStart[i]; p < w.rowStart[i + 1]; p++) out[w.column[p] * w.rows + i] = w.value[p];
  return out;
}

/** Names of the state tensors of each reservoir kind (inputs `<name>`, outputs `<name>_out`). */
export const stateNames = { esn: ["x"], lif: ["v", "i", "r", "s", "tr"] } as const;

/**
 * `steps` samples of core's reservoir step for `streams` streams, unrolled, then (with a readout) every step's
 * outputs: inputs u [steps, streams, inputs], extra [steps, streams, extra], readout weights w [streams, targets,
 * features] and intercepts c [streams, targets]; outputs the new state and y [steps, streams, targets].
 */
export function reservoirGraph(
  model: ReservoirModel,
  streams: number,
  steps: number,
  readout: { targets: number; extra: number } | null,
) {
  const p = model.params;
  const n = p.units;
  const g = new GraphBuilder(`reservoir-${model.kind}-${steps}`);
  const Wt = g.tensor("Wt", [n, n], denseTransposed(p.recurrent));
  const WinT = g.tensor("WinT", [p.inputs, n], transpose(p.input, n, p.inputs));
  const bias = g.tensor("bias", [n], Float32Array.from(p.bias));
  const U = g.input("u", [steps, streams, p.inputs]);
  const names = stateNames[model.kind];
  const state: Record<string, string> = {};
  for (const name of names) state[name] = g.input(name, [streams, n]);
  const w = readout ? g.input("w", [streams, readout.targets, n + readout.extra]) : "";
  const c = readout ? g.input("c", [streams, readout.targets]) : "";
  const E = readout?.extra ? g.input("extra", [steps, streams, readout.extra]) : "";
  const ys: string[] = [];
  const one = g.scalar(1);
  const zero = g.scalar(0);
  for (let k = 0; k < steps; k++) {
    const uk = g.node("Gather", [U, g.ints([], [k])], { axis: 0 });
    const inputDrive = g.matmul(uk, WinT);
    if (model.kind === "esn") {
      const s = g.add(g.add(bias, inputDrive), g.matmul(state.x, Wt));
      state.x = g.add(
        g.mul(g.scalar(1 - model.params.leak), state.x),
        g.mul(g.scalar(model.params.leak), tanhPade(g, s)),
      );
    } else {
      const q = model.params;
      const cur = g.add(g.mul(g.scalar(q.synapseDecay), state.i), g.add(inputDrive, g.matmul(state.s, Wt)));
      const inRef = g.node("Greater", [state.r, zero]);
      const cand = g.add(
        g.mul(g.scalar(q.membraneDecay), state.v),
        g.mul(g.scalar(1 - q.membraneDecay), g.add(cur, bias)),
      );
      const fire = g.node("And", [g.node("GreaterOrEqual", [cand, g.scalar(q.threshold)]), g.node("Not", [inRef])]);
      const spikes = g.node("Cast", [fire], { to: 1 });
      state.v = g.node("Where", [g.node("Or", [inRef, fire]), g.scalar(q.reset), cand]);
      state.r = g.node("Where", [
        inRef,
        g.sub(state.r, one),
        g.node("Where", [fire, g.scalar(q.refractorySteps), state.r]),
      ]);
      state.i = cur;
      state.s = spikes;
      state.tr = g.add(g.mul(g.scalar(q.traceDecay), state.tr), g.mul(g.scalar(1 - q.traceDecay), spikes));
    }
    if (readout) {
      let feat = model.kind === "esn" ? state.x : state.tr;
      if (readout.extra)
        feat = g.node("Concat", [feat, g.node("Gather", [E, g.ints([], [k])], { axis: 0 })], { axis: 1 });
      const prod = g.matmul(w, g.node("Unsqueeze", [feat, g.ints([1], [2])]));
      ys.push(g.node("Unsqueeze", [g.add(g.node("Squeeze", [prod, g.ints([1], [2])]), c), g.ints([1], [0])]));
    }
  }
  for (const name of names) g.output(state[name], `${name}_out`, [streams, n]);
  if (readout)
    g.output(ys.length > 1 ? g.node("Concat", ys, { axis: 0 }) : ys[0], "y", [steps, streams, readout.targets]);
  return g.build();
}

/** core's reservoirTanh: the [7/6] Padé approximant of tanh, clamped to ±1 beyond |x| > 4.97. */
function tanhPade(g: GraphBuilder, x: string): string {
  const x2 = g.mul(x, x);
  const horner = (coefficients: number[], innermost: string) =>
    coefficients.reduceRight((acc, a) => g.add(g.scalar(a), g.mul(x2, acc)), innermost);
  const num = g.mul(x, horner([135135, 17325], g.add(g.scalar(378), x2)));
  const den = horner([135135, 62370], g.add(g.scalar(3150), g.mul(g.scalar(28), x2)));
  const r = g.node("Div", [num, den]);
  const hi = g.node("Where", [g.node("Greater", [x, g.scalar(4.97)]), g.scalar(1), r]);
  return g.node("Where", [g.node("Less", [x, g.scalar(-4.97)]), g.scalar(-1), hi]);
}

function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}
