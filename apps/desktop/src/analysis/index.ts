// Analysis jobs of the workstation (spike view, optimiser workbench, validation): pure computations on core, run in
// worker threads by the Electron main process and in a Web Worker by the browser dashboard.
export { type BackendChoice, resolveStepper, runOptimize } from "./optimize";
export { parseJobSpec, runJob } from "./run-job";
export { analyseSpikes } from "./spikes";
export type { JobReporter } from "./types";
export { runValidation } from "./validate";
