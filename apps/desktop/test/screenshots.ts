// `pnpm screenshots`: regenerates docs/screenshots/*.png — every view of the dashboard, served by a real hub with a
// real agent fed by the sensor simulator, in headless Chromium (dark theme, and the fleet view in light).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromiumPath, repoRoot, sharedDataPath, tempDir } from "@nqp/testkit";
import { launchChromium, VIEW_ORDER, watchErrors } from "./browser";
import { startFleet } from "./fleet-fixture";
import { ensureRendererBuilt } from "./renderer-build";

const out = process.argv[2] ?? join(repoRoot, "docs/screenshots");
mkdirSync(out, { recursive: true });
const exe = chromiumPath();
if (!exe) process.exit(1);
const tmp = tempDir("nqp-shots-");
const fleet = await startFleet({
  dir: tmp.path,
  dashboardDir: await ensureRendererBuilt(),
  streams: 6,
  history: 4000,
  stepMs: 15 * 60_000,
  liveRate: 30,
});
const browser = await launchChromium(exe);
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: "dark",
  });
  const errors = watchErrors(page);
  await page.goto(fleet.url);
  await page.waitForSelector('[data-ready="fleet"]');
  for (const [i, view] of VIEW_ORDER.entries()) {
    // Shortcuts do not fire while typing in a field: leave the field of the previous view first.
    await page.evaluate("document.activeElement && document.activeElement.blur()");
    await page.keyboard.press(String(i + 1));
    if (view === "optimizer") {
      await page.click('[data-testid="opt-sample"]');
      await page.click('[data-testid="job-run"]');
      await page.waitForSelector('[data-ready="optimizer"]', { timeout: 60_000 });
    } else if (view === "validation") {
      await page.click('[data-testid="job-run"]');
      await page.waitForSelector('[data-ready="validation"]', { timeout: 120_000 });
    } else if (view === "config") {
      // A pushed version, applied by the agent, so the status and history show what operators see.
      await page.waitForSelector('[data-ready="config"]');
      await page.fill('[data-testid="config-editor"]', "pipeline:\n  warmup: 300\nlabels:\n  shift: night\n");
      await page.fill("#cfg-note", "longer warm-up for the night shift");
      await page.click('[data-testid="config-push"]');
      await page.waitForSelector('[data-testid="config-status"][data-applied="true"]', { timeout: 30_000 });
      await page.fill('[data-testid="config-editor"]', "pipeline:\n  warmup: 400\nlabels:\n  shift: night\n");
    } else if (view === "inbox") {
      await page.waitForSelector("tr[data-event]");
      await page.getByRole("button", { name: "True positive" }).click();
      await page.fill("#event-note", "bearing wear, confirmed on site");
    } else await page.waitForSelector(`[data-ready="${view}"]`, { timeout: 60_000 });
    await page.waitForTimeout(view === "explorer" ? 1500 : 500);
    // The validation report runs long (score, tables, five plots): a taller window shows all of it (the view scrolls
    // inside the frame, so a full-page capture would not).
    if (view === "validation") {
      await page.setViewportSize({ width: 1440, height: 2200 });
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: join(out, `${i + 1}-${view}.png`) });
    if (view === "validation") await page.setViewportSize({ width: 1440, height: 900 });
    process.stdout.write(`${view} ✓\n`);
  }
  await page.evaluate("document.activeElement && document.activeElement.blur()");
  await page.keyboard.press("t");
  await page.keyboard.press("1");
  await page.waitForSelector('[data-ready="fleet"]');
  await page.screenshot({ path: join(out, "fleet-light.png") });
  await page.keyboard.press(",");
  await page.waitForSelector('[data-testid="settings"][open]');
  await page.screenshot({ path: join(out, "settings.png") });
  // A labelled NAB file validated in the page: the report with NAB-style event scores (with ../shared only).
  const nabFile = sharedDataPath("nab/data/realKnownCause/ec2_request_latency_system_failure.csv");
  const nabLabels = sharedDataPath("nab/labels/combined_windows.json");
  if (nabFile && nabLabels) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("t");
    await page.goto(`${fleet.url}?nab#/validation`);
    await page.waitForSelector('[data-ready^="validation"]');
    await page.getByRole("button", { name: "Labelled file" }).click();
    await page.setInputFiles('[data-testid="val-file"]', nabFile);
    await page.setInputFiles('[data-testid="val-labels"]', nabLabels);
    await page.click('[data-testid="job-run"]');
    await page.waitForSelector('[data-ready="validation"]', { timeout: 120_000 });
    await page.setViewportSize({ width: 1440, height: 2350 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, "validation-nab.png") });
    process.stdout.write("validation of a labelled NAB file ✓\n");
  }
  if (errors.length) process.stderr.write(`console errors:\n${errors.join("\n")}\n`);
} finally {
  await browser.close();
  await fleet.stop();
  tmp.remove();
}
