import { basename } from "node:path";
import { NqpError } from "@nqp/core";
import { createKernelRuntime, createOrtSession, loadForecastModel } from "@nqp/kernels";

export type OnnxBackend = "auto" | "ort-cpu" | "ort-webgpu" | "ort-cuda";

export interface OnnxForecasts {
  name: string;
  forecasts: Float64Array;
  details: Record<string, unknown>;
}

const CHUNK = 4096;

/**
 * Forecasts of a user's ONNX model (`onnx:PATH`) for every row: the model reads the last `window` values (oldest
 * first, raw: a model that needs scaling carries it in its graph) and returns its forecasts 1…H steps ahead; the one
 * `horizon` steps ahead is used. The window is declared with --onnx-window or read from the model's input shape,
 * and H from its output shape (or taken to be the horizon). Row t's forecast uses rows t − window + 1 … t only.
 */
export async function onnxForecasts(
  path: string,
  values: Float64Array,
  horizon: number,
  options: { window?: number; backend?: OnnxBackend; threads?: number },
): Promise<OnnxForecasts> {
  const runtime = createKernelRuntime({ threads: options.threads });
  const declared = await readShapes(runtime, path);
  const window = options.window ?? declared.window;
  if (window === undefined)
    throw new NqpError(
      "bad-model",
      `${path}: the model's input has no fixed window length (shape ${declared.inputShape}); give it with --onnx-window N`,
    );
  const steps = declared.steps ?? horizon;
  if (steps < horizon)
    throw new NqpError(
      "bad-model",
      `${path}: the model forecasts ${steps} step${steps > 1 ? "s" : ""} ahead, --horizon asks for ${horizon}`,
    );
  const model = await loadForecastModel(runtime, path, {
    window,
    horizon: steps,
    backend: options.backend ?? "ort-cpu",
  });
  const n = values.length;
  const forecasts = new Float64Array(n).fill(Number.NaN);
  try {
    for (let start = window - 1; start < n; start += CHUNK) {
      const end = Math.min(n, start + CHUNK);
      const count = end - start;
      const windows = new Float64Array(count * window);
      for (let k = 0; k < count; k++) windows.set(values.subarray(start + k - window + 1, start + k + 1), k * window);
      const out = await model.predict(windows);
      for (let k = 0; k < count; k++) forecasts[start + k] = out[k * steps + horizon - 1];
    }
  } finally {
    model.dispose();
    runtime.dispose();
  }
  return {
    name: `onnx:${basename(path)}`,
    forecasts,
    details: { path, window, steps, backend: model.selection.backend, device: model.selection.device },
  };
}

/** The window length and forecast steps a model's fixed tensor shapes declare (undefined where a dim is dynamic). */
async function readShapes(runtime: ReturnType<typeof createKernelRuntime>, path: string) {
  const ort = await runtime.ort();
  const { session } = await createOrtSession(ort, path, "cpu", { threads: 1 });
  try {
    const dims = (m: unknown) => ((m as { shape?: (number | string)[] }).shape ?? []) as (number | string)[];
    const input = dims(session.inputMetadata[0]);
    const output = dims(session.outputMetadata[0]);
    const fixed = (d: number | string | undefined) => (typeof d === "number" && d > 0 ? d : undefined);
    // [window], [batch, window] or [batch, window, 1]; outputs [steps] or [batch, steps] (or [batch, steps, 1]).
    const window = input.length === 1 ? fixed(input[0]) : fixed(input[1]);
    const steps = output.length === 1 ? fixed(output[0]) : output.length >= 2 ? fixed(output[1]) : undefined;
    return { window, steps, inputShape: `[${input.map((d) => (fixed(d) ? d : "?")).join(", ")}]` };
  } finally {
    await session.release();
  }
}
