// The public surface of @nqp/core. Each concept lives in its own folder with an index.ts; re-export it here.
export * from "./datasets";
export * from "./detect";
export * from "./errors";
export * from "./optimize";
export * from "./pipeline";
export * from "./random";
