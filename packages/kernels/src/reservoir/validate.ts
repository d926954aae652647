import { NqpError } from "@nqp/core";
import type { BatchedReadout, ReservoirModel, ReservoirStepOptions } from "./types";

export function checkReservoir(model: ReservoirModel, streams: number): void {
  const p = model.params;
  if (!Number.isInteger(streams) || streams < 1)
    throw new NqpError("bad-params", `streams must be a positive integer, got ${streams}`);
  if (p.recurrent.rows !== p.units || p.recurrent.cols !== p.units)
    throw new NqpError(
      "shape-mismatch",
      `the recurrent matrix is ${p.recurrent.rows}×${p.recurrent.cols}, expected units×units = ${p.units}×${p.units}`,
    );
  if (p.input.length !== p.units * p.inputs)
    throw new NqpError("shape-mismatch", `input weights have ${p.input.length} entries, expected units×inputs`);
}

export function checkReadout(r: BatchedReadout, streams: number, units: number): void {
  const f = units + r.extra;
  if (r.weights.length !== streams * r.targets * f)
    throw new NqpError(
      "shape-mismatch",
      `readout weights have ${r.weights.length} entries, expected streams×targets×(units+extra) = ${streams}×${r.targets}×${f}`,
    );
  if (r.intercept.length !== streams * r.targets)
    throw new NqpError(
      "shape-mismatch",
      `readout intercepts have ${r.intercept.length} entries, expected streams×targets`,
    );
}

/** Validates one step call; returns the number of samples per stream. */
export function checkStep(
  inputs: ArrayLike<number>,
  options: ReservoirStepOptions,
  streams: number,
  m: number,
  readout: BatchedReadout | null,
): number {
  const steps = options.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 1)
    throw new NqpError("bad-params", `steps must be a positive integer, got ${steps}`);
  if (inputs.length !== steps * streams * m)
    throw new NqpError(
      "shape-mismatch",
      `got ${inputs.length} inputs, expected steps×streams×inputs = ${steps}×${streams}×${m} = ${steps * streams * m}`,
    );
  const e = readout?.extra ?? 0;
  if (e > 0 && options.extra?.length !== steps * streams * e)
    throw new NqpError(
      "shape-mismatch",
      `the readout takes ${e} extra features per stream: expected steps×streams×${e} = ${steps * streams * e} values, got ${options.extra?.length ?? 0}`,
    );
  return steps;
}
