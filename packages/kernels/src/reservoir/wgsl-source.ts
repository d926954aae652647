/**
 * WGSL of core's reservoir steps and the batched linear readout (the same source runs on Dawn in Node and on
 * navigator.gpu in browsers). Layout as the WebAssembly kernels: unit-major, streams contiguous and padded to a
 * multiple of 4, one thread per (unit, four streams); threads of one unit walk the same CSR row (broadcast loads)
 * and read four streams' neighbour values in one coalesced vec4 load. State buffers ping-pong between steps.
 */
export const RES_PROBLEM_WORDS = 16;

const common = /* wgsl */ `
struct Problem {
  n: u32, g4: u32, m: u32, targets: u32,
  features: u32, extra: u32, featOffset: u32, pad0: u32,
  keep: f32, leak: f32, am: f32, as_: f32,
  at: f32, theta: f32, reset: f32, tref: f32,
}
struct Step { index: u32, pad0: u32, pad1: u32, pad2: u32 }
@group(1) @binding(0) var<uniform> st: Step;
`;

const stepBindings = /* wgsl */ `
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> csr: array<u32>;
@group(0) @binding(2) var<storage, read> val: array<f32>;
@group(0) @binding(3) var<storage, read> win: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read> U: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(7) var<storage, read_write> Xo: array<vec4<f32>>;

/** bias_i (ESN; 0 for LIF) + Σ_k W_in[i,k]·u_k + Σ_p W[i, col_p]·src[col_p], four streams. */
fn drive(i: u32, q: u32, start: f32, src: u32) -> vec4<f32> {
  var s = vec4<f32>(start);
  for (var k = 0u; k < P.m; k++) { s += win[i * P.m + k] * U[(st.index * P.m + k) * P.g4 + q]; }
  let cols = P.n + 1u;
  for (var p = csr[i]; p < csr[i + 1u]; p++) { s += val[p] * X[src + csr[cols + p] * P.g4 + q]; }
  return s;
}
`;

/** core's reservoirTanh (the [7/6] Padé approximant, ±1 beyond |x| > 4.97). */
const tanhPade = /* wgsl */ `
fn tanhPade(x: vec4<f32>) -> vec4<f32> {
  let x2 = x * x;
  let r = x * (135135.0 + x2 * (17325.0 + x2 * (378.0 + x2))) / (135135.0 + x2 * (62370.0 + x2 * (3150.0 + 28.0 * x2)));
  return select(select(r, vec4<f32>(1.0), x > vec4<f32>(4.97)), vec4<f32>(-1.0), x < vec4<f32>(-4.97));
}
`;

const entry = (body: string) => /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 64u;
  let i = g / P.g4;
  let q = g % P.g4;
  if (i >= P.n) { return; }
${body}
}
`;

/** Echo-state step: x ← (1 − a)·x + a·tanh(W_in·u + b + W·x). */
export const esnSource = `${common}${stepBindings}${tanhPade}${entry(/* wgsl */ `
  let idx = i * P.g4 + q;
  Xo[idx] = P.keep * X[idx] + P.leak * tanhPade(drive(i, q, bias[i], 0u));`)}`;

/**
 * LIF step (core's advanceLif): planes v, I, refractory, spikes, trace of n·g4 vec4 each; the drive reads last
 * step's spikes from the input buffer's spike plane.
 */
export const lifSource = `${common}${stepBindings}${entry(/* wgsl */ `
  let plane = P.n * P.g4;
  let idx = i * P.g4 + q;
  let cur = P.as_ * X[plane + idx] + drive(i, q, 0.0, 3u * plane);
  let r = X[2u * plane + idx];
  let inRef = r > vec4<f32>(0.0);
  let cand = P.am * X[idx] + (1.0 - P.am) * (cur + bias[i]);
  let fire = (cand >= vec4<f32>(P.theta)) & !inRef;
  let s = select(vec4<f32>(0.0), vec4<f32>(1.0), fire);
  Xo[idx] = select(cand, vec4<f32>(P.reset), inRef | fire);
  Xo[plane + idx] = cur;
  Xo[2u * plane + idx] = select(select(r, vec4<f32>(P.tref), fire), r - 1.0, inRef);
  Xo[3u * plane + idx] = s;
  Xo[4u * plane + idx] = P.at * X[4u * plane + idx] + (1.0 - P.at) * s;`)}`;

/** out[step][t] = c[t] + Σ_f W[t][f]·feature_f for four streams; features = reservoir plane, then host extras. */
export const readoutSource = /* wgsl */ `${common}
@group(0) @binding(0) var<uniform> P: Problem;
@group(0) @binding(1) var<storage, read> W: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> C: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> F: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read> E: array<vec4<f32>>;
@group(0) @binding(5) var<storage, read_write> O: array<vec4<f32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let t = gid.x / P.g4;
  let q = gid.x % P.g4;
  if (t >= P.targets) { return; }
  var acc = C[t * P.g4 + q];
  let w0 = t * P.features;
  for (var f = 0u; f < P.n; f++) { acc += W[(w0 + f) * P.g4 + q] * F[P.featOffset + f * P.g4 + q]; }
  for (var e = 0u; e < P.extra; e++) { acc += W[(w0 + P.n + e) * P.g4 + q] * E[(st.index * P.extra + e) * P.g4 + q]; }
  O[(st.index * P.targets + t) * P.g4 + q] = acc;
}
`;
