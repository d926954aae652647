import type { QuantumOutcome, QuantumReport } from "@nqp/core";

/**
 * The `quantum` object of an output file for --solver qaoa|adiabatic: what the exact simulation knows about the
 * final state. `value` turns an Ising energy into the command's own measure (a cut, a QUBO objective) and
 * `assignment` spins into its own variables.
 */
export function quantumOutput(
  q: QuantumReport,
  value: (energy: number) => number,
  valueName: string,
  assignment: (spins: Int8Array) => number[],
): Record<string, unknown> {
  const outcome = (o: QuantumOutcome) => ({
    [valueName]: value(o.energy),
    probability: o.probability,
    assignment: assignment(o.spins),
  });
  return {
    method: q.method,
    qubits: q.qubits,
    shots: q.shots,
    best_shot_count: q.bestShotCount,
    ground_state_probability: q.groundStateProbability,
    [`optimal_${valueName}`]: value(q.groundEnergy),
    [`expected_${valueName}`]: value(q.expectedEnergy),
    most_likely: outcome(q.mostLikely),
    top: q.top.map(outcome),
    completed: q.completed,
    ...(q.method === "qaoa"
      ? { layers: q.layers, gamma: q.gamma, beta: q.beta, circuit_evaluations: q.circuitEvaluations }
      : { total_time: q.totalTime, trotter_steps: q.steps }),
  };
}
