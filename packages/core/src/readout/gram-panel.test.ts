import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { accumulateSample, createGram, gramEntry } from "./gram";
import { createPanelGramKernel, createRowGramKernel } from "./gram-panel";
import { GRAM_PANEL_F32_KERNEL_WASM } from "./gram-panel-f32-kernel-bytes";
import { GRAM_PANEL_KERNEL_WASM } from "./gram-panel-kernel-bytes";

describe("the packed-panel WebAssembly Gram kernel", () => {
  it("accumulates the same statistics as the sample-by-sample reference (ragged widths, odd row counts, 1–2 targets)", () => {
    for (const [f, q] of [
      [1, 1],
      [4, 1],
      [9, 2],
      [14, 1],
      [31, 2],
    ]) {
      const rng = createRng(f * 7 + q);
      const kernel = createPanelGramKernel(f, q, { rows: 10 });
      expect(kernel).not.toBeNull();
      const ref = createGram(f, q);
      const g = createGram(f, q);
      // 10-row panels: full passes, a flush with an odd row count, then more rows after the flush.
      for (const rows of [23, 7, 1, 20]) {
        for (let t = 0; t < rows; t++) {
          const x = Array.from({ length: f }, () => rng.normal() + 0.3);
          const y = Array.from({ length: q }, () => rng.normal() - 0.2);
          accumulateSample(ref, x, y);
          kernel?.addRow(x, y);
        }
        kernel?.flush(g);
        expect(g.count).toBe(ref.count);
        for (let i = 0; i < f; i++) {
          for (let j = 0; j < f; j++) expect(gramEntry(g, i, j)).toBeCloseTo(gramEntry(ref, i, j), 10);
          for (let k = 0; k < q; k++) expect(g.xty[i * q + k]).toBeCloseTo(ref.xty[i * q + k], 10);
          expect(g.sumX[i]).toBeCloseTo(ref.sumX[i], 10);
        }
        for (let k = 0; k < q; k++) {
          expect(g.yty[k]).toBeCloseTo(ref.yty[k], 10);
          expect(g.sumY[k]).toBeCloseTo(ref.sumY[k], 10);
        }
      }
    }
  });

  it("in float32 precision, agrees with the float64 reference to float32 rounding", () => {
    const f = 23;
    const rng = createRng(5);
    const kernel = createPanelGramKernel(f, 1, { rows: 16, precision: "f32" });
    const ref = createGram(f);
    const g = createGram(f);
    for (let t = 0; t < 203; t++) {
      const x = Array.from({ length: f }, () => rng.normal());
      const y = [rng.normal()];
      accumulateSample(ref, x, y);
      kernel?.addRow(x, y);
    }
    kernel?.flush(g);
    expect(g.count).toBe(203);
    // |Σ x_i x_j| ≤ Σ x_i² ~ 203: float32 rounding of the inputs and of 4-term-per-lane partial sums stays below 1e-4.
    for (let k = 0; k < g.xtx.length; k++) expect(Math.abs(g.xtx[k] - ref.xtx[k])).toBeLessThan(1e-4);
    for (let i = 0; i < f; i++) {
      expect(Math.abs(g.xty[i] - ref.xty[i])).toBeLessThan(1e-4);
      expect(Math.abs(g.sumX[i] - ref.sumX[i])).toBeLessThan(1e-4);
    }
    // …and it really is float32: some entry differs by more than float64 rounding would.
    expect(Math.max(...Array.from(g.xtx, (v, k) => Math.abs(v - ref.xtx[k])))).toBeGreaterThan(1e-9);
  });

  it("createRowGramKernel's JavaScript fallback gives the same statistics", () => {
    const f = 13;
    const rng = createRng(3);
    const simd = createRowGramKernel(f);
    const js = createRowGramKernel(f, 1, { simd: false });
    const a = createGram(f);
    const b = createGram(f);
    for (let t = 0; t < 300; t++) {
      const x = Array.from({ length: f }, () => rng.normal());
      const y = [rng.normal()];
      simd.addRow(x, y);
      js.addRow(x, y);
      if (t === 150) {
        simd.flush(a);
        js.flush(b);
      }
    }
    simd.flush(a);
    js.flush(b);
    expect(b.count).toBe(300);
    expect(a.count).toBe(300);
    for (let k = 0; k < a.xtx.length; k++) expect(b.xtx[k]).toBeCloseTo(a.xtx[k], 10);
    for (let i = 0; i < f; i++) {
      expect(b.xty[i]).toBeCloseTo(a.xty[i], 10);
      expect(b.sumX[i]).toBeCloseTo(a.sumX[i], 10);
    }
    expect(b.yty[0]).toBeCloseTo(a.yty[0], 10);
    expect(b.sumY[0]).toBeCloseTo(a.sumY[0], 10);
  });

  it("embeds exactly the bytes that wabt builds from gram-panel-kernel.wat and gram-panel-f32-kernel.wat", async () => {
    const require = createRequire(import.meta.url);
    const wabt = await (
      require("wabt") as () => Promise<{
        parseWat(name: string, text: string, features: object): { toBinary(o: object): { buffer: Uint8Array } };
      }>
    )();
    for (const [file, bytes] of [
      ["gram-panel-kernel.wat", GRAM_PANEL_KERNEL_WASM],
      ["gram-panel-f32-kernel.wat", GRAM_PANEL_F32_KERNEL_WASM],
    ] as const) {
      const wat = readFileSync(new URL(`./${file}`, import.meta.url), "utf8");
      const built = wabt.parseWat(file, wat, { simd: true }).toBinary({}).buffer;
      expect(Array.from(built)).toEqual(Array.from(bytes));
    }
  });
});
