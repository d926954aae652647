// `pnpm nqp …`: rebuild the bundle when a source changed (silently, so `pnpm --silent nqp` prints only the
// command's own output), then run it.

import { pathToFileURL } from "node:url";
import { bundle, bundleIsStale, cliOut } from "./bundle.mjs";

if (bundleIsStale()) {
  try {
    await bundle();
  } catch (err) {
    process.stderr.write(`nqp: build failed: ${err.message}\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(cliOut).href);
