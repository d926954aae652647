import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findSwiftShader } from "@nqp/kernels";
import { runNqp, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";

const tmp = tempDir();
afterAll(() => tmp.remove());

describe("nqp kernels", () => {
  it("lists every back end with its device or the reason it cannot start, and what auto picks", () => {
    const r = runNqp(["kernels", "--json", "--threads", "1"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.requested).toBe("auto");
    expect(out.backends.map((b: { backend: string }) => b.backend)).toEqual([
      "ts",
      "wasm",
      "wgsl",
      "ort-cpu",
      "ort-webgpu",
      "ort-cuda",
    ]);
    for (const b of out.backends) expect(b.detail.length).toBeGreaterThan(5);
    const ok = Object.fromEntries(out.backends.map((b: { backend: string; ok: boolean }) => [b.backend, b.ok]));
    expect(ok).toMatchObject({ ts: true, wasm: true, "ort-cpu": true });
    expect(out.backends.find((b: { backend: string }) => b.backend === "ort-cpu").detail).toMatch(/cpu, 1 thread/);
    expect(out.selections.map((s: { kernel: string }) => s.kernel)).toEqual(["sb", "reservoir-esn"]);
    // Without a GPU, SB runs on ORT's CPU provider and the reservoirs on WebAssembly; with one, on WGSL.
    const [sb, esn] = out.selections;
    expect(sb.backend).toBe(
      ok.wgsl ? "wgsl" : ok["ort-cuda"] ? "ort-cuda" : ok["ort-webgpu"] ? "ort-webgpu" : "ort-cpu",
    );
    expect(esn.backend).toBe(ok.wgsl ? "wgsl" : ok["ort-cuda"] ? "ort-cuda" : ok["ort-webgpu"] ? "ort-webgpu" : "wasm");
  });
  it("runs a forced back end, and a software GPU when asked for one", () => {
    const r = runNqp(["kernels", "--backend", "ts"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sb: ts \(TypeScript/);
    if (findSwiftShader()) {
      const s = runNqp(["kernels", "--software-gpu", "--backend", "wgsl", "--json"]);
      expect(s.status).toBe(0);
      expect(JSON.parse(s.stdout).selections[0].device).toMatch(/SwiftShader/);
    }
  });
  it("rejects an unknown back end", () => {
    const r = runNqp(["kernels", "--backend", "quantum"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown backend 'quantum' \(expected auto, ts, wasm, wgsl/);
  });
});

describe("nqp optimize on a kernel back end", () => {
  it("runs SB's dynamics on ONNX Runtime's CPU provider (--backend cpu) and finds the maximum cut", () => {
    // A 6-cycle with one chord: maximum cut 6 (the even cycle is bipartite; the chord joins two nodes of one side).
    const graph = join(tmp.path, "g.txt");
    writeFileSync(graph, "6 7\n1 2 1\n2 3 1\n3 4 1\n4 5 1\n5 6 1\n6 1 1\n1 3 1\n");
    const out = join(tmp.path, "cut.json");
    const r = runNqp([
      "optimize",
      "maxcut",
      "--input",
      graph,
      "--output",
      out,
      "--backend",
      "cpu",
      "--solver",
      "dsb",
      "--time-limit",
      "2",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result.backend).toBe("ort-cpu");
    expect(result.cut).toBe(6);
  });
});
