// The optimisation engine: Ising/QUBO models, simulated bifurcation, annealing, tabu search, exact small-n
// quantum evolution and problem builders. See docs/optimizer.md.
export { annealingBetaRange, type SaOptions, solveSa } from "./anneal/sa";
export { geometricBetas, glassTransitionBeta, luby } from "./anneal/schedule";
export { BRUTE_FORCE_MAX_SPINS, type BruteForceResult, bruteForceIsing, isingSpectrum } from "./exact/brute-force";
export { type HybridOptions, solveHybrid } from "./hybrid/solve";
export { type BreakoutHooks, type BreakoutParams, BreakoutWalk, breakoutLocalSearch } from "./local/breakout";
export { applyFlip, type FlipGraph, flipDeltas, flipEnergy, flipGraph } from "./local/flip-state";
export { GainBuckets } from "./local/gain-buckets";
export { greedyDescent } from "./local/greedy";
export { type TabuParams, type TabuRun, tabuSearch } from "./local/tabu";
export { type IntegerFlipGraph, integerFlipGraph } from "./local/tabu-buckets";
export * from "./model";
export * from "./problems";
export { type AdiabaticOptions, adiabaticEvolution } from "./quantum/adiabatic";
export { basisToSpins, type MeasurementSummary } from "./quantum/measure";
export { nelderMead } from "./quantum/nelder-mead";
export { prepareQaoa, type QaoaCircuit, type QaoaOptions, type QaoaResult, qaoaState, solveQaoa } from "./quantum/qaoa";
export {
  type QuantumMethod,
  type QuantumOutcome,
  type QuantumReport,
  type QuantumSolveOptions,
  solveQuantum,
} from "./quantum/solve";
export {
  applyDiagonalPhase,
  applyMixer,
  diagonalExpectation,
  energyLevels,
  STATE_VECTOR_MAX_QUBITS,
  type StateVector,
  stateBytes,
  uniformSuperposition,
} from "./quantum/state-vector";
export { sbAdvance } from "./sb/fast-step";
export { type SbCouplings, sbCouplings, spinsFromSb } from "./sb/homogenise";
export { defaultSbParams, pumpAt, type SbParams, type SbVariant, stableTimeStep } from "./sb/params";
export { sbReferenceStep } from "./sb/reference-step";
export { type SbSolveOptions, solveSb } from "./sb/solve";
export { agentSpins, initialSbState, type SbState } from "./sb/state";
export { type SbStepper, typescriptStepper } from "./sb/stepper";
export { ISING_SOLVERS, type IsingSolverName, type SolveIsingOptions, solveIsing } from "./solve";
export { type SolveOptions, type SolveProgress, type SolveResult, SolveTracker } from "./solve-types";
