import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumPath, repoRoot } from "@nqp/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The WGSL kernels through navigator.gpu in headless Chromium (what Electron's renderer and the hub's dashboard
 * run): the browser entry is bundled with esbuild, served on 127.0.0.1 (WebGPU needs a secure context), and the page
 * checks SB and the ESN reservoir against the TypeScript back ends. Chromium's WebGPU runs on SwiftShader here.
 */
const page = /* ts */ `
import { createEsn, createRng, denseMatrix, initialSbState } from "@nqp/core";
import {
  createTsReservoirKernel, createTsSbKernel, createWgslReservoirKernel, createWgslSbKernel, openBrowserGpu,
} from "./packages/kernels/src/browser";

async function check() {
  const gpu = await openBrowserGpu();
  const n = 48, agents = 20;
  const rng = createRng(3);
  const J = denseMatrix(n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.next() < 0.3) {
    const v = rng.next() < 0.5 ? -1 : 1; J.values[i * n + j] = v; J.values[j * n + i] = v;
  }
  const setup = { J, params: { variant: "ballistic", a0: 1, c0: 0.15, dt: 0.5, kerr: 1, heat: 0, steps: 50 }, agents };
  const start = initialSbState(agents, n, rng);
  let sbDiff = 0;
  const kernels = [createTsSbKernel(setup), await createWgslSbKernel(gpu, setup)];
  const results = [];
  for (const k of kernels) { await k.setState(start); await k.run({ steps: 20 }); results.push(await k.state()); }
  for (let i = 0; i < results[0].x.length; i++) sbDiff = Math.max(sbDiff, Math.abs(results[0].x[i] - results[1].x[i]));
  const model = { kind: "esn", params: createEsn({ units: 30, inputs: 1, seed: 2 }) };
  const res = [createTsReservoirKernel(model, 5), await createWgslReservoirKernel(gpu, model, 5)];
  const u = Float64Array.from({ length: 10 * 5 }, (_, i) => Math.sin(i));
  for (const k of res) await k.step(u, { steps: 10 });
  const [a, b] = await Promise.all(res.map((k) => k.features()));
  let esnDiff = 0;
  for (let i = 0; i < a.length; i++) esnDiff = Math.max(esnDiff, Math.abs(a[i] - b[i]));
  return { device: kernels[1].device, sbDiff, esnDiff };
}
window.result = check().catch((e) => ({ error: String(e && e.message || e) }));
`;

const chromium = chromiumPath();
describe.skipIf(!chromium)("WGSL kernels on navigator.gpu (headless Chromium)", () => {
  let server: Server;
  let url = "";
  let bundle = "";
  beforeAll(async () => {
    const esbuild = await import("esbuild");
    const built = await esbuild.build({
      stdin: { contents: page, resolveDir: repoRoot, loader: "ts" },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      tsconfig: join(repoRoot, "tsconfig.base.json"),
      // The WebAssembly assembler is loaded only when the wasm back end is used, which this page does not.
      external: ["wabt"],
      logLevel: "silent",
    });
    bundle = built.outputFiles[0].text;
    server = createServer((req, res) => {
      if (req.url === "/page.js") {
        res.setHeader("content-type", "text/javascript");
        res.end(bundle);
      } else {
        res.setHeader("content-type", "text/html");
        res.end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("runs SB and the ESN reservoir in the page and matches the TypeScript back ends", async () => {
    const { chromium: browserType } = await import("playwright-core");
    const profile = mkdtempSync(join(tmpdir(), "nqp-chromium-"));
    const context = await browserType.launchPersistentContext(profile, {
      executablePath: chromium,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-unsafe-webgpu",
        "--use-webgpu-adapter=swiftshader",
      ],
    });
    try {
      const tab = await context.newPage();
      await tab.goto(url);
      const result = await tab.evaluate(
        async () => (globalThis as unknown as { result: Promise<Record<string, unknown>> }).result,
      );
      expect(result.error).toBeUndefined();
      expect(result.sbDiff).toBeLessThan(1e-4);
      expect(result.esnDiff).toBeLessThan(1e-4);
      expect(String(result.device)).toMatch(/swiftshader|google/i);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
