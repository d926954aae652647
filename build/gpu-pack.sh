#!/usr/bin/env bash
# Packs the GPU benchmark (bench/kernels-gpu.bench.ts: parity of every kernel variant on the adapter, then the GPU
# bars) into one folder that runs on a Linux x64 GPU machine with neither Node nor this repository: this machine's
# node (xz), the script bundled by esbuild, Dawn (npm `webgpu`) and onnxruntime-node's native files. About 45 MB.
#   bash build/gpu-pack.sh DIR           then, on the GPU machine (Vulkan loader libvulkan1 and the driver's ICD):
#   bash DIR/run.sh OUTDIR [bench args]  e.g. --target -33000 --budget 300; JSON and logs go to OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: bash build/gpu-pack.sh DIR}
[ "$(uname -m)" = x86_64 ] || { echo "gpu-pack: packs linux-x64 binaries; run it on an x86-64 machine" >&2; exit 2; }
rm -rf "$dest"
mkdir -p "$dest/node_modules"
kernels=packages/kernels/node_modules
webgpu=$(readlink -f "$kernels/webgpu")
ort=$(readlink -f "$kernels/onnxruntime-node")
common=$(readlink -f "$ort/../onnxruntime-common")

node -e '
  const [entry, outfile] = process.argv.slice(1);
  import("esbuild").then((e) => e.build({
    entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20",
    external: ["webgpu", "onnxruntime-node"], tsconfig: "tsconfig.base.json", logLevel: "warning",
    // CommonJS inside an ESM bundle still calls require() and reads __dirname (wabt): give it both.
    banner: {
      js: [
        "import { createRequire as __r } from \"node:module\";",
        "import { fileURLToPath as __f } from \"node:url\";",
        "const require = __r(import.meta.url);",
        "const __filename = __f(import.meta.url);",
        "const __dirname = __filename.slice(0, __filename.lastIndexOf(\"/\"));",
      ].join(" "),
    },
  })).catch((err) => { console.error(err.message); process.exit(1); });
' bench/kernels-gpu.bench.ts "$dest/run.mjs"

# xz of the big binaries takes minutes: keep each compressed copy, keyed by the file's size and time.
cache=${XDG_CACHE_HOME:-$HOME/.cache}/nqp-gpu-pack
mkdir -p "$cache"
pack() {
  local key
  key="$cache/$(basename "$1")-$(stat -Lc '%s-%Y' "$1").xz"
  [ -s "$key" ] || xz -T2 -6 -c "$1" >"$key"
  cp "$key" "$2"
}
mkdir -p "$dest/node_modules/webgpu/dist/linux-x64"
cp "$webgpu/package.json" "$webgpu/index.js" "$dest/node_modules/webgpu/"
pack "$webgpu/dist/linux-x64/dawn.node" "$dest/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
mkdir -p "$dest/node_modules/onnxruntime-node/bin/napi-v6/linux/x64"
cp -r "$ort/package.json" "$ort/dist" "$dest/node_modules/onnxruntime-node/"
cp "$ort/bin/napi-v6/linux/x64/onnxruntime_binding.node" "$dest/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/"
pack "$ort/bin/napi-v6/linux/x64/libonnxruntime.so.1" \
  "$dest/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1.xz"
mkdir -p "$dest/node_modules/onnxruntime-common"
cp -r "$common/package.json" "$common/dist" "$dest/node_modules/onnxruntime-common/"
find "$dest/node_modules" -name '*.map' -delete
pack "$(readlink -f "$(command -v node)")" "$dest/node.xz"

cat >"$dest/run.sh" <<'EOF'
#!/usr/bin/env bash
# Unpacks node and the native modules to a scratch folder, points Vulkan at the NVIDIA ICD when none is registered,
# then runs the GPU benchmark. usage: bash run.sh OUTDIR [bench args]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: bash run.sh OUTDIR [bench args]}
shift
mkdir -p "$out"
work=$(mktemp -d /tmp/nqp-gpu.XXXXXX)
cp -r "$here/node_modules" "$here/run.mjs" "$work/"
xz -dc "$here/node.xz" >"$work/node" && chmod +x "$work/node"
(cd "$work" && find node_modules -name '*.xz' -exec xz -d {} \;)
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  icd=$(ls /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json 2>/dev/null | head -1)
  [ -n "$icd" ] && export VK_DRIVER_FILES=$icd
fi
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv 2>&1
  nproc
  ldconfig -p | grep -i vulkan
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
} >"$out/machine.txt" 2>&1
cat "$out/machine.txt"
"$work/node" "$work/run.mjs" --partial "$out/partial.json" "$@" >"$out/kernels-gpu.json" 2> >(tee "$out/log.txt" >&2)
status=$?
rm -rf "$work"
exit $status
EOF
chmod +x "$dest/run.sh"
du -sh "$dest"
