import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { choleskyInPlace } from "./cholesky";
import { createCholeskyWorkspace } from "./cholesky-kernel";
import { CHOLESKY_KERNEL_WASM } from "./cholesky-kernel-bytes";

describe("the WebAssembly Cholesky kernel", () => {
  it("factors as choleskyInPlace does (to rounding), odd orders included, and rejects an indefinite matrix", () => {
    for (const n of [256, 259]) {
      const rng = createRng(n);
      const m = Array.from({ length: 12 }, () => Array.from({ length: n }, () => rng.normal()));
      const work = createCholeskyWorkspace(n);
      const ref = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = i === j ? 0.5 : 0;
          for (const row of m) s += row[i] * row[j];
          work.matrix[i * n + j] = s;
          ref[i * n + j] = s;
        }
      expect(work.factor()).toBe(true);
      expect(choleskyInPlace(ref, n)).toBe(true);
      let worst = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++)
          worst = Math.max(worst, Math.abs(work.matrix[i * n + j] - ref[i * n + j]) / Math.abs(ref[i * n + i]));
      expect(worst).toBeLessThan(1e-10);
      work.matrix[(n - 1) * n + (n - 1)] = -1;
      expect(work.factor()).toBe(false);
    }
  });

  it("embeds exactly the bytes that wabt builds from cholesky-kernel.wat", async () => {
    const require = createRequire(import.meta.url);
    const wabt = await (
      require("wabt") as () => Promise<{
        parseWat(name: string, text: string, features: object): { toBinary(o: object): { buffer: Uint8Array } };
      }>
    )();
    const wat = readFileSync(new URL("./cholesky-kernel.wat", import.meta.url), "utf8");
    const built = wabt.parseWat("cholesky-kernel.wat", wat, { simd: true }).toBinary({}).buffer;
    expect(Array.from(built)).toEqual(Array.from(CHOLESKY_KERNEL_WASM));
  });
});
