// The public surface of @nqp/core. Each concept lives in its own folder with an index.ts; re-export it here.
export * from "./datasets";
export * from "./detect";
export * from "./encode";
export * from "./errors";
export * from "./forecast";
export * from "./fuse";
export * from "./optimize";
export * from "./pipeline";
export * from "./predict";
export * from "./random";
export * from "./readout";
export * from "./reservoir";
export * from "./validate";
