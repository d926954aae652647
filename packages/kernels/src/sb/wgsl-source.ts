import type { SbVariant } from "@nqp/core";

/**
 * WGSL for batched simulated bifurcation, generated per (kernel shape, variant, pass). The same source runs on Dawn
 * in Node and on navigator.gpu in browsers and Electron.
 *
 * Device layout: spins major, agents contiguous, so that one coupling row meets many agents in one coalesced load:
 * x[i·B + b] for spin i of agent b, with B padded (to 64 for the tiled kernel, to 4 otherwise) and n padded to 64
 * for dense couplings. Padded spins have zero couplings and stay at x = y = 0. A state buffer holds x then y;
 * two of them ping-pong, since every step reads all of x while writing it.
 *
 * Passes: "step" advances one step (core's sbReferenceStep); "energy" computes J·s for the spins s of x (x < 0 reads
 * −1, else +1) and writes per-tile partials of −½ sᵀJs; "reduce" sums each agent's partials, keeps its best energy
 * and spins (bit-packed) and raises the stop flag when the target is reached. Every pass reads the stop flag first,
 * so the steps left in a submission after an early stop cost one load each.
 */
export type SbShape = "tiled" | "tiled128" | "matvec" | "sparse";
export type SbPass = "step" | "energy";

/** Host-side mirror of the Problem and Step uniforms below (sizes in 32-bit words). */
export const PROBLEM_WORDS = 12;
export const STEP_WORDS = 4;
/** Dynamic uniform offsets must be multiples of this (WebGPU's minUniformBufferOffsetAlignment default). */
export const STEP_STRIDE = 256;
/** Tile edge of the tiled kernel (spins and agents). */
export const TILE = 64;
/** Tile edge of the large tiled kernel (8×8 per thread), for 128 agents and more. */
export const TILE_LARGE = 128;
/** Largest padded agent count that uses the matrix–vector kernel. */
export const MATVEC_MAX_AGENTS = 16;

const common = /* wgsl */ `
struct Problem {
  n: u32, nPad: u32, agents: u32, agentsPad: u32,
  dt: f32, a0: f32, c0: f32, goal: f32,
  partialRows: u32, words: u32, kerr: f32, heatFactor: f32,
}
// pump: a(t) at this step; index: the step; check: measure energies; stopAs: the step count the state stands at
// if this measurement stops the run.
struct Step { pump: f32, index: u32, check: u32, stopAs: u32 }
struct Control { stop: atomic<u32>, stopStep: atomic<u32>, pad0: u32, pad1: u32 }

fn spin4(x: vec4<f32>) -> vec4<f32> { return select(vec4<f32>(-1.0), vec4<f32>(1.0), x >= vec4<f32>(0.0)); }
// dSB's φ: sgn with sgn(0) = 0, as core's reference.
fn phi4(x: vec4<f32>) -> vec4<f32> { return sign(x); }
`;

/**
 * The SB update of four agents of oscillator i, f = (J·φ(x))_i (core's sbReferenceStep, float32):
 *   y ← (1 + γΔt)·y + Δt·(−(a0 − a(t))·x − K·x³ (aSB) + c0·f);  x ← x + Δt·a0·y;  walls at |x| > 1 (bSB, dSB).
 */
function updateFn(variant: SbVariant): string {
  const kerr = variant === "adiabatic" ? " - P.kerr * x * x * x" : "";
  const walls =
    variant === "adiabatic"
      ? ""
      : `
  let hit = abs(xn) > vec4<f32>(1.0);
  xn = select(xn, sign(xn), hit);
  yn = select(yn, vec4<f32>(0.0), hit);`;
  return /* wgsl */ `
fn advance(idx: u32, x: vec4<f32>, f: vec4<f32>) {
  let yOff = P.nPad * P.agentsPad / 4u;
  let dy = -(P.a0 - st.pump) * x${kerr} + P.c0 * f;
  var yn = P.heatFactor * S[yOff + idx] + P.dt * dy;
  var xn = x + P.dt * P.a0 * yn;${walls}
  So[idx] = xn;
  So[yOff + idx] = yn;
}
`;
}

function header(jType: "f32" | "f16"): string {
  return jType === "f16" ? "enable f16;\n" : "";
}

/** What the product multiplies: x (aSB, bSB), φ(x) (dSB steps) or the spins (energy passes). */
function productInput(variant: SbVariant, pass: SbPass): string {
  return pass === "energy" ? "spin4" : variant === "discrete" ? "phi4" : "";
}

const stepBindings = (coupling: string) => /* wgsl */ `
@group(0) @binding(0) var<uniform> P: Problem;
${coupling}
@group(0) @binding(@S) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(@So) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(@C) var<storage, read_write> control: Control;
@group(0) @binding(@E) var<storage, read_write> partial: array<vec4<f32>>;
@group(1) @binding(0) var<uniform> st: Step;
`;

function bindings(sparse: boolean): string {
  const coupling = sparse
    ? "@group(0) @binding(1) var<storage, read> csr: array<u32>;\n@group(0) @binding(2) var<storage, read> val: array<f32>;"
    : "@group(0) @binding(1) var<storage, read> J: array<vec4<JTYPE>>;";
  const first = sparse ? 3 : 2;
  return stepBindings(coupling)
    .replace("@S", String(first))
    .replace("@So", String(first + 1))
    .replace("@C", String(first + 2))
    .replace("@E", String(first + 3));
}

/**
 * Tiled kernel (more than 16 agents): each 16×16 workgroup computes a 64-oscillator × 64-agent tile of F = J·Ξ with
 * 4×4 per thread, staging 16-deep slices of J and Ξ in workgroup memory; J is symmetric, so its tile is read along
 * rows (coalesced). The SB update (or the energy partial) runs in the epilogue, so F never leaves registers.
 */
export function tiledSource(variant: SbVariant, pass: SbPass, jType: "f32" | "f16"): string {
  const rows = [0, 1, 2, 3]
    .map(
      (r) => /* wgsl */ `
  {
    let idx = ((i0 + ty * 4u + ${r}u) * B + b0) / 4u + tx;
    ${pass === "step" ? `advance(idx, S[idx], acc${r});` : `e += spin4(S[idx]) * acc${r};`}
  }`,
    )
    .join("");
  const epilogue =
    pass === "step"
      ? rows
      : /* wgsl */ `
  var e = vec4<f32>(0.0);
  ${rows}
  // Sum the 64 rows of the tile for each agent: partial = Σ_i s_i·(J·s)_i / 2 over the tile.
  At[t] = 0.5 * e;
  workgroupBarrier();
  if (ty == 0u) {
    var sum = vec4<f32>(0.0);
    for (var r = 0u; r < 16u; r++) { sum += At[r * 16u + tx]; }
    partial[wid.y * (B / 4u) + b0 / 4u + tx] = sum;
  }`;
  return /* wgsl */ `${header(jType)}${common}${bindings(false).replace("JTYPE", jType)}
var<workgroup> At: array<vec4<f32>, 256>;
var<workgroup> Xs: array<vec4<f32>, 256>;
var<workgroup> stopped: u32;
${pass === "step" ? updateFn(variant) : ""}
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * 16u + tx;
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let N = P.nPad;
  let B = P.agentsPad;
  let i0 = wid.y * 64u;
  let b0 = wid.x * 64u;
  let kk = t / 16u;
  let q = t % 16u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < N; k0 += 16u) {
    At[t] = vec4<f32>(J[((k0 + kk) * N + i0) / 4u + q]);
    Xs[t] = ${productInput(variant, pass)}(S[((k0 + kk) * B + b0) / 4u + q]);
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      let a = At[k * 16u + ty];
      let xv = Xs[k * 16u + tx];
      acc0 += a.x * xv;
      acc1 += a.y * xv;
      acc2 += a.z * xv;
      acc3 += a.w * xv;
    }
    workgroupBarrier();
  }
${epilogue}
}
`;
}

/**
 * Large tiled kernel (128 agents and more): the same scheme with 8 spins × 8 agents per thread (a 128 × 128 tile
 * per 256-thread workgroup), so that each pair of vec4 loads from workgroup memory feeds 64 multiply-adds instead of
 * 16: the usual register blocking of an SGEMM, for GPUs where the 4×4 kernel is bound by workgroup-memory bandwidth.
 */
export function tiled128Source(variant: SbVariant, pass: SbPass, jType: "f32" | "f16"): string {
  const R = [0, 1, 2, 3, 4, 5, 6, 7];
  const H = [0, 1];
  const decl = R.flatMap((r) => H.map((h) => `  var acc${r}_${h} = vec4<f32>(0.0);`)).join("\n");
  const fma = R.map((r) => {
    const a = r < 4 ? `a0.${"xyzw"[r]}` : `a1.${"xyzw"[r - 4]}`;
    return H.map((h) => `      acc${r}_${h} += ${a} * x${h};`).join("\n");
  }).join("\n");
  const rows = R.flatMap((r) =>
    H.map(
      (h) => /* wgsl */ `
  {
    let idx = ((i0 + ty * 8u + ${r}u) * B + b0) / 4u + tx * 2u + ${h}u;
    ${pass === "step" ? `advance(idx, S[idx], acc${r}_${h});` : `e${h} += spin4(S[idx]) * acc${r}_${h};`}
  }`,
    ),
  ).join("");
  const epilogue =
    pass === "step"
      ? rows
      : /* wgsl */ `
  var e0 = vec4<f32>(0.0);
  var e1 = vec4<f32>(0.0);
  ${rows}
  At[t] = 0.5 * e0;
  Xs[t] = 0.5 * e1;
  workgroupBarrier();
  if (ty == 0u) {
    var s0 = vec4<f32>(0.0);
    var s1 = vec4<f32>(0.0);
    for (var r = 0u; r < 16u; r++) { s0 += At[r * 16u + tx]; s1 += Xs[r * 16u + tx]; }
    let o = wid.y * (B / 4u) + b0 / 4u + tx * 2u;
    partial[o] = s0;
    partial[o + 1u] = s1;
  }`;
  return /* wgsl */ `${header(jType)}${common}${bindings(false).replace("JTYPE", jType)}
var<workgroup> At: array<vec4<f32>, 256>;
var<workgroup> Xs: array<vec4<f32>, 256>;
var<workgroup> stopped: u32;
${pass === "step" ? updateFn(variant) : ""}
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let tx = lid.x;
  let ty = lid.y;
  let t = ty * 16u + tx;
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let N = P.nPad;
  let B = P.agentsPad;
  let i0 = wid.y * 128u;
  let b0 = wid.x * 128u;
  let kk = t / 32u;
  let q = t % 32u;
${decl}
  for (var k0 = 0u; k0 < N; k0 += 8u) {
    At[t] = vec4<f32>(J[((k0 + kk) * N + i0) / 4u + q]);
    Xs[t] = ${productInput(variant, pass)}(S[((k0 + kk) * B + b0) / 4u + q]);
    workgroupBarrier();
    for (var k = 0u; k < 8u; k++) {
      let a0 = At[k * 32u + ty * 2u];
      let a1 = At[k * 32u + ty * 2u + 1u];
      let x0 = Xs[k * 32u + tx * 2u];
      let x1 = Xs[k * 32u + tx * 2u + 1u];
${fma}
    }
    workgroupBarrier();
  }
${epilogue}
}
`;
}

/**
 * Matrix–vector kernel (≤ 16 agents): one 256-thread workgroup per coupling row, split over the row (split-K), so
 * that a single agent still keeps the whole GPU busy; the row's partial sums meet in a workgroup tree reduction.
 * Memory-bound: J is read once per step (f16 storage halves that where it is exact).
 */
export function matvecSource(
  variant: SbVariant,
  pass: SbPass,
  jType: "f32" | "f16",
  agentsPad: number,
  nPad: number,
): string {
  const g4 = agentsPad / 4;
  // No more threads than the row has vec4s (a power of two for the tree reduction), at most 256, and a reduction
  // buffer within WebGPU's default 16 KiB of workgroup memory.
  const cap = 2 ** Math.floor(Math.log2(16000 / (16 * g4)));
  const wg = Math.max(32, Math.min(256, cap, 2 ** Math.ceil(Math.log2(nPad / 4))));
  return /* wgsl */ `${header(jType)}${common}${bindings(false).replace("JTYPE", jType)}
const G4 = ${g4}u;
var<workgroup> red: array<vec4<f32>, ${wg * g4}>;
var<workgroup> stopped: u32;
${pass === "step" ? updateFn(variant) : ""}
@compute @workgroup_size(${wg})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = lid.x;
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let i = wid.x + wid.y * nwg.x;
  if (i >= P.n) { return; }
  let N4 = P.nPad / 4u;
  var acc: array<vec4<f32>, G4>;
  for (var j4 = t; j4 < N4; j4 += ${wg}u) {
    let a = vec4<f32>(J[i * N4 + j4]);
    for (var c = 0u; c < 4u; c++) {
      let j = j4 * 4u + c;
      for (var g = 0u; g < G4; g++) { acc[g] += a[c] * ${productInput(variant, pass)}(S[j * G4 + g]); }
    }
  }
  for (var g = 0u; g < G4; g++) { red[g * ${wg}u + t] = acc[g]; }
  for (var s = ${wg / 2}u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (t < s) {
      for (var g = 0u; g < G4; g++) { red[g * ${wg}u + t] += red[g * ${wg}u + t + s]; }
    }
  }
  workgroupBarrier();
  if (t < G4) {
    let idx = i * G4 + t;
    ${pass === "step" ? `advance(idx, S[idx], red[t * ${wg}u]);` : `partial[idx] = spin4(S[idx]) * (0.5 * red[t * ${wg}u]);`}
  }
}
`;
}

/**
 * Sparse kernel (CSR couplings): one thread per (oscillator, four agents); threads of one row walk the same
 * non-zeros (broadcast loads) and read four agents' values at each neighbour in one coalesced vec4 load.
 */
export function sparseSource(variant: SbVariant, pass: SbPass): string {
  return /* wgsl */ `${common}${bindings(true)}
${pass === "step" ? updateFn(variant) : ""}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  if (atomicLoad(&control.stop) != 0u) { return; }
  let G4 = P.agentsPad / 4u;
  let g = gid.x + gid.y * nwg.x * 64u;
  let i = g / G4;
  let q = g % G4;
  if (i >= P.n) { return; }
  let cols = P.n + 1u;
  var f = vec4<f32>(0.0);
  for (var k = csr[i]; k < csr[i + 1u]; k++) { f += val[k] * ${productInput(variant, pass)}(S[csr[cols + k] * G4 + q]); }
  let idx = i * G4 + q;
  ${pass === "step" ? "advance(idx, S[idx], f);" : "partial[idx] = spin4(S[idx]) * (0.5 * f);"}
}
`;
}

/**
 * Per-agent energy from the partials, best-so-far bookkeeping and the early stop. One thread per agent; the spins
 * of an improved agent are packed 32 to a word (reads of x[i·B + b] are coalesced across neighbouring agents).
 */
export const reduceSource = /* wgsl */ `${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> S: array<f32>;
@group(0) @binding(2) var<storage, read> partial: array<f32>;
@group(0) @binding(3) var<storage, read_write> energies: array<f32>;
@group(0) @binding(4) var<storage, read_write> bits: array<u32>;
@group(0) @binding(5) var<storage, read_write> control: Control;
@group(1) @binding(0) var<uniform> st: Step;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= P.agents) { return; }
  let B = P.agentsPad;
  var e = 0.0;
  // The partials hold s_i·(Js)_i / 2 (summed over tiles or rows); E = −Σ of them.
  for (var r = 0u; r < P.partialRows; r++) { e -= partial[r * B + b]; }
  energies[B + b] = e;
  if (e < energies[b]) {
    energies[b] = e;
    for (var w = 0u; w < P.words; w++) {
      var word = 0u;
      for (var q = 0u; q < 32u; q++) {
        let i = w * 32u + q;
        if (i < P.n && S[i * B + b] >= 0.0) { word |= 1u << q; }
      }
      bits[b * P.words + w] = word;
    }
  }
  if (e <= P.goal) {
    if (atomicMax(&control.stop, 1u) == 0u) { atomicStore(&control.stopStep, st.stopAs); }
  }
}
`;
