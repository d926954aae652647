import { useRef } from "react";

/** A number that changes whenever `value` does (by identity): the redraw key of charts fed by a result object. */
export function useVersion(value: unknown): number {
  const ref = useRef({ value, version: 0 });
  if (ref.current.value !== value) ref.current = { value, version: ref.current.version + 1 };
  return ref.current.version;
}
