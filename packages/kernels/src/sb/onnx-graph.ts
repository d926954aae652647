import type { SbParams } from "@nqp/core";
import { GraphBuilder } from "../onnx/graph";

/**
 * ONNX graphs of core's SB step (sbReferenceStep), for ORT's CPU, WebGPU and CUDA providers. The couplings are an
 * initializer, so they are uploaded once per session; `steps` updates are unrolled into one graph, so one run
 * advances that many steps; the graph ends with every agent's energy −½ sᵀJs.
 */
export function sbStepsGraph(n: number, J: Float32Array, params: SbParams, agents: number, steps: number) {
  const g = new GraphBuilder(`sb-${params.variant}-${steps}`);
  const Jn = g.tensor("J", [n, n], J);
  let x = g.input("x", [agents, n]);
  let y = g.input("y", [agents, n]);
  const pump = g.input("pump", [steps]);
  const one = g.scalar(1);
  const minusOne = g.scalar(-1);
  const zero = g.scalar(0);
  for (let k = 0; k < steps; k++) {
    // φ = sgn (sgn 0 = 0) for dSB, as core's reference.
    const xi = params.variant === "discrete" ? g.node("Sign", [x]) : x;
    const f = g.matmul(xi, Jn);
    const detune = g.sub(g.scalar(params.a0), g.node("Gather", [pump, g.ints([], [k])], { axis: 0 }));
    let dy = g.sub(g.mul(g.scalar(params.c0), f), g.mul(detune, x));
    if (params.variant === "adiabatic") dy = g.sub(dy, g.mul(g.scalar(params.kerr), g.mul(x, g.mul(x, x))));
    const kept = params.heat ? g.mul(g.scalar(1 + params.heat * params.dt), y) : y;
    y = g.add(kept, g.mul(g.scalar(params.dt), dy));
    x = g.add(x, g.mul(g.scalar(params.dt * params.a0), y));
    if (params.variant !== "adiabatic") {
      const hit = g.node("Greater", [g.node("Abs", [x]), one]);
      x = g.node("Clip", [x, minusOne, one]);
      y = g.node("Where", [hit, zero, y]);
    }
  }
  g.output(x, "x_out", [agents, n]);
  g.output(y, "y_out", [agents, n]);
  g.output(energyOf(g, x, Jn), "energy", [agents]);
  return g.build();
}

/** Energies of the spins of x (for the state a run starts from). */
export function sbEnergyGraph(n: number, J: Float32Array, agents: number) {
  const g = new GraphBuilder("sb-energy");
  const Jn = g.tensor("J", [n, n], J);
  g.output(energyOf(g, g.input("x", [agents, n]), Jn), "energy", [agents]);
  return g.build();
}

/** E = −½ Σ_i s_i (Js)_i per agent, s = spins of x (x < 0 reads −1, else +1). */
function energyOf(g: GraphBuilder, x: string, J: string): string {
  const s = g.node("Where", [g.node("Less", [x, g.scalar(0)]), g.scalar(-1), g.scalar(1)]);
  const sum = g.node("ReduceSum", [g.mul(s, g.matmul(s, J)), g.ints([1], [1])], { keepdims: 0 });
  return g.mul(g.scalar(-0.5), sum);
}
