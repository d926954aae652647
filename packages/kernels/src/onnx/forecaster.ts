import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { NqpError } from "@nqp/core";
import type * as Ort from "onnxruntime-node";
import type { KernelRuntime, KernelSelection } from "../backend/runtime";
import { createOrtSession, type OrtSession } from "./runtime";

/** What the caller declares about a forecaster trained elsewhere (a `onnx:PATH` predictor). */
export interface ForecastModelOptions {
  /** Past samples the model reads per forecast. */
  window: number;
  /** Steps ahead it forecasts. */
  horizon: number;
  /** ORT back end (default "auto": ort-cuda → ort-webgpu → ort-cpu). */
  backend?: "auto" | "ort-cpu" | "ort-webgpu" | "ort-cuda";
}

export interface ForecastModel {
  readonly path: string;
  readonly window: number;
  readonly horizon: number;
  readonly inputName: string;
  readonly outputName: string;
  readonly selection: KernelSelection;
  /**
   * Forecasts for `windows.length / window` windows (each the last `window` samples, oldest first):
   * returns count × horizon values.
   */
  predict(windows: ArrayLike<number>): Promise<Float64Array>;
  dispose(): void;
}

type Dims = readonly (number | string)[];

const fixed = (d: number | string) => typeof d === "number" && d > 0;
const show = (dims: Dims) => `[${dims.map((d) => (fixed(d) ? d : typeof d === "string" && d ? d : "?")).join(", ")}]`;

/**
 * Where the window sits in the input: [window], [batch, window] or [batch, window, 1] (a single feature channel,
 * the usual Keras/PyTorch export). Returns the shape for a batch of `count`, or a reason it does not fit.
 */
function windowShape(dims: Dims, window: number): ((count: number) => number[]) | string {
  const ok = (d: number | string, v: number) => !fixed(d) || d === v;
  if (dims.length === 1 && ok(dims[0], window)) return () => [window];
  if (dims.length === 2 && ok(dims[1], window)) return (count) => [count, window];
  if (dims.length === 3 && ok(dims[1], window) && ok(dims[2], 1)) return (count) => [count, window, 1];
  return `its input has shape ${show(dims)}, which does not take a window of ${window} samples (expected [${window}], [batch, ${window}] or [batch, ${window}, 1])`;
}

/**
 * Loads a user's ONNX forecaster through onnxruntime-node and checks it against the declared window and horizon:
 * one float tensor input holding the window, one output with `horizon` values per window. A mismatch is an
 * NqpError naming the file, the tensor and both shapes.
 */
export async function loadForecastModel(
  runtime: KernelRuntime,
  path: string,
  options: ForecastModelOptions,
): Promise<ForecastModel> {
  const { window, horizon } = options;
  const name = basename(path);
  for (const [key, v] of [
    ["window", window],
    ["horizon", horizon],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new NqpError("bad-params", `${key} must be a positive integer, got ${v}`);
  if (!existsSync(path)) throw new NqpError("no-such-file", `${path}: no such file`);
  const bytes = new Uint8Array(readFileSync(path));
  const ort = await runtime.ort();
  const { kernel: session, selection } = await runtime.select(
    `onnx:${name}`,
    async (backend): Promise<OrtSession> => {
      if (backend === "ort-cpu" || backend === "ort-webgpu" || backend === "ort-cuda")
        return createOrtSession(ort, bytes, backend.slice(4) as "cpu" | "webgpu" | "cuda", {
          threads: runtime.options.threads,
          gpu: runtime.options.gpu,
        });
      throw new NqpError("backend-unavailable", "user models run on ONNX Runtime only");
    },
    options.backend ?? "auto",
    ["ort-cuda", "ort-webgpu", "ort-cpu"],
  );
  const s = session.session;
  try {
    const inputs = s.inputMetadata.filter((m) => m.isTensor);
    if (s.inputNames.length !== 1 || inputs.length !== 1)
      throw new NqpError(
        "shape-mismatch",
        `${name} has ${s.inputNames.length} inputs (${s.inputNames.join(", ")}): a forecaster takes one, the window of past samples`,
      );
    const input = inputs[0] as Ort.InferenceSession.TensorValueMetadata;
    if (input.type !== "float32" && input.type !== "float64")
      throw new NqpError(
        "shape-mismatch",
        `${name}: input '${input.name}' is ${input.type}; a forecaster's window is float32 or float64`,
      );
    const shape = windowShape(input.shape, window);
    if (typeof shape === "string") throw new NqpError("shape-mismatch", `${name}: input '${input.name}': ${shape}`);
    const outputs = s.outputMetadata.filter((m) => m.isTensor) as Ort.InferenceSession.TensorValueMetadata[];
    if (outputs.length < 1) throw new NqpError("shape-mismatch", `${name} has no tensor output`);
    const output = outputs[0];
    const batched = input.shape.length > 1 && !fixed(input.shape[0]);
    const inType = input.type;

    const run = async (windows: ArrayLike<number>, count: number) => {
      const data = inType === "float32" ? Float32Array.from(windows) : Float64Array.from(windows);
      const r = await s.run({ [input.name]: new ort.Tensor(inType, data, shape(count)) });
      const y = r[output.name];
      if (y.data.length !== count * horizon)
        throw new NqpError(
          "shape-mismatch",
          `${name}: output '${output.name}' has shape ${show(y.dims)} for ${count} window${count > 1 ? "s" : ""}: the predictor declares a horizon of ${horizon} (expected ${count * horizon} values)`,
        );
      return Float64Array.from(y.data as Float32Array | Float64Array);
    };
    // Fixed output dims can be checked now; a probe run checks dynamic ones before the first real forecast.
    await run(new Float64Array(window), 1);

    return {
      path,
      window,
      horizon,
      inputName: input.name,
      outputName: output.name,
      selection,
      async predict(windows) {
        if (windows.length % window !== 0)
          throw new NqpError(
            "shape-mismatch",
            `${name}: got ${windows.length} samples, not a whole number of windows of ${window}`,
          );
        const count = windows.length / window;
        if (batched || count === 1) return run(windows, count);
        // A model exported with a fixed batch of one runs once per window.
        const out = new Float64Array(count * horizon);
        for (let k = 0; k < count; k++)
          out.set(await run(Array.prototype.slice.call(windows, k * window, (k + 1) * window), 1), k * horizon);
        return out;
      },
      dispose() {
        s.release().catch(() => {});
      },
    };
  } catch (err) {
    s.release().catch(() => {});
    throw err;
  }
}
