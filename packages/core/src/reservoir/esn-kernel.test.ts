import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createRng } from "../random";
import { advanceEsn, createEsn } from "./esn";
import { createEsnKernel } from "./esn-kernel";
import { ESN_KERNEL_WASM } from "./esn-kernel-bytes";

describe("the WebAssembly echo-state kernel", () => {
  it("steps a batch of streams bit for bit as advanceEsn does (and so does its fallback)", () => {
    const params = createEsn({ units: 123, inputs: 3, seed: 4, connectivity: 7 });
    const rng = createRng(5);
    const kernel = createEsnKernel(params, 2);
    const fallback = createEsnKernel(params, 2, { wasm: false });
    expect(kernel.wasm).toBe(true);
    let cur = new Float64Array(246);
    let nxt = new Float64Array(246);
    for (let t = 0; t < 200; t++) {
      const u = Float64Array.from({ length: 6 }, () => rng.normal());
      kernel.inputs.set(u);
      fallback.inputs.set(u);
      kernel.step();
      fallback.step();
      advanceEsn(params, cur, u, nxt, 2);
      [cur, nxt] = [nxt, cur];
    }
    expect(Array.from(kernel.state)).toEqual(Array.from(cur));
    expect(Array.from(fallback.state)).toEqual(Array.from(cur));
    kernel.reset();
    expect(kernel.state.every((x) => x === 0)).toBe(true);
  });

  it("embeds exactly the bytes that wabt builds from esn-kernel.wat", async () => {
    const require = createRequire(import.meta.url);
    const wabt = await (
      require("wabt") as () => Promise<{
        parseWat(name: string, text: string, features: object): { toBinary(o: object): { buffer: Uint8Array } };
      }>
    )();
    const wat = readFileSync(new URL("./esn-kernel.wat", import.meta.url), "utf8");
    const built = wabt.parseWat("esn-kernel.wat", wat, {}).toBinary({}).buffer;
    expect(Array.from(built)).toEqual(Array.from(ESN_KERNEL_WASM));
  });
});
