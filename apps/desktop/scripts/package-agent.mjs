// Packages the edge agent as a tarball for Linux boxes: the bundled nqp command line (lib/nqp.mjs and its worker
// threads), the package.json of its runtime dependencies, a systemd unit, an example config and install.sh.
// With --with-deps, node_modules is included (pnpm deploy from the local store: no registry needed on the box; it
// must match the box's OS, CPU and Node ABI). Output: dist/packages/nqp-agent-VERSION-linux.tar.gz
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { desktopRoot } from "./build-main.mjs";

const repoRoot = join(desktopRoot, "../..");

export async function packageAgent({ outDir = join(repoRoot, "dist/packages"), withDeps = false } = {}) {
  const { bundle } = await import(join(repoRoot, "scripts/bundle.mjs"));
  await bundle();
  const cli = JSON.parse(readFileSync(join(repoRoot, "apps/cli/package.json"), "utf8"));
  const version = cli.version;
  const name = `nqp-agent-${version}-linux`;
  const stage = join(outDir, name);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, "lib"), { recursive: true });
  cpSync(join(repoRoot, "apps/cli/dist/nqp.mjs"), join(stage, "lib/nqp.mjs"));
  cpSync(join(repoRoot, "apps/cli/dist/workers"), join(stage, "lib/workers"), {
    recursive: true,
    filter: (f) => !f.endsWith(".map"),
  });
  const dependencies = Object.fromEntries(Object.entries(cli.dependencies).filter(([n]) => !n.startsWith("@nqp/")));
  // The bundle keeps every npm package external; the kernels' native back ends come from @nqp/kernels' dependencies.
  const kernels = JSON.parse(readFileSync(join(repoRoot, "packages/kernels/package.json"), "utf8"));
  for (const [n, v] of Object.entries(kernels.dependencies ?? {})) if (!n.startsWith("@nqp/")) dependencies[n] ??= v;
  writeFileSync(
    join(stage, "package.json"),
    `${JSON.stringify({ name: "nqp-agent", version, private: true, type: "module", engines: { node: ">=20" }, bin: { nqp: "lib/nqp.mjs" }, dependencies }, null, 2)}\n`,
  );
  for (const f of ["nqp-agent.service", "agent.yaml", "install.sh"])
    cpSync(join(desktopRoot, "build/agent", f), join(stage, f));
  chmodSync(join(stage, "install.sh"), 0o755);
  if (withDeps) {
    const tmp = join(outDir, `${name}-deploy`);
    rmSync(tmp, { recursive: true, force: true });
    const r = spawnSync("pnpm", ["--filter", "@nqp/cli", "deploy", "--prod", tmp], { cwd: repoRoot, stdio: "inherit" });
    if (r.status !== 0) throw new Error("pnpm deploy failed");
    cpSync(realpathSync(join(tmp, "node_modules")), join(stage, "node_modules"), {
      recursive: true,
      verbatimSymlinks: true,
    });
    rmSync(tmp, { recursive: true, force: true });
  }
  const tarball = join(outDir, `${name}.tar.gz`);
  const t = spawnSync("tar", ["-czf", tarball, "-C", outDir, name], { stdio: "inherit" });
  if (t.status !== 0) throw new Error("tar failed");
  rmSync(stage, { recursive: true, force: true });
  return { tarball, name, dependencies };
}

if (
  process.argv[1] &&
  existsSync(process.argv[1]) &&
  realpathSync(process.argv[1]) === realpathSync(new URL(import.meta.url).pathname)
) {
  const r = await packageAgent({ withDeps: process.argv.includes("--with-deps") });
  console.log(`wrote ${r.tarball}`);
}
