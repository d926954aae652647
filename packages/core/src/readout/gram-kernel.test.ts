import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { accumulateSample, createGram, gramEntry } from "./gram";
import { createGramKernel } from "./gram-kernel";
import { GRAM_KERNEL_WASM } from "./gram-kernel-bytes";

describe("the WebAssembly Gram kernel", () => {
  it("accumulates the same statistics as the sample-by-sample reference, ragged edges and odd blocks included", () => {
    for (const f of [4, 9, 14, 31]) {
      const rng = createRng(f);
      const kernel = createGramKernel(f, 33);
      expect(kernel.simd).toBe(true);
      const fallback = createGramKernel(f, 33, { simd: false });
      const ref = createGram(f);
      const a = createGram(f);
      const b = createGram(f);
      for (const rows of [33, 17, 1, 30]) {
        const targets = new Float64Array(kernel.stride);
        const fb = new Float64Array(fallback.stride);
        for (let t = 0; t < rows; t++) {
          const x = Array.from({ length: f }, () => rng.normal() + 0.3);
          const y = rng.normal();
          accumulateSample(ref, x, [y]);
          x.forEach((v, i) => {
            kernel.columns[i * kernel.stride + t] = v;
            fallback.columns[i * fallback.stride + t] = v;
          });
          targets[t] = y;
          fb[t] = y;
        }
        kernel.accumulate(a, targets, rows);
        fallback.accumulate(b, fb, rows);
      }
      kernel.flush(a);
      fallback.flush(b);
      for (const g of [a, b]) {
        expect(g.count).toBe(ref.count);
        for (let i = 0; i < f; i++) {
          for (let j = 0; j < f; j++) expect(gramEntry(g, i, j)).toBeCloseTo(gramEntry(ref, i, j), 9);
          expect(g.xty[i]).toBeCloseTo(ref.xty[i], 9);
          expect(g.sumX[i]).toBeCloseTo(ref.sumX[i], 9);
        }
        expect(g.yty[0]).toBeCloseTo(ref.yty[0], 9);
      }
    }
  });

  it("embeds exactly the bytes that wabt builds from gram-kernel.wat", async () => {
    const require = createRequire(import.meta.url);
    const wabt = await (
      require("wabt") as () => Promise<{
        parseWat(name: string, text: string, features: object): { toBinary(o: object): { buffer: Uint8Array } };
      }>
    )();
    const wat = readFileSync(new URL("./gram-kernel.wat", import.meta.url), "utf8");
    const built = wabt.parseWat("gram-kernel.wat", wat, { simd: true }).toBinary({}).buffer;
    expect(Array.from(built)).toEqual(Array.from(GRAM_KERNEL_WASM));
  });
});
