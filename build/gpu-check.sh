#!/usr/bin/env bash
# GPU check for packages/kernels, for a person with a GPU box (Node 20 + this repo installed with
# `bash scripts/setup.sh`; the Vulkan loader, Debian/Ubuntu package libvulkan1; the GPU's driver with its Vulkan ICD).
#   bash build/gpu-check.sh            preflight, parity of every GPU kernel on the real adapter, then the benchmarks
#   bash build/gpu-check.sh --no-bench preflight and parity only
#   bash build/gpu-check.sh --software --quick   a dry run of this script on SwiftShader (no GPU needed; numbers
#                                      mean nothing)
# A GPU machine without Node or this repository: bash build/gpu-pack.sh DIR there runs bench/kernels-gpu.bench.ts
# alone (see docs/kernels.md).
# Prints a Markdown section to paste into docs/BENCHMARKS.md ("Kernels"); raw JSON goes to $OUT (default
# ./gpu-check-out). Exit status: 0 all good, 1 a parity test failed, 2 no usable GPU (the message says what is missing).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-gpu-check-out}
bench=1 software=0 quick=()
for a in "$@"; do
  case "$a" in
    --no-bench) bench=0 ;;
    --software) software=1 ;;
    --quick) quick=(--quick) ;;
    *) echo "usage: bash build/gpu-check.sh [--no-bench] [--software] [--quick]" >&2; exit 2 ;;
  esac
done
gpu_flag=() test_gpu=hardware
if [ "$software" = 1 ]; then gpu_flag=(--software-gpu); test_gpu=software; fi
mkdir -p "$OUT"
say() { printf '\033[1mgpu-check:\033[0m %s\n' "$*" >&2; }
fail() { say "$*"; exit 2; }

# 1. Preflight: what the machine has, named so that a missing piece is obvious.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))"
[ -d node_modules ] || fail "the repository is not installed: run 'bash scripts/setup.sh' first"
card="unknown GPU"
if command -v nvidia-smi >/dev/null 2>&1; then
  card=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
  [ -n "$card" ] || fail "nvidia-smi is installed but lists no GPU: is the NVIDIA kernel driver loaded (lsmod | grep nvidia)?"
else
  say "nvidia-smi not found: not an NVIDIA box, or the driver's utilities are not installed"
fi
if [ "$software" = 1 ]; then
  card="SwiftShader (software dry run)"
elif ! { ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; } && [ -z "${NQP_VULKAN_LOADER:-}" ]; then
  fail "the Vulkan loader libvulkan.so.1 is missing: apt-get install libvulkan1 (RHEL: dnf install vulkan-loader)"
fi
icds=$(ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null | tr '\n' ' ')
[ -n "$icds" ] || [ -n "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ] || [ "$software" = 1 ] ||
  fail "no Vulkan driver registered (no ICD JSON in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d): install the GPU driver's Vulkan part (NVIDIA: libnvidia-gl-<version>)"
say "card: $card; Vulkan drivers: ${icds:-from VK_ICD_FILENAMES}"

# 2. What the kernels see (exit 2 when WGSL has no hardware adapter; the reason comes from the kernels' diagnosis).
pnpm --silent nqp kernels --json "${gpu_flag[@]}" >"$OUT/backends.json" || fail "nqp kernels failed: see above"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const b of r.backends) console.error(`  ${b.backend.padEnd(10)} ${b.ok ? "ok " : "no "} ${b.detail}`);
  const w = r.backends.find((b) => b.backend === "wgsl");
  if (!w.ok) { console.error(`gpu-check: WGSL cannot run here: ${w.detail}`); process.exit(2); }
' "$OUT/backends.json" || exit 2

# 3. Parity of every GPU kernel (SB tiled/matvec/sparse × aSB/bSB/dSB, early stop, reservoirs, ORT WebGPU) against
# core's TypeScript reference, on the real adapter instead of SwiftShader.
say "parity tests on the hardware adapter"
if ! NQP_TEST_GPU=$test_gpu npx vitest run packages/kernels 2>&1 | tee "$OUT/parity.txt"; then
  say "a parity test failed: see $OUT/parity.txt"
  exit 1
fi
[ "$bench" = 0 ] && exit 0

# 4. Benchmarks: the GPU bars, and this box's CPU back ends for the same-box comparison.
say "benchmarks (GPU)"
pnpm --silent bench kernels --gpu "${gpu_flag[@]}" "${quick[@]}" >"$OUT/gpu.json" || fail "the GPU benchmark failed: see above"
say "kernel variants (each checked against the reference on this GPU, then timed; summary below)"
pnpm --silent bench kernels-gpu "${gpu_flag[@]/--software-gpu/--software}" "${quick[@]}" >"$OUT/kernels-gpu.json" ||
  fail "the GPU variant benchmark failed: see above"
say "benchmarks (CPU of this box)"
pnpm --silent bench kernels "${quick[@]}" >"$OUT/cpu.json" || fail "the CPU benchmark failed: see above"
node build/gpu-report.mjs "$card" "$OUT/gpu.json" "$OUT/cpu.json"
