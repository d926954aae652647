/**
 * WebAssembly for core's hot loops, without I/O: the modules are bytes compiled into the source (each beside its
 * .wat text, with a test that rebuilds it). Core's tsconfig has no DOM or Node types, so the small part of the
 * WebAssembly API used here is typed locally.
 */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmInstance {
  exports: Record<string, unknown> & { memory: WasmMemory };
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}

// Compiled modules by their bytes: a module is immutable, so caching it is not mutable state in any observable way.
const compiled = new WeakMap<Uint8Array, object | null>();

/** A fresh instance of the module `bytes` (its own memory), or null where WebAssembly (or a feature) is missing. */
export function instantiate(bytes: Uint8Array): WasmInstance | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  let module = compiled.get(bytes);
  if (module === undefined) {
    try {
      module = new api.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(bytes, module);
  }
  return module ? new api.Instance(module, {}) : null;
}

/** Grows `memory` to hold at least `bytes`. */
export function ensureMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
