import { NqpError } from "@nqp/core";
import { InvalidArgumentError } from "commander";

/** Commander argument parsers that reject bad flag values with a message naming the flag's rule. */
export function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min || v > max)
      throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got '${text}'`);
    return v;
  };
}

export function real(
  min = Number.NEGATIVE_INFINITY,
  max = Number.POSITIVE_INFINITY,
  { openMin = false, openMax = false } = {},
) {
  return (text: string): number => {
    const v = Number(text);
    const ok = Number.isFinite(v) && (openMin ? v > min : v >= min) && (openMax ? v < max : v <= max);
    if (!ok)
      throw new InvalidArgumentError(
        `expected a number in ${openMin ? "(" : "["}${min}, ${max}${openMax ? ")" : "]"}, got '${text}'`,
      );
    return v;
  };
}

export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === null || value === "")
    throw new NqpError("missing-option", `${flag} is required`);
  return value;
}
