// Formats build/gpu-check.sh's benchmark JSON as the Markdown to paste into docs/BENCHMARKS.md ("Kernels").
//   node build/gpu-report.mjs "<card>" gpu.json cpu.json
import { readFileSync } from "node:fs";
import { dirname } from "node:path";

const [card, gpuFile, cpuFile] = process.argv.slice(2);
const gpu = JSON.parse(readFileSync(gpuFile, "utf8"));
const cpu = JSON.parse(readFileSync(cpuFile, "utf8"));
const M = (x) => `${(x / 1e6).toPrecision(3)} M`;
const sb = gpu.sb;
const key = (o, prefix) => Object.keys(o).find((k) => k.startsWith(prefix));
const batchedKey = key(sb, "wgsl batched (");
const batched = sb[batchedKey];
const agents = batchedKey.match(/\((\d+) agents\)/)?.[1];
const checked = sb[key(sb, "wgsl batched, energy")];
const tile64 = sb[key(sb, "wgsl batched, 64-tile")];
const one = sb[key(sb, "wgsl one agent")];
const ortGpu = sb[key(sb, "ort-webgpu batched")];
const t = sb.timeToCpuBest;
const rows = [
  [
    `SB, ${sb.spins} spins × ${agents} agents, WGSL`,
    `${M(batched.agentStepsPerSecond)} agent-steps/s (${batched.microsecondsPerStep} µs/step, best ${(batched.msPerStep.best * 1000).toPrecision(3)} µs)`,
    "≥ 8 M agent-steps/s",
  ],
  ["… with energies on the device every 10 steps", `${M(checked.agentStepsPerSecond)} agent-steps/s`, ""],
  ["… with the 64-tile (4×4 per thread) kernel instead", `${M(tile64.agentStepsPerSecond)} agent-steps/s`, ""],
  [
    "SB, one agent, WGSL (split-K matvec)",
    `${one.microsecondsPerStep} µs/step (best ${(one.msPerStep.best * 1000).toPrecision(3)})`,
    "≤ 20 µs/step",
  ],
  [
    `SB to the CPU solver's best (${sb.spins} spins, ${agents} agents), WGSL dSB`,
    t
      ? `${t.reached ? "reached" : "not reached"} in ${t.ms} ms (${t.runs} run(s); target ${t.target} from ${t.targetFrom}; best ${t.bestEnergy})`
      : "not run",
    "≤ 50 ms",
  ],
  [
    `SB, ${sb.spins} × ${agents}, ORT WebGPU (unrolled graph)`,
    ortGpu?.agentStepsPerSecond ? `${M(ortGpu.agentStepsPerSecond)} agent-steps/s` : (ortGpu?.error ?? "not run"),
    "comparison",
  ],
];
for (const kind of ["esn", "lif"]) {
  const r = gpu.reservoir[kind];
  const many =
    key(r, "wgsl, ") &&
    Object.keys(r)
      .filter((k) => k.startsWith("wgsl, "))
      .pop();
  const sp = r.speedup;
  const ratio = Object.entries(sp).find(([k]) => k.includes("per call) vs best CPU") && !k.includes("(1 per"))?.[1];
  rows.push([
    `${kind.toUpperCase()} reservoir ${gpu.reservoir.streams} streams × ${gpu.reservoir.units} units, WGSL`,
    `${r[many].median} ms/sample (${many.replace("wgsl, ", "")}); best CPU back end ${sp.bestCpuMsPerSample} ms → ${ratio}×`,
    "≥ 10× the box's best CPU back end",
  ]);
}
const c = cpu.reservoir;
const lines = [
  `### Kernels on ${card} (${gpu.date}, \`bash build/gpu-check.sh\`, Node ${gpu.node}, median of ${gpu.repeat})`,
  "",
  "| measurement | figure | bar |",
  "| --- | --- | --- |",
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  "",
  `Same box's CPU (\`pnpm bench kernels\`): SB ${cpu.sb.spins} × ${cpu.sb.agents} ort-cpu ${cpu.sb.speedup["ort-cpu vs ts (median)"]}× core's sbAdvance; ` +
    `reservoir ${c.streams} × ${c.units} wasm ${c.esn.speedup["wasm vs ts (median)"]}× (ESN), ${c.lif.speedup["wasm vs ts (median)"]}× (LIF) the TS reference.`,
  "",
  `Raw JSON: ${gpuFile}, ${cpuFile}; parity log: ${dirname(gpuFile)}/parity.txt.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
