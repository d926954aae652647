// The exact quantum engine: memory of a 20-qubit state vector, time of one QAOA layer on 20 qubits (max-cut of a
// random 3-regular graph), and adiabatic evolution on random 12-spin Ising instances (ground-state probability).
// Usage: pnpm bench optimizer-quantum [--instances 20] [--time 1500] [--steps 6000]
import {
  adiabaticEvolution,
  applyDiagonalPhase,
  applyMixer,
  bruteForceIsing,
  createRng,
  energyLevels,
  isingSpectrum,
  maxCutToIsing,
  stateBytes,
  uniformSuperposition,
} from "@nqp/core";
import { randomIsing } from "../packages/core/src/optimize/test-instances";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};

// A random 3-regular graph on 20 nodes (pairing model, retried until simple).
function regularGraph(n: number, seed: number) {
  const rng = createRng(seed);
  for (;;) {
    const stubs = Array.from({ length: 3 * n }, (_, k) => Math.floor(k / 3));
    for (let i = stubs.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [stubs[i], stubs[j]] = [stubs[j], stubs[i]];
    }
    const seen = new Set<string>();
    let ok = true;
    for (let k = 0; k < stubs.length; k += 2) {
      const [a, b] = [Math.min(stubs[k], stubs[k + 1]), Math.max(stubs[k], stubs[k + 1])];
      if (a === b || seen.has(`${a}-${b}`)) ok = false;
      seen.add(`${a}-${b}`);
    }
    if (!ok) continue;
    const edges = [...seen].map((e) => e.split("-").map(Number));
    return {
      n,
      from: Int32Array.from(edges.map((e) => e[0])),
      to: Int32Array.from(edges.map((e) => e[1])),
      weight: new Float64Array(edges.length).fill(1),
    };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const model20 = maxCutToIsing(regularGraph(20, 1));
const t0 = performance.now();
const spectrum = isingSpectrum(model20);
const spectrumMs = performance.now() - t0;
const levels = energyLevels(spectrum);
const state = uniformSuperposition(20);
const layer: number[] = [];
const layerCpu: number[] = [];
for (let rep = 0; rep < 15; rep++) {
  const t = performance.now();
  const c = process.cpuUsage();
  applyDiagonalPhase(state, spectrum, 0.4, levels);
  applyMixer(state, 0.3);
  layer.push(performance.now() - t);
  const d = process.cpuUsage(c);
  layerCpu.push((d.user + d.system) / 1000);
}
const instances = Number(arg("instances", "20"));
const T = Number(arg("time", "1500"));
const steps = Number(arg("steps", "6000"));
const probabilities: number[] = [];
const adiabaticMs: number[] = [];
const slower: { seed: number; p: number; p_at_3T: number }[] = [];
for (let seed = 1; seed <= instances; seed++) {
  const m = randomIsing(12, seed, { fieldScale: 0.5 });
  const exact = bruteForceIsing(m);
  const t = performance.now();
  const r = adiabaticEvolution(m, { totalTime: T, steps });
  adiabaticMs.push(performance.now() - t);
  if (Math.abs(r.groundEnergy - exact.energy) > 1e-9) throw new Error("spectrum and brute force disagree");
  probabilities.push(r.groundStateProbability);
  if (r.groundStateProbability < 0.9) {
    // Slower schedule for the instances with the smallest gaps: three times the time, same Δt.
    const slow = adiabaticEvolution(m, { totalTime: 3 * T, steps: 3 * steps });
    slower.push({ seed, p: r.groundStateProbability, p_at_3T: slow.groundStateProbability });
  }
}
console.log(
  JSON.stringify(
    {
      bench: "optimizer-quantum",
      date: new Date().toISOString(),
      state_vector_20_qubits_bytes: stateBytes(state),
      spectrum_20_qubits_ms: Math.round(spectrumMs),
      energy_levels_20_qubit_maxcut: levels?.values.length,
      qaoa_layer_20_qubits_ms: { median: median(layer), best: Math.min(...layer), reps: layer.length },
      qaoa_layer_20_qubits_cpu_ms: { median: median(layerCpu), best: Math.min(...layerCpu) },
      adiabatic_12_spins: {
        instances,
        total_time: T,
        trotter_steps: steps,
        ground_state_probability: { min: Math.min(...probabilities), median: median(probabilities) },
        instances_at_or_above_0_9: probabilities.filter((p) => p >= 0.9).length,
        ms_per_instance_median: Math.round(median(adiabaticMs)),
        below_0_9_rerun_at_3T: slower,
      },
    },
    null,
    2,
  ),
);
