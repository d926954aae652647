import { advanceEsn, createEsn, reservoirTanh } from "@nqp/core";
import { GraphBuilder } from "./src/onnx/graph";
import { createOrtSession, loadOrt } from "./src/onnx/runtime";

const B = 256,
  N = 500;
const p = createEsn({ units: N, inputs: 1, seed: 3 });
let cur = new Float64Array(B * N),
  next = new Float64Array(B * N);
const u = Float64Array.from({ length: B }, (_, i) => Math.sin(i));
for (let w = 0; w < 20; w++) {
  advanceEsn(p, cur, u, next, B);
  [cur, next] = [next, cur];
}
let t = performance.now();
const R = 100;
for (let w = 0; w < R; w++) {
  advanceEsn(p, cur, u, next, B);
  [cur, next] = [next, cur];
}
console.log("ts ref ms/step", ((performance.now() - t) / R).toFixed(3));
const ort = await loadOrt();
// dense W^T
const Wt = new Float32Array(N * N);
const { rowStart, column, value } = p.recurrent;
for (let i = 0; i < N; i++) for (let k = rowStart[i]; k < rowStart[i + 1]; k++) Wt[column[k] * N + i] = value[k];
for (const K of [1, 10]) {
  for (const mode of ["dense", "ell"]) {
    const g = new GraphBuilder("esn");
    let x = g.input("x", [B, N]);
    const U = g.input("u", [K, B, 1]);
    const W = mode === "dense" ? g.tensor("W", [N, N], Wt) : "";
    const win = g.tensor("win", [1, N], Float32Array.from(p.input));
    const bias = g.tensor("b", [N], Float32Array.from(p.bias));
    const cols = g.ints([N * 10], Array.from(column));
    const vals = g.tensor("v", [N, 10], Float32Array.from(value));
    for (let k = 0; k < K; k++) {
      const uk = g.node("Gather", [U, g.ints([], [k])], { axis: 0 });
      let s;
      if (mode === "dense") s = g.matmul(x, W);
      else {
        const gath = g.node("Gather", [x, cols], { axis: 1 });
        const r = g.node("Reshape", [gath, g.ints([3], [B, N, 10])]);
        s = g.node("ReduceSum", [g.mul(r, vals), g.ints([1], [2])], { keepdims: 0 });
      }
      s = g.add(g.add(s, g.matmul(uk, win)), bias);
      const th = g.node("Tanh", [s]);
      x = g.add(g.mul(g.scalar(0.7), x), g.mul(g.scalar(0.3), th));
    }
    g.output(x, "xo", [B, N]);
    for (const threads of [1, 2]) {
      const s = await createOrtSession(ort, g.build(), "cpu", { threads });
      let xt = new ort.Tensor("float32", Float32Array.from(cur), [B, N]);
      const ut = new ort.Tensor(
        "float32",
        Float32Array.from({ length: K * B }, (_, i) => Math.sin(i)),
        [K, B, 1],
      );
      for (let w = 0; w < 10; w++) xt = (await s.session.run({ x: xt, u: ut })).xo;
      t = performance.now();
      for (let w = 0; w < 50; w++) xt = (await s.session.run({ x: xt, u: ut })).xo;
      console.log(mode, "K", K, "threads", threads, "ms/step", ((performance.now() - t) / 50 / K).toFixed(3));
    }
  }
}
