import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { findProgram, repoRoot, tempDir } from "@nqp/testkit";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
// @ts-expect-error: plain .mjs build scripts without type declarations
import { buildMain } from "../scripts/build-main.mjs";
// @ts-expect-error: plain .mjs build scripts without type declarations
import { packageAgent } from "../scripts/package-agent.mjs";
// @ts-expect-error: plain .mjs build scripts without type declarations
import { stageApp } from "../scripts/stage-app.mjs";
import { desktopRoot, ensureRendererBuilt } from "./renderer-build";

const tmp = tempDir("nqp-pack-");
afterAll(() => tmp.remove());

describe("packaging", () => {
  it("has an electron-builder configuration that electron-builder's own schema accepts", async () => {
    const config = YAML.parse(readFileSync(join(desktopRoot, "build/electron-builder.yml"), "utf8"));
    const req = createRequire(createRequire(join(desktopRoot, "package.json")).resolve("electron-builder"));
    const { validateConfiguration } = req("app-builder-lib/out/util/config/config.js");
    await validateConfiguration(config, { isEnabled: false, add: () => {} });
    expect(config.npmRebuild).toBe(false);
    expect(config.linux.target).toEqual(["AppImage", "deb"]);
    expect(config.win.target).toEqual(["nsis"]);
    expect(config.mac.target).toEqual(["dmg"]);
    await expect(
      validateConfiguration(
        { ...config, linux: { target: ["AppImage"], bogus: 1 } },
        { isEnabled: false, add: () => {} },
      ),
    ).rejects.toThrow(/configuration\.linux/);
  });

  it("stages the app: bundles, renderer, and only the native modules in node_modules; a preload without Node", async () => {
    await ensureRendererBuilt();
    await buildMain();
    const { outDir, modules } = stageApp(join(tmp.path, "app"));
    const pkg = JSON.parse(readFileSync(join(outDir, "package.json"), "utf8"));
    expect(existsSync(join(outDir, pkg.main))).toBe(true);
    expect(existsSync(join(outDir, "main/preload.cjs"))).toBe(true);
    expect(existsSync(join(outDir, "main/analysis.worker.cjs"))).toBe(true);
    expect(existsSync(join(outDir, "renderer/index.html"))).toBe(true);
    expect(existsSync(join(outDir, "node_modules/better-sqlite3/lib/index.js"))).toBe(true);
    expect(modules).toEqual(expect.arrayContaining(["bindings", "onnxruntime-node", "webgpu"]));
    expect(modules).not.toContain("prebuild-install");
    // The sandboxed preload may require only electron; the renderer bundle has no Node module at all.
    const preload = readFileSync(join(outDir, "main/preload.cjs"), "utf8");
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(["electron"]);
    const html = readFileSync(join(outDir, "renderer/index.html"), "utf8");
    expect(html).toMatch(/Content-Security-Policy/);
  }, 120_000);

  it("packages the agent as a tarball with a systemd unit that runs the bundled command line", async () => {
    const { tarball, name, dependencies } = await packageAgent({ outDir: tmp.path });
    execFileSync("tar", ["-xzf", tarball, "-C", tmp.path]);
    const root = join(tmp.path, name);
    for (const f of [
      "lib/nqp.mjs",
      "lib/workers/detect.worker.mjs",
      "package.json",
      "nqp-agent.service",
      "agent.yaml",
      "install.sh",
    ])
      expect(existsSync(join(root, f)), f).toBe(true);
    expect(Object.keys(dependencies)).toEqual(expect.arrayContaining(["better-sqlite3", "mqtt", "commander"]));
    // With its dependencies in place, the packaged program runs.
    symlinkSync(join(repoRoot, "apps/cli/node_modules"), join(root, "node_modules"));
    const help = spawnSync(process.execPath, [join(root, "lib/nqp.mjs"), "agent", "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--config <file>/);
    // The unit: placeholders filled as install.sh does, the command line it runs is the packaged one.
    const unit = readFileSync(join(root, "nqp-agent.service"), "utf8")
      .replaceAll("@PREFIX@", root)
      .replaceAll("@NODE@", process.execPath);
    const exec = /^ExecStart=(.+)$/m.exec(unit)?.[1].split(" ") ?? [];
    expect(exec.slice(0, 4)).toEqual([process.execPath, join(root, "lib/nqp.mjs"), "agent", "--config"]);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^WantedBy=multi-user.target$/m);
    const analyze = findProgram("systemd-analyze");
    if (analyze) {
      const file = join(tmp.path, "nqp-agent.service");
      writeFileSync(file, unit);
      const v = spawnSync(analyze, ["verify", "--man=no", file], { encoding: "utf8" });
      // Only the user and the config file need not exist on this machine.
      const problems = `${v.stdout}${v.stderr}`
        .split("\n")
        .filter((l) => l.trim() && !/nqp|Failed to|Unit configuration has fatal/.test(l));
      expect(problems, `${v.stdout}${v.stderr}`).toEqual([]);
      expect(`${v.stderr}`).not.toMatch(/Unknown (key|section)|Invalid|Missing '='/);
    }
    const install = readFileSync(join(root, "install.sh"), "utf8");
    expect(spawnSync("sh", ["-n", join(root, "install.sh")]).status).toBe(0);
    expect(install).toMatch(/systemctl daemon-reload/);
  }, 120_000);
});
