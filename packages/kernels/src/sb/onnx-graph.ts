import { GraphBuilder } from "../onnx/graph";
import type { SbParams } from "./types";

/**
 * ONNX graphs of the SB step (./reference.ts has the equations), for ORT's CPU, WebGPU and CUDA providers. The
 * couplings are an initializer, so they are uploaded once per session; `steps` updates are unrolled into one graph,
 * so one run advances that many steps, and the graph ends with every agent's energy.
 */
export function sbStepsGraph(n: number, J: Float32Array, h: Float32Array | undefined, params: SbParams, steps: number) {
  const g = new GraphBuilder(`sb-${params.variant}-${steps}`);
  const B = params.agents;
  const Jn = g.tensor("J", [n, n], J);
  const hn = h ? g.tensor("h", [n], h) : undefined;
  let x = g.input("x", [B, n]);
  let y = g.input("y", [B, n]);
  const pump = g.input("pump", [steps]);
  const one = g.scalar(1);
  const minusOne = g.scalar(-1);
  const zero = g.scalar(0);
  const spin = (v: string) => g.node("Where", [g.node("GreaterOrEqual", [v, zero]), one, minusOne]);
  for (let k = 0; k < steps; k++) {
    const xi = params.variant === "dsb" ? spin(x) : x;
    let f = g.matmul(xi, Jn);
    if (hn) f = g.add(f, hn);
    let restoring = g.sub(g.scalar(params.a0), g.node("Gather", [pump, g.ints([], [k])], { axis: 0 }));
    if (params.variant === "asb") restoring = g.add(g.mul(x, x), restoring);
    y = g.add(y, g.mul(g.scalar(params.dt), g.sub(g.mul(g.scalar(params.c0), f), g.mul(restoring, x))));
    x = g.add(x, g.mul(g.scalar(params.dt * params.a0), y));
    if (params.variant !== "asb") {
      const hit = g.node("Greater", [g.node("Abs", [x]), one]);
      x = g.node("Clip", [x, minusOne, one]);
      y = g.node("Where", [hit, zero, y]);
    }
  }
  g.output(x, "x_out", [B, n]);
  g.output(y, "y_out", [B, n]);
  g.output(energyOf(g, spin(x), Jn, hn), "energy", [B]);
  return g.build();
}

/** Energies of the spins of x (for the state a run starts from). */
export function sbEnergyGraph(n: number, J: Float32Array, h: Float32Array | undefined, agents: number) {
  const g = new GraphBuilder("sb-energy");
  const Jn = g.tensor("J", [n, n], J);
  const hn = h ? g.tensor("h", [n], h) : undefined;
  const x = g.input("x", [agents, n]);
  const s = g.node("Where", [g.node("GreaterOrEqual", [x, g.scalar(0)]), g.scalar(1), g.scalar(-1)]);
  g.output(energyOf(g, s, Jn, hn), "energy", [agents]);
  return g.build();
}

/** Copies device-resident state to the host (ORT's WebGPU provider keeps x and y on the GPU between runs). */
export function sbReadGraph(n: number, agents: number) {
  const g = new GraphBuilder("sb-read");
  g.output(g.input("x", [agents, n]), "x_host", [agents, n]);
  g.output(g.input("y", [agents, n]), "y_host", [agents, n]);
  return g.build();
}

/** E = −Σ_i s_i (½ (Js)_i + h_i) per agent. */
function energyOf(g: GraphBuilder, s: string, J: string, h: string | undefined): string {
  let t = g.mul(g.scalar(0.5), g.matmul(s, J));
  if (h) t = g.add(t, h);
  const sum = g.node("ReduceSum", [g.mul(s, t), g.ints([1], [1])], { keepdims: 0 });
  return g.node("Neg", [sum]);
}
