export { type NqpResult, nqpBundle, runNqp, spawnNqp } from "./cli";
export { chromiumPath, externalsRequired, findProgram, mosquittoPath, requireProgram } from "./externals";
export { freePort, Mosquitto, type MosquittoOptions } from "./mosquitto";
export { repoRoot, sharedDataPath, sharedDataSkipReason } from "./shared-data";
export { tempDir } from "./temp";
export { waitFor } from "./wait";
