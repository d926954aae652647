// @nqp/kernels: the engine's hot loops on GPUs and CPUs behind one interface (docs/kernels.md). Node entry: Dawn for
// WGSL, onnxruntime-node for ONNX graphs and user models. Browsers and Electron renderers import ./browser.
export {
  autoOrder,
  type BackendChoice,
  type BackendName,
  backendNames,
  parseBackendChoice,
  reservoirAutoOrder,
} from "./backend/names";
export {
  type BackendAttempt,
  createKernelRuntime,
  describeSelection,
  type KernelRuntime,
  type KernelRuntimeOptions,
  type KernelSelection,
} from "./backend/runtime";
export { createGpuContext, type GpuAdapterSummary, type GpuContext } from "./gpu/context";
export { diagnoseNoAdapter, findSwiftShader, findVulkanLoader, type GpuOptions, openDawnGpu } from "./gpu/dawn";
export { type ForecastModel, type ForecastModelOptions, loadForecastModel } from "./onnx/forecaster";
export { GraphBuilder } from "./onnx/graph";
export { createOrtSession, loadOrt, type OrtOptions, type OrtProvider, type OrtSession } from "./onnx/runtime";
export { createReservoirKernel } from "./reservoir/create";
export { createOrtReservoirKernel } from "./reservoir/ort";
export { createTsReservoirKernel } from "./reservoir/ts";
export type {
  BatchedReadout,
  ReservoirKernel,
  ReservoirModel,
  ReservoirStepOptions,
} from "./reservoir/types";
export { compileReservoirWasm, createWasmReservoirKernel, type ReservoirWasm } from "./reservoir/wasm";
export { createWgslReservoirKernel } from "./reservoir/wgsl";
export { createSbKernel, type SbKernelOptions } from "./sb/create";
export { sbEnergy } from "./sb/energy";
export { createOrtSbKernel, type OrtSbOptions } from "./sb/ort";
export { createSbStepper, type KernelSbStepper } from "./sb/stepper";
export { createTsSbKernel } from "./sb/ts";
export type { SbKernel, SbKernelState, SbRunOptions, SbRunResult, SbSetup } from "./sb/types";
export { createWgslSbKernel, probeTensorConvention, type WgslSbOptions } from "./sb/wgsl";
