// The public surface of @nqp/core. Each concept lives in its own folder with an index.ts; re-export it here.
export * from "./datasets";
export * from "./detect";
export * from "./encode";
export * from "./errors";
export * from "./forecast";
// reservoir/ and optimize/ both name their sparse type CsrMatrix (different shapes); the explicit export settles the
// ambiguity of the two `export *` until one is renamed. The reservoir's is reachable as @nqp/core/reservoir.
export type { CsrMatrix } from "./optimize";
export * from "./optimize";
export * from "./pipeline";
export * from "./random";
export * from "./readout";
export * from "./reservoir";
export * from "./validate";
