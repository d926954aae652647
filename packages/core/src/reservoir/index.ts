export { reservoirTanh } from "./activation";
export {
  advanceEsn,
  createEsn,
  createReservoirState,
  type EsnOptions,
  type EsnParams,
  type ReservoirState,
  stepEsn,
} from "./esn";
export { createEsnKernel, type EsnKernel } from "./esn-kernel";
export {
  advanceLif,
  createLif,
  createLifState,
  type LifOptions,
  type LifParams,
  type LifState,
  stepLif,
} from "./lif";
export { csrMultiply, randomSparseMatrix, type SparseWeights, scaleCsr, spectralRadius } from "./sparse";
