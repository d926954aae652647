import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { accumulateSample, createGram, gramEntry } from "./gram";
import { createPanelGramKernel, createRowGramKernel } from "./gram-panel";
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
      const kernel = createPanelGramKernel(f, q, 10);
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

  it("embeds exactly the bytes that wabt builds from gram-panel-kernel.wat", async () => {
    const require = createRequire(import.meta.url);
    const wabt = await (
      require("wabt") as () => Promise<{
        parseWat(name: string, text: string, features: object): { toBinary(o: object): { buffer: Uint8Array } };
      }>
    )();
    const wat = readFileSync(new URL("./gram-panel-kernel.wat", import.meta.url), "utf8");
    const built = wabt.parseWat("gram-panel-kernel.wat", wat, { simd: true }).toBinary({}).buffer;
    expect(Array.from(built)).toEqual(Array.from(GRAM_PANEL_KERNEL_WASM));
  });
});
