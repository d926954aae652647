/// <reference types="@webgpu/types" />
import { NqpError } from "@nqp/core";

/**
 * One WebGPU device and what the kernels need around it: buffers that fail with a message a user can act on
 * (out of device memory, over the adapter's size limits), pipelines compiled once per (source, constants), and
 * read-back. Host-agnostic: the device comes from Dawn in Node (./dawn.ts) or from navigator.gpu in a browser or
 * Electron renderer, and the same WGSL runs on both.
 */
export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software rasteriser (SwiftShader, llvmpipe): correct but slower than the CPU back ends. */
  software: boolean;
  /** Subgroup sizes the adapter may use (0 where it does not say). */
  subgroupMinSize: number;
  subgroupMaxSize: number;
}

export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: GpuAdapterSummary;
  /** "NVIDIA H200 (nvidia, hopper)" and the like, for reports. */
  readonly name: string;
  readonly hasF16: boolean;
  readonly hasSubgroups: boolean;
  /**
   * Matrix shapes the adapter multiplies per subgroup (Dawn's chromium-experimental-subgroup-matrix, the tensor cores
   * on NVIDIA through VK_KHR_cooperative_matrix); empty where the feature is absent (it needs Dawn's
   * allow_unsafe_apis toggle while experimental).
   */
  readonly subgroupMatrixConfigs: readonly SubgroupMatrixConfig[];
  readonly limits: GPUSupportedLimits;
  /** A storage buffer; `data` fills it at creation. Throws NqpError gpu-out-of-memory / gpu-buffer-too-large. */
  buffer(label: string, size: number, usage?: number, data?: ArrayBufferView): Promise<GPUBuffer>;
  /** Bind group layouts from a compact description (one array of binding kinds per group), cached. */
  layout(groups: readonly (readonly BindingKind[])[]): GPUPipelineLayout;
  /** Compute pipeline for `code` (entry point `main`) with override constants, compiled once and cached. */
  pipeline(
    label: string,
    code: string,
    layout: GPUPipelineLayout,
    constants?: Record<string, number>,
  ): Promise<GPUComputePipeline>;
  /** Copies `size` bytes at `offset` of `source` back to the host. */
  read(source: GPUBuffer, offset: number, size: number): Promise<ArrayBuffer>;
  /** Throws if the device was lost (driver reset, out of memory during a dispatch, destroyed). */
  assertAlive(): void;
  destroy(): void;
}

/** One shape the adapter's subgroup matrix multiply takes: an M×K by K×N product with component types. */
export interface SubgroupMatrixConfig {
  componentType: string;
  resultComponentType: string;
  M: number;
  N: number;
  K: number;
}

/** How a kernel binds a buffer: a dynamic uniform carries per-dispatch parameters (step index, schedule value). */
export type BindingKind = "uniform" | "dynamic-uniform" | "read" | "rw";

/**
 * WebGPU's flag values (fixed by the spec). Dawn for Node does not define the GPUBufferUsage… globals unless they
 * are copied onto globalThis, which a library must not do.
 */
export const BufferUsage = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
const SHADER_STAGE_COMPUTE = 4;
const MAP_MODE_READ = 1;

export const storageUsage = () => BufferUsage.STORAGE | BufferUsage.COPY_DST | BufferUsage.COPY_SRC;

const MiB = 1024 * 1024;

function summarise(info: GPUAdapterInfo): GpuAdapterSummary {
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  // isFallbackAdapter is recent in the spec; the names cover older implementations.
  const fallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: fallback || /swiftshader|llvmpipe|lavapipe|softpipe|warp/.test(text),
    subgroupMinSize: info.subgroupMinSize ?? 0,
    subgroupMaxSize: info.subgroupMaxSize ?? 0,
  };
}

function adapterName(a: GpuAdapterSummary): string {
  const main = a.description || a.device || a.vendor || "unknown adapter";
  const extra = [a.vendor, a.architecture].filter((s) => s && !main.toLowerCase().includes(s.toLowerCase()));
  return `${main}${extra.length ? ` (${extra.join(", ")})` : ""}${a.software ? " [software]" : ""}`;
}

/**
 * Opens a device on `adapter` with the largest buffers it allows and the optional features the kernels use
 * (f16 storage for lossless integer couplings, subgroups for reductions).
 */
export async function createGpuContext(adapter: GPUAdapter): Promise<GpuContext> {
  const info = summarise(adapter.info);
  const wanted = ["shader-f16", "subgroups", "timestamp-query", "chromium-experimental-subgroup-matrix"];
  const requiredFeatures = wanted.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const matrixConfigs: SubgroupMatrixConfig[] = requiredFeatures.includes(
    "chromium-experimental-subgroup-matrix" as GPUFeatureName,
  )
    ? [
        ...((adapter.info as { subgroupMatrixConfigs?: Iterable<SubgroupMatrixConfig> }).subgroupMatrixConfigs ?? []),
      ].map((c) => ({
        componentType: c.componentType,
        resultComponentType: c.resultComponentType,
        M: c.M,
        N: c.N,
        K: c.K,
      }))
    : [];
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    label: "nqp-kernels",
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 10),
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  });
  let lost: string | undefined;
  device.lost.then((i) => {
    lost = `GPU device lost (${i.reason}): ${i.message || "no message"}`;
  });
  const pipelines = new Map<string, Promise<GPUComputePipeline>>();
  const layouts = new Map<string, GPUPipelineLayout>();
  const layoutKeys = new WeakMap<GPUPipelineLayout, string>();
  const name = adapterName(info);

  const ctx: GpuContext = {
    device,
    adapter: info,
    name,
    hasF16: requiredFeatures.includes("shader-f16"),
    hasSubgroups: requiredFeatures.includes("subgroups"),
    subgroupMatrixConfigs: matrixConfigs,
    limits: device.limits,
    assertAlive() {
      if (lost) throw new NqpError("gpu-device-lost", `${name}: ${lost}`);
    },
    async buffer(label, size, usage = storageUsage(), data) {
      ctx.assertAlive();
      const bytes = Math.max(16, Math.ceil(size / 16) * 16);
      const max = Math.min(device.limits.maxBufferSize, device.limits.maxStorageBufferBindingSize);
      if (bytes > max)
        throw new NqpError(
          "gpu-buffer-too-large",
          `${label} needs ${(bytes / MiB).toFixed(1)} MiB but ${name} allows at most ${(max / MiB).toFixed(1)} MiB per buffer: use fewer agents/streams or a smaller problem`,
        );
      device.pushErrorScope("out-of-memory");
      device.pushErrorScope("validation");
      const buffer = device.createBuffer({ label, size: bytes, usage, mappedAtCreation: data !== undefined });
      if (data) {
        new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        buffer.unmap();
      }
      const invalid = await device.popErrorScope();
      const oom = await device.popErrorScope();
      if (oom) {
        buffer.destroy();
        throw new NqpError(
          "gpu-out-of-memory",
          `out of device memory on ${name} allocating ${label} (${(bytes / MiB).toFixed(1)} MiB): use fewer agents/streams, a smaller problem, or free the GPU`,
        );
      }
      if (invalid) {
        buffer.destroy();
        throw new NqpError("gpu-error", `${name}: cannot create ${label}: ${invalid.message}`);
      }
      return buffer;
    },
    layout(groups) {
      const key = JSON.stringify(groups);
      let l = layouts.get(key);
      if (!l) {
        const bindGroupLayouts = groups.map((kinds) =>
          device.createBindGroupLayout({
            entries: kinds.map((kind, binding) => ({
              binding,
              visibility: SHADER_STAGE_COMPUTE,
              buffer: {
                type: kind === "read" ? "read-only-storage" : kind === "rw" ? "storage" : "uniform",
                hasDynamicOffset: kind === "dynamic-uniform",
              },
            })),
          }),
        );
        l = device.createPipelineLayout({ bindGroupLayouts });
        layouts.set(key, l);
        layoutKeys.set(l, key);
      }
      return l;
    },
    pipeline(label, code, layout, constants = {}) {
      const key = `${label}\u0000${layoutKeys.get(layout) ?? "?"}\u0000${JSON.stringify(constants)}\u0000${code}`;
      let p = pipelines.get(key);
      if (!p) {
        p = compile(device, name, label, code, layout, constants);
        pipelines.set(key, p);
        p.catch(() => pipelines.delete(key));
      }
      return p;
    },
    async read(source, offset, size) {
      ctx.assertAlive();
      const staging = device.createBuffer({
        label: "nqp-readback",
        size: Math.ceil(size / 4) * 4,
        usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
      });
      const enc = device.createCommandEncoder();
      enc.copyBufferToBuffer(source, offset, staging, 0, Math.ceil(size / 4) * 4);
      device.queue.submit([enc.finish()]);
      try {
        await staging.mapAsync(MAP_MODE_READ);
      } catch (err) {
        staging.destroy();
        ctx.assertAlive();
        throw new NqpError("gpu-error", `${name}: reading results back failed: ${(err as Error).message}`);
      }
      const copy = staging.getMappedRange().slice(0, size);
      staging.unmap();
      staging.destroy();
      return copy;
    },
    destroy() {
      pipelines.clear();
      device.destroy();
    },
  };
  return ctx;
}

async function compile(
  device: GPUDevice,
  name: string,
  label: string,
  code: string,
  layout: GPUPipelineLayout,
  constants: Record<string, number>,
): Promise<GPUComputePipeline> {
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ label, code });
  await device.popErrorScope();
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === "error");
  if (errors.length)
    throw new NqpError(
      "gpu-shader",
      `${name}: WGSL kernel ${label} does not compile: ${errors.map((m) => `line ${m.lineNum}: ${m.message}`).join("; ")}`,
    );
  try {
    // createComputePipelineAsync rejects with a GPUPipelineError instead of raising an uncaptured error.
    return await device.createComputePipelineAsync({
      label,
      layout,
      compute: { module, entryPoint: "main", constants },
    });
  } catch (err) {
    throw new NqpError("gpu-shader", `${name}: WGSL kernel ${label} cannot be built: ${(err as Error).message}`);
  }
}
