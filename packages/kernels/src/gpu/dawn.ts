/// <reference types="@webgpu/types" />
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { constants } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { NqpError } from "@nqp/core";
import { createGpuContext, type GpuContext } from "./context";

/** How Node finds a WebGPU adapter through Dawn (npm `webgpu`). */
export interface GpuOptions {
  /**
   * Accept a software Vulkan adapter (SwiftShader, shipped with Chromium): correct but slow, for tests and CI on
   * machines without a GPU. Without it a software-only machine reports "no GPU adapter".
   */
  software?: boolean;
  /** libvulkan.so.1 to load when the system has none on its library path (default: $NQP_VULKAN_LOADER). */
  vulkanLoader?: string;
  powerPreference?: GPUPowerPreference;
  /**
   * Dawn's experimental features (default true): its allow_unsafe_apis toggle, without which Dawn hides
   * chromium-experimental-subgroup-matrix, the tensor cores the int8 SB kernel runs on. The kernels probe the
   * feature on the device before use (probeTensorConvention) and fall back where it misbehaves.
   */
  experimental?: boolean;
  /** Dawn options, e.g. "enable-dawn-features=…" or "adapter=NAME"; replace the default flags. */
  dawnFlags?: string[];
}

const libraryDirs = [
  "/lib/x86_64-linux-gnu",
  "/usr/lib/x86_64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/lib64",
  "/usr/lib64",
  "/lib",
  "/usr/lib",
  "/usr/local/lib",
];
const icdDirs = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];
/** Where Chromium and Chrome ship SwiftShader's Vulkan driver (and a Vulkan loader beside it). */
const swiftShaderDirs = [
  "/usr/lib/chromium",
  "/usr/lib/chromium-browser",
  "/opt/google/chrome",
  "/snap/chromium/current/usr/lib/chromium-browser",
];

/** Searches the dynamic linker's usual places (and LD_LIBRARY_PATH) for the Vulkan loader. */
export function findVulkanLoader(): string | undefined {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? "").split(delimiter).filter(Boolean);
  for (const dir of [...fromEnv, ...libraryDirs]) {
    const p = join(dir, "libvulkan.so.1");
    if (existsSync(p)) return p;
  }
  try {
    // ld.so.cache lists libraries in non-standard directories that ldconfig knows about.
    const cache = readFileSync("/etc/ld.so.cache", "latin1");
    const m = cache.match(/\/[^\0]*\/libvulkan\.so\.1(?=\0)/);
    if (m && existsSync(m[0])) return m[0];
  } catch {}
  return undefined;
}

/** SwiftShader's ICD manifest, from $NQP_SWIFTSHADER_ICD or a Chromium/Chrome install. */
export function findSwiftShader(): string | undefined {
  const env = process.env.NQP_SWIFTSHADER_ICD;
  if (env) return existsSync(env) ? env : undefined;
  for (const dir of swiftShaderDirs) {
    const p = join(dir, "vk_swiftshader_icd.json");
    if (existsSync(p) && existsSync(join(dir, "libvk_swiftshader.so"))) return p;
  }
  return undefined;
}

function installedIcds(): string[] {
  const out: string[] = [];
  for (const dir of icdDirs) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith(".json")) out.push(join(dir, f));
    } catch {}
  }
  return out;
}

// glibc's RTLD_NODELETE (node:os does not export it): keeps the loader mapped after Node's addon check fails.
const RTLD_NODELETE = 0x1000;
const preloaded = new Set<string>();

/**
 * Maps a Vulkan loader that is not on the library path into the process, so that Dawn's dlopen("libvulkan.so.1")
 * finds it by its soname. process.dlopen is the only way Node offers; it rejects the library as "not a Node
 * module" after mapping it, which is expected, and RTLD_NODELETE keeps it mapped.
 */
function preloadVulkanLoader(path: string): void {
  if (preloaded.has(path)) return;
  if (!existsSync(path)) throw new NqpError("no-gpu-adapter", `Vulkan loader ${path} does not exist`);
  try {
    process.dlopen(
      { exports: {} } as NodeJS.Module,
      path,
      constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE,
    );
  } catch (err) {
    const msg = (err as Error).message;
    if (!/self-register|napi_register_module/.test(msg))
      throw new NqpError("no-gpu-adapter", `cannot load the Vulkan loader ${path}: ${msg}`);
  }
  preloaded.add(path);
}

/** Why Dawn found no adapter, as precisely as the machine lets us tell (what is missing and how to add it). */
export function diagnoseNoAdapter(loader: string | undefined): string {
  if (process.platform !== "linux")
    return `Dawn found no GPU adapter (${process.platform}): check the GPU driver (Metal on macOS, D3D12 on Windows)`;
  if (!loader)
    return "the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt-get install libvulkan1; RHEL/Fedora: dnf install vulkan-loader), or set NQP_VULKAN_LOADER=/path/to/libvulkan.so.1";
  const envIcd = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  const icds = envIcd ? envIcd.split(delimiter) : installedIcds();
  const nvidiaKernel = existsSync("/proc/driver/nvidia/version");
  if (icds.length === 0) {
    return nvidiaKernel
      ? "the NVIDIA kernel driver is loaded but its Vulkan driver is not registered (no ICD JSON in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d): install the driver's Vulkan/GL user-space part (e.g. libnvidia-gl-<version> on Ubuntu, nvidia-vulkan-icd on Debian) matching the kernel driver"
      : "no Vulkan driver is installed (no ICD JSON in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d) and no NVIDIA kernel driver is loaded: install the GPU driver (NVIDIA: nvidia-driver / the CUDA driver package), which registers its Vulkan ICD";
  }
  const names = icds.map((p) => p.split("/").pop() ?? p);
  if (names.every((n) => /lvp|lavapipe|swiftshader/.test(n)))
    return `only software Vulkan drivers are registered (${names.join(", ")}): install the GPU's driver, or pass the software option to accept a software adapter`;
  if (names.some((n) => n.includes("nvidia")) && !nvidiaKernel)
    return `the NVIDIA Vulkan ICD is registered (${names.join(", ")}) but the NVIDIA kernel driver is not loaded (/proc/driver/nvidia/version is missing): load it (modprobe nvidia) or reinstall the driver; inside a container, run with the GPU exposed (--gpus all with NVIDIA_DRIVER_CAPABILITIES including graphics)`;
  return `Vulkan loader (${loader}) and drivers (${names.join(", ")}) are present but Dawn found no adapter: the driver may be too old for Dawn's Vulkan 1.1 requirements, or the device is not visible to this user (permissions on /dev/dri or /dev/nvidia*)`;
}

/**
 * Makes Vulkan usable in this process before Dawn (or ORT's WebGPU provider, which embeds Dawn) initialises: points
 * the loader at SwiftShader when a software adapter is wanted, and maps a loader that is not on the library path.
 * Returns the loader in use; throws "no-gpu-adapter" (with what is missing) where there is none. Elsewhere than
 * Linux, Dawn uses Metal or D3D12 and nothing needs preparing.
 */
export function prepareVulkan(options: GpuOptions = {}): string | undefined {
  let loader = options.vulkanLoader ?? process.env.NQP_VULKAN_LOADER;
  if (process.platform === "linux") {
    let icd: string | undefined;
    if (options.software) {
      icd = findSwiftShader();
      if (!icd)
        throw new NqpError(
          "no-gpu-adapter",
          "software GPU requested but SwiftShader was not found: install Chromium (apt-get install chromium) or set NQP_SWIFTSHADER_ICD=/path/to/vk_swiftshader_icd.json",
        );
      process.env.VK_ICD_FILENAMES = icd;
      process.env.VK_DRIVER_FILES = icd;
    }
    loader ??= findVulkanLoader();
    if (!loader && icd && existsSync(join(dirname(icd), "libvulkan.so.1")))
      loader = join(dirname(icd), "libvulkan.so.1");
    if (!loader) throw new NqpError("no-gpu-adapter", `no GPU adapter: ${diagnoseNoAdapter(undefined)}`);
    if (loader !== findVulkanLoader()) preloadVulkanLoader(loader);
  }
  return loader;
}

/**
 * Opens Dawn's WebGPU in Node and returns a device on the best adapter. Throws NqpError "no-gpu-adapter" with a
 * message naming what is missing (package, Vulkan loader, driver) or that only a software adapter exists.
 */
export async function openDawnGpu(options: GpuOptions = {}): Promise<GpuContext> {
  const loader = prepareVulkan(options);
  let dawn: { create(flags: string[]): GPU };
  try {
    dawn = (await import("webgpu")) as unknown as { create(flags: string[]): GPU };
  } catch (err) {
    throw new NqpError(
      "no-gpu-adapter",
      `the npm package 'webgpu' (Dawn for Node) cannot be loaded on ${process.platform}-${process.arch}: ${(err as Error).message}`,
    );
  }
  const gpu = dawn.create(
    options.dawnFlags ?? (options.experimental === false ? [] : ["enable-dawn-features=allow_unsafe_apis"]),
  );
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? "high-performance" });
  if (!adapter) throw new NqpError("no-gpu-adapter", `no GPU adapter: ${diagnoseNoAdapter(loader)}`);
  const ctx = await createGpuContext(adapter);
  if (ctx.adapter.software && !options.software) {
    ctx.destroy();
    throw new NqpError(
      "no-gpu-adapter",
      `only a software adapter is available (${ctx.name}), which is slower than the CPU back ends: ${diagnoseNoAdapter(loader)}`,
    );
  }
  // Dawn's instance must outlive the device, and while it is referenced Node does not exit: release it with the
  // context (dawn-gpu/node-webgpu README, "Lifetime").
  let instance: GPU | undefined = gpu;
  const destroy = ctx.destroy;
  return {
    ...ctx,
    destroy() {
      destroy();
      instance = undefined;
      void instance;
    },
  };
}
