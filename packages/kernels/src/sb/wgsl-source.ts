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
export type SbShape = "tiled" | "tiled128" | "int8" | "tensor" | "matvec" | "sparse";
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
fn advance(idx: u32, x: vec4<f32>, f: vec4<f32>) -> vec4<f32> {
  let yOff = P.nPad * P.agentsPad / 4u;
  let dy = -(P.a0 - st.pump) * x${kerr} + P.c0 * f;
  var yn = P.heatFactor * S[yOff + idx] + P.dt * dy;
  var xn = x + P.dt * P.a0 * yn;${walls}
  So[idx] = xn;
  So[yOff + idx] = yn;
  return xn;
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
  const m = "f32";
  const hdr = header(jType);
  const R = [0, 1, 2, 3, 4, 5, 6, 7];
  const H = [0, 1];
  const decl = R.flatMap((r) => H.map((h) => `  var acc${r}_${h} = vec4<${m}>(0.0);`)).join("\n");
  const fma = R.map((r) => {
    const a = r < 4 ? `a0.${"xyzw"[r]}` : `a1.${"xyzw"[r - 4]}`;
    return H.map((h) => `      acc${r}_${h} += ${a} * x${h};`).join("\n");
  }).join("\n");
  const rows = R.flatMap((r) =>
    H.map(
      (h) => /* wgsl */ `
  {
    let idx = ((i0 + ty * 8u + ${r}u) * B + b0) / 4u + tx * 2u + ${h}u;
    ${pass === "step" ? `advance(idx, S[idx], vec4<f32>(acc${r}_${h}));` : `e${h} += spin4(S[idx]) * vec4<f32>(acc${r}_${h});`}
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
  return /* wgsl */ `${hdr}${common}${bindings(false).replace("JTYPE", jType)}
var<workgroup> At: array<vec4<${m}>, 256>;
var<workgroup> Xs: array<vec4<${m}>, 256>;
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
    At[t] = vec4<${m}>(J[((k0 + kk) * N + i0) / 4u + q]);
    Xs[t] = vec4<${m}>(${productInput(variant, pass)}(S[((k0 + kk) * B + b0) / 4u + q]));
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
 * Integer kernel (shape int8; dSB with integer couplings in [−127, 127]): the step's product J·sgn(x) with four
 * couplings and four signs packed in one 32-bit word each, multiplied by WGSL's dot4I8Packed (one DP4A instruction on
 * GPUs that have it) into i32 sums, which are exact. Same 128 × 128 tile and 8 × 8 blocking as tiled128, with a
 * quarter of the bytes in workgroup memory per multiply-add. Couplings are laid out k-word-major
 * (Jq[w·nPad + i] = J[i][4w .. 4w+3], bytes low to high), signs likewise (Q[w·B + b] = sgn x of spins 4w .. 4w+3 of
 * agent b); each step's epilogue writes the signs of the new x for the next step (ping-pong, as the state).
 */
export function int8Source(variant: SbVariant): string {
  const R = [0, 1, 2, 3, 4, 5, 6, 7];
  const H = [0, 1];
  const decl = R.flatMap((r) => H.map((h) => `  var acc${r}_${h} = vec4<i32>(0);`)).join("\n");
  const lane = (r: number) => (r < 4 ? `a0.${"xyzw"[r]}` : `a1.${"xyzw"[r - 4]}`);
  const dots = R.map((r) =>
    H.map(
      (h) =>
        `      acc${r}_${h} += vec4<i32>(dot4I8Packed(${lane(r)}, p${h}.x), dot4I8Packed(${lane(r)}, p${h}.y), dot4I8Packed(${lane(r)}, p${h}.z), dot4I8Packed(${lane(r)}, p${h}.w));`,
    ).join("\n"),
  ).join("\n");
  const steps = R.flatMap((r) =>
    H.map(
      (h) => `
  let xn${r}_${h} = advance(((i0 + ty * 8u + ${r}u) * B + b0) / 4u + tx * 2u + ${h}u, S[((i0 + ty * 8u + ${r}u) * B + b0) / 4u + tx * 2u + ${h}u], vec4<f32>(acc${r}_${h}));`,
    ),
  ).join("");
  // Signs of the new x, four spins (rows) to a word, for this thread's two words × eight agents.
  const pack = [0, 1]
    .flatMap((w) =>
      H.map((h) => {
        const s = (r: number) => `vec4<i32>(sign(xn${4 * w + r}_${h}))`;
        return `
  {
    let s0 = ${s(0)}; let s1 = ${s(1)}; let s2 = ${s(2)}; let s3 = ${s(3)};
    Qo[((i0 / 4u + ty * 2u + ${w}u) * B + b0) / 4u + tx * 2u + ${h}u] = vec4<u32>(
      pack4xI8(vec4<i32>(s0.x, s1.x, s2.x, s3.x)), pack4xI8(vec4<i32>(s0.y, s1.y, s2.y, s3.y)),
      pack4xI8(vec4<i32>(s0.z, s1.z, s2.z, s3.z)), pack4xI8(vec4<i32>(s0.w, s1.w, s2.w, s3.w)));
  }`;
      }),
    )
    .join("");
  return /* wgsl */ `${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> Jq: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> control: Control;
@group(0) @binding(5) var<storage, read> Q: array<vec4<u32>>;
@group(0) @binding(6) var<storage, read_write> Qo: array<vec4<u32>>;
@group(1) @binding(0) var<uniform> st: Step;
var<workgroup> At: array<vec4<u32>, 256>;
var<workgroup> Xs: array<vec4<u32>, 256>;
var<workgroup> stopped: u32;
${updateFn(variant)}
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
  // Eight k-words (32 spins) per stage.
  for (var w0 = 0u; w0 < N / 4u; w0 += 8u) {
    At[t] = Jq[((w0 + kk) * N + i0) / 4u + q];
    Xs[t] = Q[((w0 + kk) * B + b0) / 4u + q];
    workgroupBarrier();
    for (var k = 0u; k < 8u; k++) {
      let a0 = At[k * 32u + ty * 2u];
      let a1 = At[k * 32u + ty * 2u + 1u];
      let p0 = Xs[k * 32u + tx * 2u];
      let p1 = Xs[k * 32u + tx * 2u + 1u];
${dots}
    }
    workgroupBarrier();
  }
${steps}
${pack}
}
`;
}

/** Tensor-core kernel's blocking: result tiles per subgroup (rows × agents) for an adapter's M×N×K shape. */
export interface TensorBlock {
  M: number;
  N: number;
  K: number;
  rowTiles: number;
  agentTiles: number;
  /**
   * Split-K: workgroups along z each sum a 1/split slice of the spins into their own partial planes, which the update
   * pass adds: more subgroups in flight (one subgroup per workgroup leaves an H200 with a few warps per SM otherwise).
   */
  split: number;
  /** Four subgroups per workgroup sharing J and Φ through workgroup memory (tensorStagedSource). */
  staged?: boolean;
  /** How this Dawn reads 8-bit subgroup matrices (found on the device by probeTensorConvention). */
  convention: TensorConvention;
}

/**
 * The spelling and meaning of Dawn's 8-bit subgroup-matrix loads, which changed while the feature is experimental:
 * the builtins' syntax (a layout template argument, or before mid-2025 a column-major bool), whether offsets and
 * strides into the packed i32 array count bytes (Dawn's current definition) or i32 words, and whether row_major
 * means what it says. The kernel probes the candidates on the device once and keeps the one that multiplies right.
 */
export interface TensorConvention {
  syntax: "layout" | "bool";
  offsetInWords: boolean;
  strideInWords: boolean;
  transposed: boolean;
}

export const TENSOR_CONVENTIONS: TensorConvention[] = (["layout", "bool"] as const).flatMap((syntax) =>
  [false, true].flatMap((offsetInWords) =>
    [false, true].flatMap((strideInWords) =>
      [false, true].map((transposed) => ({ syntax, offsetInWords, strideInWords, transposed })),
    ),
  ),
);

/**
 * Planes of Φ, the product's right operand, in int8: dSB multiplies sgn x (one plane, exact). aSB and bSB multiply x
 * in 21-bit fixed point, q = round(x·2²⁰), as three balanced base-128 digits q = d0·2¹⁴ + d1·2⁷ + d2 with |d| ≤ 64
 * (|x| ≤ 1.98, clamped), so J·x = (J·d0·2¹⁴ + J·d1·2⁷ + J·d2)·2⁻²⁰ with three exact integer products: x to 2⁻²¹ absolute,
 * close to float32 for |x| ≤ 1 (the walls of bSB keep it there).
 */
export const tensorPlanes = (variant: SbVariant) => (variant === "discrete" ? 1 : 3);

/**
 * Tensor-core product (shape tensor), pass 1 of a step: F = J·Φ with Dawn's subgroup matrices in int8 with i32 sums
 * (NVIDIA's tensor cores through VK_KHR_cooperative_matrix; the configuration NVIDIA's driver offers to Dawn is
 * i8 × i8 → i32, 16 × 16 × 32). One subgroup per workgroup computes rowTiles × agentTiles result tiles for every
 * plane, reading J (int8, row-major, four to an i32) and Φ (int8, spin-major with agents contiguous) straight from
 * storage: at these sizes J (4 MB) stays in L2. Integer sums are exact (|Σ| ≤ 127·64·n < 2³¹ for n < 2¹⁸).
 * Offsets and strides of 8-bit matrices count elements (bytes), not i32 words (Dawn's WGSL definition).
 */
export function tensorProductSource(variant: SbVariant, b: TensorBlock): string {
  const planes = [...Array(tensorPlanes(variant)).keys()];
  const RT = [...Array(b.rowTiles).keys()];
  const AT = [...Array(b.agentTiles).keys()];
  const left = `subgroup_matrix_left<i8, ${b.K}, ${b.M}>`;
  const right = `subgroup_matrix_right<i8, ${b.N}, ${b.K}>`;
  const result = `subgroup_matrix_result<i32, ${b.N}, ${b.M}>`;
  const c = b.convention;
  const major = c.transposed ? "col_major" : "row_major";
  const load = (type: string, arr: string, offset: string, stride: string) => {
    const o = c.offsetInWords ? `(${offset}) / 4u` : offset;
    const st = c.strideInWords ? `(${stride}) / 4u` : stride;
    return c.syntax === "layout"
      ? `subgroupMatrixLoad<${type}, ${major}>(&${arr}, ${o}, ${st})`
      : `subgroupMatrixLoad<${type}>(&${arr}, ${o}, ${c.transposed}, ${st})`;
  };
  const store = (arr: string, offset: string, value: string, stride: string) =>
    c.syntax === "layout"
      ? `subgroupMatrixStore<${major}>(&${arr}, ${offset}, ${value}, ${stride});`
      : `subgroupMatrixStore(&${arr}, ${offset}, ${value}, ${c.transposed}, ${stride});`;
  const decl = planes
    .flatMap((p) => RT.flatMap((r) => AT.map((c) => `  var acc${p}_${r}_${c} = ${result}();`)))
    .join("\n");
  const loads = [
    ...RT.map((r) => `    let l${r} = ${load(left, "Jq", `(i0 + ${r * b.M}u) * N + k0`, "N")};`),
    ...planes.flatMap((p) =>
      AT.map((c) => `    let h${p}_${c} = ${load(right, `Phi${p}`, `k0 * B + b0 + ${c * b.N}u`, "B")};`),
    ),
  ].join("\n");
  const mma = planes
    .flatMap((p) =>
      RT.flatMap((r) =>
        AT.map(
          (c) => `    acc${p}_${r}_${c} = subgroupMatrixMultiplyAccumulate(l${r}, h${p}_${c}, acc${p}_${r}_${c});`,
        ),
      ),
    )
    .join("\n");
  const stores = planes
    .flatMap((p) =>
      RT.flatMap((r) =>
        AT.map(
          (c) =>
            `  ${store("F", `(kz * ${planes.length}u + ${p}u) * N * B + (i0 + ${r * b.M}u) * B + b0 + ${c * b.N}u`, `acc${p}_${r}_${c}`, "B")}`,
        ),
      ),
    )
    .join("\n");
  return /* wgsl */ `enable chromium_experimental_subgroup_matrix;
${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> Jq: array<i32>;
@group(0) @binding(2) var<storage, read> Phi0: array<i32>;
@group(0) @binding(3) var<storage, read> Phi1: array<i32>;
@group(0) @binding(4) var<storage, read> Phi2: array<i32>;
@group(0) @binding(5) var<storage, read_write> F: array<i32>;
@group(0) @binding(6) var<storage, read_write> control: Control;
@group(1) @binding(0) var<uniform> st: Step;
var<workgroup> stopped: u32;

@compute @workgroup_size(32)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>) {
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let N = P.nPad;
  let B = P.agentsPad;
  let i0 = wid.y * ${b.M * b.rowTiles}u;
  let b0 = wid.x * ${b.N * b.agentTiles}u;
  let kz = wid.z;
  let kLen = N / ${b.split}u;
${decl}
  for (var k0 = kz * kLen; k0 < (kz + 1u) * kLen; k0 += ${b.K}u) {
${loads}
${mma}
  }
${stores}
}
`;
}

/**
 * Staged tensor-core product (TensorBlock.staged): four subgroups per workgroup (a 2 × 2 grid, each rowTiles ×
 * agentTiles result tiles) share 32-deep slices of J and Φ that the workgroup copies into workgroup memory with
 * vec4 loads, the next slice fetched into registers while the current one is multiplied: a quarter of the global
 * traffic of tensorProductSource per multiply, and the loads coalesced. Same bindings, planes and split-K.
 */
export function tensorStagedSource(variant: SbVariant, b: TensorBlock): string {
  const planes = [...Array(tensorPlanes(variant)).keys()];
  const RT = [...Array(b.rowTiles).keys()];
  const AT = [...Array(b.agentTiles).keys()];
  const rowsWg = 2 * b.rowTiles * b.M;
  const agentsWg = 2 * b.agentTiles * b.N;
  const jVec = (rowsWg * b.K) / 16; // vec4<i32> per slice of J
  const pVec = (b.K * agentsWg) / 16; // per plane
  const jPer = Math.ceil(jVec / 128);
  const pPer = Math.ceil(pVec / 128);
  const c = b.convention;
  const major = c.transposed ? "col_major" : "row_major";
  const load = (type: string, arr: string, offset: string, stride: number) => {
    const o = c.offsetInWords ? `(${offset}) / 4u` : offset;
    const st = c.strideInWords ? `${stride / 4}u` : `${stride}u`;
    return c.syntax === "layout"
      ? `subgroupMatrixLoad<${type}, ${major}>(&${arr}, ${o}, ${st})`
      : `subgroupMatrixLoad<${type}>(&${arr}, ${o}, ${c.transposed}, ${st})`;
  };
  const store = (arr: string, offset: string, value: string, stride: string) =>
    c.syntax === "layout"
      ? `subgroupMatrixStore<${major}>(&${arr}, ${offset}, ${value}, ${stride});`
      : `subgroupMatrixStore(&${arr}, ${offset}, ${value}, ${c.transposed}, ${stride});`;
  const left = `subgroup_matrix_left<i8, ${b.K}, ${b.M}>`;
  const right = `subgroup_matrix_right<i8, ${b.N}, ${b.K}>`;
  const result = `subgroup_matrix_result<i32, ${b.N}, ${b.M}>`;
  // Slice element e of J: row e / (K/16) of the block, vec4 e % (K/16) along k; of Φ: k row e / (agentsWg/16).
  const jAddr = (e: string) => `((i0 + (${e}) / ${b.K / 16}u) * N + k0) / 16u + (${e}) % ${b.K / 16}u`;
  const pAddr = (e: string) => `((k0 + (${e}) / ${agentsWg / 16}u) * B + b0) / 16u + (${e}) % ${agentsWg / 16}u`;
  const fetch = [...Array(jPer).keys()]
    .map((m) => `    if (t + ${m * 128}u < ${jVec}u) { jr${m} = Jv[${jAddr(`t + ${m * 128}u`)}]; }`)
    .concat(
      planes.flatMap((p) =>
        [...Array(pPer).keys()].map(
          (m) => `    if (t + ${m * 128}u < ${pVec}u) { pr${p}_${m} = Phi${p}[${pAddr(`t + ${m * 128}u`)}]; }`,
        ),
      ),
    )
    .join("\n");
  const put = (arr: string, reg: string, m: number, count: number) =>
    `    if (t + ${m * 128}u < ${count}u) { let e = (t + ${m * 128}u) * 4u; ${arr}[e] = ${reg}.x; ${arr}[e + 1u] = ${reg}.y; ${arr}[e + 2u] = ${reg}.z; ${arr}[e + 3u] = ${reg}.w; }`;
  const stash = [...Array(jPer).keys()]
    .map((m) => put("Js", `jr${m}`, m, jVec))
    .concat(planes.flatMap((p) => [...Array(pPer).keys()].map((m) => put(`Ps${p}`, `pr${p}_${m}`, m, pVec))))
    .join("\n");
  const regs = [...Array(jPer).keys()]
    .map((m) => `  var jr${m} = vec4<i32>(0);`)
    .concat(planes.flatMap((p) => [...Array(pPer).keys()].map((m) => `  var pr${p}_${m} = vec4<i32>(0);`)))
    .join("\n");
  const decl = planes
    .flatMap((p) => RT.flatMap((r) => AT.map((a) => `  var acc${p}_${r}_${a} = ${result}();`)))
    .join("\n");
  const mma = [
    ...RT.map((r) => `    let l${r} = ${load(left, "Js", `(sr + ${r * b.M}u) * ${b.K}u`, b.K)};`),
    ...planes.flatMap((p) =>
      AT.map((a) => `    let h${p}_${a} = ${load(right, `Ps${p}`, `sc + ${a * b.N}u`, agentsWg)};`),
    ),
    ...planes.flatMap((p) =>
      RT.flatMap((r) =>
        AT.map(
          (a) => `    acc${p}_${r}_${a} = subgroupMatrixMultiplyAccumulate(l${r}, h${p}_${a}, acc${p}_${r}_${a});`,
        ),
      ),
    ),
  ].join("\n");
  const stores = planes
    .flatMap((p) =>
      RT.flatMap((r) =>
        AT.map(
          (a) =>
            `  ${store("F", `(kz * ${planes.length}u + ${p}u) * N * B + (i0 + sr + ${r * b.M}u) * B + b0 + sc + ${a * b.N}u`, `acc${p}_${r}_${a}`, "B")}`,
        ),
      ),
    )
    .join("\n");
  return /* wgsl */ `enable chromium_experimental_subgroup_matrix;
enable subgroups;
${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> Jv: array<vec4<i32>>;
@group(0) @binding(2) var<storage, read> Phi0: array<vec4<i32>>;
@group(0) @binding(3) var<storage, read> Phi1: array<vec4<i32>>;
@group(0) @binding(4) var<storage, read> Phi2: array<vec4<i32>>;
@group(0) @binding(5) var<storage, read_write> F: array<i32>;
@group(0) @binding(6) var<storage, read_write> control: Control;
@group(1) @binding(0) var<uniform> st: Step;
var<workgroup> stopped: u32;
var<workgroup> Js: array<i32, ${jVec * 4}>;
${planes.map((p) => `var<workgroup> Ps${p}: array<i32, ${pVec * 4}>;`).join("\n")}

@compute @workgroup_size(128)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(subgroup_id) sg: u32) {
  if (t == 0u) { stopped = atomicLoad(&control.stop); }
  if (workgroupUniformLoad(&stopped) != 0u) { return; }
  let N = P.nPad;
  let B = P.agentsPad;
  let i0 = wid.y * ${rowsWg}u;
  let b0 = wid.x * ${agentsWg}u;
  // This subgroup's corner of the block (a 2 × 2 grid of subgroups).
  let sr = (sg / 2u) * ${b.rowTiles * b.M}u;
  let sc = (sg % 2u) * ${b.agentTiles * b.N}u;
  let kz = wid.z;
  let kLen = N / ${b.split}u;
  let kEnd = (kz + 1u) * kLen;
${decl}
${regs}
  var k0 = kz * kLen;
${fetch}
  for (; k0 < kEnd; k0 += ${b.K}u) {
${stash}
    workgroupBarrier();
    if (k0 + ${b.K}u < kEnd) {
      k0 += ${b.K}u;
${fetch}
      k0 -= ${b.K}u;
    }
${mma}
    workgroupBarrier();
  }
${stores}
}
`;
}

/** Tensor-core kernel, pass 2 of a step: the SB update from F, and the int8 planes of Φ of the new x. */
export function tensorUpdateSource(variant: SbVariant, split = 1): string {
  const dsb = variant === "discrete";
  const planes = tensorPlanes(variant);
  // Plane p of split z sits at (z·planes + p)·plane; the integer partial sums add exactly.
  const sum = (p: number) =>
    `vec4<f32>(${[...Array(split).keys()].map((z) => `F[${z * planes + p}u * plane + g]`).join(" + ")})`;
  const f = dsb ? sum(0) : `(${sum(0)} * 16384.0 + ${sum(1)} * 128.0 + ${sum(2)}) * (1.0 / 1048576.0)`;
  const phi = dsb
    ? "Phi0[g] = bitcast<i32>(pack4xI8(vec4<i32>(sign(xn))));"
    : /* wgsl */ `let q = vec4<i32>(round(clamp(xn, vec4<f32>(-1.98), vec4<f32>(1.98)) * 1048576.0));
  let d2 = ((q + vec4<i32>(64)) & vec4<i32>(127)) - vec4<i32>(64);
  let q1 = (q - d2) >> vec4<u32>(7u);
  let d1 = ((q1 + vec4<i32>(64)) & vec4<i32>(127)) - vec4<i32>(64);
  let d0 = (q1 - d1) >> vec4<u32>(7u);
  Phi0[g] = bitcast<i32>(pack4xI8(d0));
  Phi1[g] = bitcast<i32>(pack4xI8(d1));
  Phi2[g] = bitcast<i32>(pack4xI8(d2));`;
  return /* wgsl */ `${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> F: array<vec4<i32>>;
@group(0) @binding(2) var<storage, read> S: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> So: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> control: Control;
@group(0) @binding(5) var<storage, read_write> Phi0: array<i32>;
@group(0) @binding(6) var<storage, read_write> Phi1: array<i32>;
@group(0) @binding(7) var<storage, read_write> Phi2: array<i32>;
@group(1) @binding(0) var<uniform> st: Step;
${updateFn(variant)}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  if (atomicLoad(&control.stop) != 0u) { return; }
  let g = gid.x + gid.y * nwg.x * 64u;
  let plane = P.nPad * P.agentsPad / 4u;
  if (g >= plane) { return; }
  let xn = advance(g, S[g], ${f});
  ${phi}
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
  jType: "f32" | "f16" | "i8",
  agentsPad: number,
  nPad: number,
): string {
  const g4 = agentsPad / 4;
  // No more threads than the row has vec4s (a power of two for the tree reduction), at most 256, and a reduction
  // buffer within WebGPU's default 16 KiB of workgroup memory.
  const cap = 2 ** Math.floor(Math.log2(16000 / (16 * g4)));
  const wg = Math.max(32, Math.min(256, cap, 2 ** Math.ceil(Math.log2(nPad / 4))));
  // i8: integer couplings within ±127 packed four to a word (a quarter of f32's bytes; exact once widened).
  const binding =
    jType === "i8"
      ? bindings(false).replace("array<vec4<JTYPE>>", "array<u32>")
      : bindings(false).replace("JTYPE", jType);
  const row = jType === "i8" ? "vec4<f32>(unpack4xI8(J[i * N4 + j4]))" : "vec4<f32>(J[i * N4 + j4])";
  return /* wgsl */ `${jType === "i8" ? "" : header(jType)}${common}${binding}
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
    let a = ${row};
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
