import type { SbVariant } from "./types";

/**
 * WGSL for batched simulated bifurcation, generated per (kernel shape, variant, pass). The same source runs on Dawn
 * in Node and on navigator.gpu in browsers and Electron.
 *
 * Device layout: spins major, agents contiguous, so that one coupling row meets many agents in one coalesced load:
 * x[i·B + b] for spin i of agent b, with B padded (to 64 for the tiled kernel, to 4 otherwise) and n padded to 64
 * for dense couplings. Padded spins have zero couplings and stay at x = y = 0. A state buffer holds x then y;
 * two of them ping-pong, since every step reads all of x while writing it.
 *
 * Passes: "step" advances one step (and, for dSB on a check step, also measures the energy of the spins it just
 * multiplied: J·s(x) is its product anyway); "energy" only measures; "reduce" sums the per-tile energy partials of
 * each agent, keeps its best energy and spins (bit-packed) and raises the stop flag when the target is reached.
 * Every pass reads the stop flag first, so the steps left in a submission after an early stop cost one load each.
 */
export type SbShape = "tiled" | "matvec" | "sparse";
export type SbPass = "step" | "energy";

/** Host-side mirror of the Problem and Step uniforms below (sizes in 32-bit words). */
export const PROBLEM_WORDS = 12;
export const STEP_WORDS = 4;
/** Dynamic uniform offsets must be multiples of this (WebGPU's minUniformBufferOffsetAlignment default). */
export const STEP_STRIDE = 256;
/** Tile edge of the tiled kernel (spins and agents). */
export const TILE = 64;
/** Largest padded agent count that uses the matrix–vector kernel. */
export const MATVEC_MAX_AGENTS = 16;

const common = /* wgsl */ `
struct Problem {
  n: u32, nPad: u32, agents: u32, agentsPad: u32,
  dt: f32, a0: f32, c0: f32, goal: f32,
  partialRows: u32, words: u32, pad0: u32, pad1: u32,
}
// pump: a(t) at this step; index: the step; check: measure energies; stopAs: the step count the state stands at
// if this measurement stops the run.
struct Step { pump: f32, index: u32, check: u32, stopAs: u32 }
struct Control { stop: atomic<u32>, stopStep: atomic<u32>, pad0: u32, pad1: u32 }

fn spin4(x: vec4<f32>) -> vec4<f32> { return select(vec4<f32>(-1.0), vec4<f32>(1.0), x >= vec4<f32>(0.0)); }
`;

/** The SB update of four agents of spin i; f = J·ξ + h. Returns nothing: writes So. */
function updateFn(variant: SbVariant): string {
  const restoring = variant === "asb" ? "x * x + vec4<f32>(P.a0 - st.pump)" : "vec4<f32>(P.a0 - st.pump)";
  const walls =
    variant === "asb"
      ? ""
      : `
  let hit = abs(xn) > vec4<f32>(1.0);
  xn = select(xn, sign(xn), hit);
  yn = select(yn, vec4<f32>(0.0), hit);`;
  return /* wgsl */ `
fn advance(idx: u32, x: vec4<f32>, f: vec4<f32>) {
  let yOff = P.nPad * P.agentsPad / 4u;
  var yn = S[yOff + idx] + P.dt * (-(${restoring}) * x + P.c0 * f);
  var xn = x + P.dt * P.a0 * yn;${walls}
  So[idx] = xn;
  So[yOff + idx] = yn;
}
`;
}

function header(jType: "f32" | "f16"): string {
  return jType === "f16" ? "enable f16;\n" : "";
}

/** Input of the product: the positions (aSB, bSB steps) or the spins (dSB steps and every energy pass). */
function usesSpins(variant: SbVariant, pass: SbPass): boolean {
  return pass === "energy" || variant === "dsb";
}

/**
 * Tiled kernel (agents ≥ 17): each 16×16 workgroup computes a 64-spin × 64-agent tile of F = J·Ξ with 4×4 per
 * thread, staging 16-deep slices of J and Ξ in workgroup memory; J is symmetric, so its tile is read along rows
 * (coalesced). The SB update runs in the epilogue, so F never leaves registers.
 */
export function tiledSource(variant: SbVariant, pass: SbPass, jType: "f32" | "f16"): string {
  const xi = usesSpins(variant, pass) ? "spin4" : "";
  const measures = pass === "energy" || variant === "dsb";
  const rows = [0, 1, 2, 3]
    .map(
      (r) => /* wgsl */ `
  {
    let i = i0 + ty * 4u + ${r}u;
    let idx = (i * B + b0) / 4u + tx;
    let x = S[idx];
    let hi = vec4<f32>(h[i]);
    ${measures ? `if (measure) { e += spin4(x) * (0.5 * acc${r} + hi); }` : ""}
    ${pass === "step" ? `advance(idx, x, acc${r} + hi);` : ""}
  }`,
    )
    .join("");
  return /* wgsl */ `${header(jType)}${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> J: array<vec4<${jType}>>;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> control: Control;
@group(0) @binding(6) var<storage, read_write> partial: array<vec4<f32>>;
@group(1) @binding(0) var<uniform> st: Step;

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
    Xs[t] = ${xi}(S[((k0 + kk) * B + b0) / 4u + q]);
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
  let measure = ${pass === "energy" ? "true" : measures ? "st.check != 0u" : "false"};
  var e = vec4<f32>(0.0);
  ${rows}
  if (measure) {
    At[t] = e;
    workgroupBarrier();
    if (ty == 0u) {
      var sum = vec4<f32>(0.0);
      for (var r = 0u; r < 16u; r++) { sum += At[r * 16u + tx]; }
      partial[wid.y * (B / 4u) + b0 / 4u + tx] = sum;
    }
  }
}
`;
}

/**
 * Matrix–vector kernel (≤ 16 agents): one 256-thread workgroup per coupling row, split over the row (split-K), so
 * that a single agent still keeps the whole GPU busy; the row's partial sums meet in a workgroup tree reduction.
 * Memory-bound: J is read once per step.
 */
export function matvecSource(variant: SbVariant, pass: SbPass, jType: "f32" | "f16", agentsPad: number): string {
  const g4 = agentsPad / 4;
  const xi = usesSpins(variant, pass) ? "spin4" : "";
  const measures = pass === "energy" || variant === "dsb";
  const measure = pass === "energy" ? "true" : measures ? "st.check != 0u" : "false";
  return /* wgsl */ `${header(jType)}${common}
const G4 = ${g4}u;
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> J: array<vec4<${jType}>>;
@group(0) @binding(2) var<storage, read> h: array<f32>;
@group(0) @binding(3) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> control: Control;
@group(0) @binding(6) var<storage, read_write> partial: array<vec4<f32>>;
@group(1) @binding(0) var<uniform> st: Step;

var<workgroup> red: array<vec4<f32>, ${256 * g4}>;
var<workgroup> stopped: u32;
${pass === "step" ? updateFn(variant) : ""}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = lid.x;
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let i = wid.x + wid.y * nwg.x;
  if (i >= P.n) { return; }
  let N4 = P.nPad / 4u;
  var acc: array<vec4<f32>, G4>;
  for (var j4 = t; j4 < N4; j4 += 256u) {
    let a = vec4<f32>(J[i * N4 + j4]);
    for (var c = 0u; c < 4u; c++) {
      let j = j4 * 4u + c;
      for (var g = 0u; g < G4; g++) { acc[g] += a[c] * ${xi}(S[j * G4 + g]); }
    }
  }
  for (var g = 0u; g < G4; g++) { red[g * 256u + t] = acc[g]; }
  for (var s = 128u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (t < s) {
      for (var g = 0u; g < G4; g++) { red[g * 256u + t] += red[g * 256u + t + s]; }
    }
  }
  workgroupBarrier();
  if (t < G4) {
    let idx = i * G4 + t;
    let x = S[idx];
    let hi = vec4<f32>(h[i]);
    let f = red[t * 256u];
    if (${measure}) { partial[idx] = spin4(x) * (0.5 * f + hi); }
    ${pass === "step" ? "advance(idx, x, f + hi);" : ""}
  }
}
`;
}

/**
 * Sparse kernel (CSR couplings): one thread per (spin, four agents); threads of one row walk the same non-zeros
 * (broadcast loads) and read four agents' values at each neighbour in one coalesced vec4 load.
 */
export function sparseSource(variant: SbVariant, pass: SbPass): string {
  const xi = usesSpins(variant, pass) ? "spin4" : "";
  const measures = pass === "energy" || variant === "dsb";
  const measure = pass === "energy" ? "true" : measures ? "st.check != 0u" : "false";
  return /* wgsl */ `${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> csr: array<u32>;
@group(0) @binding(2) var<storage, read> val: array<f32>;
@group(0) @binding(3) var<storage, read> h: array<f32>;
@group(0) @binding(4) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> control: Control;
@group(0) @binding(7) var<storage, read_write> partial: array<vec4<f32>>;
@group(1) @binding(0) var<uniform> st: Step;
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
  for (var k = csr[i]; k < csr[i + 1u]; k++) { f += val[k] * ${xi}(S[csr[cols + k] * G4 + q]); }
  let idx = i * G4 + q;
  let x = S[idx];
  let hi = vec4<f32>(h[i]);
  if (${measure}) { partial[idx] = spin4(x) * (0.5 * f + hi); }
  ${pass === "step" ? "advance(idx, x, f + hi);" : ""}
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
  // The partials hold s_i·(½(Js)_i + h_i); E = −Σ_i of them.
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
