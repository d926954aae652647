import { COMPUTE_BACKENDS, validateAgentConfig } from "@nqp/contract";
import { backendNames } from "@nqp/kernels/backend/names";
import { describe, expect, it } from "vitest";
import { selectBackend } from "./backend";
import { corePipelineProvider, type PipelineProvider } from "./pipeline-factory";

const core = corePipelineProvider();
const both: PipelineProvider = { ...core, engine: "two-backends", backends: { ts: "reference", wasm: "simd" } };

describe("selectBackend", () => {
  it("offers auto and exactly the kernels' back ends in compute.backend", () => {
    expect([...COMPUTE_BACKENDS]).toEqual(["auto", ...backendNames]);
  });

  it("reports what core's stream pipeline runs: its TypeScript echo-state step", () => {
    for (const requested of ["auto", "ts"] as const) {
      const s = selectBackend(requested, core);
      expect(s).toMatchObject({ requested, backend: "ts" });
      expect(s.detail).toMatch(/advanceEsn/);
    }
  });

  it("refuses a back end the pipeline cannot run, naming the key and what it can run", () => {
    expect(() => selectBackend("wasm", core)).toThrow(
      /compute\.backend: core-stream-pipeline cannot step its reservoirs on 'wasm'; it runs on ts/,
    );
    expect(() => selectBackend("wgsl", both)).toThrow(/it runs on wasm, ts/);
  });

  it("takes the fastest the pipeline can run for auto (the kernels' reservoir order), or the one forced", () => {
    expect(selectBackend("auto", both)).toEqual({ requested: "auto", backend: "wasm", detail: "simd" });
    expect(selectBackend("ts", both)).toEqual({ requested: "ts", backend: "ts", detail: "reference" });
  });

  it("validates compute.backend in the agent config", () => {
    const base = { id: "a", data: "/tmp/a", ingest: { url: "mqtt://h:1" } };
    expect(validateAgentConfig(base).compute.backend).toBe("auto");
    expect(validateAgentConfig({ ...base, compute: { backend: "wasm" } }).compute.backend).toBe("wasm");
    expect(() => validateAgentConfig({ ...base, compute: { backend: "quantum" } })).toThrow(/compute\.backend: /);
  });
});
