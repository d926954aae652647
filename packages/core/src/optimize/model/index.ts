export { bitsToSpins, isingToQubo, quboToIsing, spinsToBits } from "./convert";
export { type FixedModel, fixIsingSpins, fixQuboVariables } from "./fix";
export { couplingRms, createIsing, type IsingModel, isingEnergy, localFields } from "./ising";
export {
  assertSymmetricFinite,
  type CsrCouplings,
  csrFromTriplets,
  type DenseMatrix,
  denseFromRows,
  denseMatrix,
  entryAt,
  forEachEntry,
  mapEntries,
  nonZeroCount,
  type SquareMatrix,
  toCsr,
  toDense,
} from "./matrix";
export { createQubo, type QuboModel, quboFromTerms, quboObjective } from "./qubo";
