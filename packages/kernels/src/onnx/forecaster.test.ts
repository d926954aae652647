import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { createKernelRuntime } from "../backend/runtime";
import { loadForecastModel } from "./forecaster";
import { GraphBuilder } from "./graph";

const dir = tempDir("nqp-onnx-");
afterAll(() => dir.remove());
const runtime = createKernelRuntime({ threads: 1 });

/** A linear forecaster y = x·A + b, as a model trained elsewhere would be exported. */
function linearModel(file: string, window: number, horizon: number, inputDims: (number | string)[]) {
  const g = new GraphBuilder("linear-forecaster");
  const A = Float32Array.from({ length: window * horizon }, (_, i) => Math.sin(i + 1) / window);
  const b = Float32Array.from({ length: horizon }, (_, i) => i * 0.5);
  let x = g.input("history", inputDims);
  if (inputDims.length !== 2) x = g.node("Reshape", [x, g.ints([2], [-1, window])]);
  g.output(g.add(g.matmul(x, g.tensor("A", [window, horizon], A)), g.tensor("b", [horizon], b)), "forecast", [
    typeof inputDims[0] === "string" ? inputDims[0] : 1,
    horizon,
  ]);
  const path = join(dir.path, file);
  writeFileSync(path, g.build());
  const expected = (w: ArrayLike<number>) =>
    Array.from({ length: horizon }, (_, h) => {
      let s = b[h];
      for (let k = 0; k < window; k++) s += w[k] * A[k * horizon + h];
      return s;
    });
  return { path, expected };
}

describe("user ONNX forecasters (onnx:PATH)", () => {
  it("runs a batched model and returns horizon values per window", async () => {
    const { path, expected } = linearModel("batched.onnx", 8, 3, ["batch", 8]);
    const m = await loadForecastModel(runtime, path, { window: 8, horizon: 3, backend: "ort-cpu" });
    expect(m.selection.backend).toBe("ort-cpu");
    expect([m.inputName, m.outputName]).toEqual(["history", "forecast"]);
    const windows = Float64Array.from({ length: 24 }, (_, i) => Math.cos(i * 0.3));
    const y = await m.predict(windows);
    expect(y.length).toBe(9);
    for (let k = 0; k < 3; k++)
      expect(Array.from(y.subarray(k * 3, k * 3 + 3))).toEqual(
        expected(windows.subarray(k * 8, (k + 1) * 8)).map((v) => expect.closeTo(v, 5)),
      );
    m.dispose();
  });
  it("runs a model exported with a fixed batch of one and a channel axis, one window at a time", async () => {
    const { path, expected } = linearModel("fixed.onnx", 5, 2, [1, 5, 1]);
    const m = await loadForecastModel(runtime, path, { window: 5, horizon: 2 });
    const windows = Float64Array.from({ length: 10 }, (_, i) => i);
    const y = await m.predict(windows);
    expect(Array.from(y.subarray(2, 4))).toEqual(expected(windows.subarray(5, 10)).map((v) => expect.closeTo(v, 5)));
    m.dispose();
  });
  it("names the tensor and both shapes when the window or horizon does not match", async () => {
    const { path } = linearModel("w8.onnx", 8, 3, ["batch", 8]);
    await expect(loadForecastModel(runtime, path, { window: 12, horizon: 3 })).rejects.toThrow(
      "w8.onnx: input 'history': its input has shape [batch, 8], which does not take a window of 12 samples",
    );
    await expect(loadForecastModel(runtime, path, { window: 8, horizon: 4 })).rejects.toThrow(
      /w8\.onnx: output 'forecast' has shape \[1, 3\] for 1 window: the predictor declares a horizon of 4/,
    );
    const m = await loadForecastModel(runtime, path, { window: 8, horizon: 3 });
    await expect(m.predict(new Float64Array(10))).rejects.toThrow(/not a whole number of windows of 8/);
    m.dispose();
  });
  it("rejects models with two inputs, files that are not ONNX, and missing files", async () => {
    const g = new GraphBuilder("two");
    g.output(g.add(g.input("a", [1, 4]), g.input("b", [1, 4])), "y", [1, 4]);
    const two = join(dir.path, "two.onnx");
    writeFileSync(two, g.build());
    await expect(loadForecastModel(runtime, two, { window: 4, horizon: 4 })).rejects.toThrow(
      /two\.onnx has 2 inputs \(a, b\): a forecaster takes one/,
    );
    const junk = join(dir.path, "junk.onnx");
    writeFileSync(junk, "this is not a model");
    await expect(loadForecastModel(runtime, junk, { window: 4, horizon: 1, backend: "ort-cpu" })).rejects.toThrow(
      /ONNX model cannot be loaded/,
    );
    await expect(loadForecastModel(runtime, join(dir.path, "absent.onnx"), { window: 4, horizon: 1 })).rejects.toThrow(
      /absent\.onnx: no such file/,
    );
  });
});
