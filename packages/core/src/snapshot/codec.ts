import { NqpError } from "../errors";

// Base64 is the platform's own (atob/btoa: Node ≥ 16, browsers, Electron), so core keeps no runtime dependency that
// every host bundle would have to resolve; core's type-check sees no DOM or Node types, hence the declaration.
const { atob, btoa } = globalThis as unknown as { atob(text: string): string; btoa(binary: string): string };

function fromByteArray(bytes: Uint8Array): string {
  let binary = "";
  // In chunks: String.fromCharCode takes its bytes as arguments, and argument lists are bounded.
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(binary);
}

function toByteArray(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Compact snapshot encoding of numeric arrays: the IEEE-754 float64 bytes (little-endian, as every platform NQP runs
 * on stores them) in base64. 10.7 characters per number against ~19 for a random double as JSON text, exact for
 * every value including NaN, ±Infinity and −0 (which JSON cannot carry), and it parses without creating one JS
 * number per element.
 */
export interface PackedNumbers {
  f64: string;
}

export function packNumbers(values: ArrayLike<number>): PackedNumbers {
  const a = values instanceof Float64Array ? values : Float64Array.from(values);
  return { f64: fromByteArray(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

/** Decodes packNumbers' output; `what` names the field in the error a malformed snapshot gets. */
export function unpackNumbers(packed: unknown, what: string): Float64Array {
  const text = (packed as PackedNumbers | null)?.f64;
  if (typeof text !== "string") throw new NqpError("bad-snapshot", `snapshot field '${what}' is not packed numbers`);
  let bytes: Uint8Array;
  try {
    bytes = toByteArray(text);
  } catch {
    throw new NqpError("bad-snapshot", `snapshot field '${what}' is not valid base64`);
  }
  if (bytes.byteLength % 8 !== 0)
    throw new NqpError("bad-snapshot", `snapshot field '${what}' holds ${bytes.byteLength} bytes, not whole float64s`);
  return new Float64Array(bytes.buffer);
}

/** The same, as a plain array (for state kept in number[]). */
export function unpackNumberArray(packed: unknown, what: string): number[] {
  return Array.from(unpackNumbers(packed, what));
}
