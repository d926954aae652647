// `pnpm bench dashboard [--runs N]`: the dashboard's performance bars in headless Chromium (issue 4), against a real
// hub and agent fed by the sensor simulator:
//   - first load: navigation to the fleet view showing the fleet, over localhost, fresh browser context each run;
//   - 1 000 000 points: a 1 M-row CSV imported into the stream explorer, then the chart's draw time (min/max
//     decimation + uPlot draw) for the whole series and for zooms (wheel), and the time to the next painted frame;
//   - live: 50 streams updating at 10 Hz each (500 samples/s through agent → hub → WebSocket), all 50 plotted in the
//     explorer following live, frames per second over 10 s (idle-page rate measured in the same run as the cap).
// Prints one JSON document. Other engineers' jobs share the machine: every run is listed with median and best.
import { loadavg } from "node:os";
import { chromiumPath, tempDir } from "@nqp/testkit";
import type { Page } from "playwright-core";
import { launchChromium } from "../apps/desktop/test/browser";
import { startFleet } from "../apps/desktop/test/fleet-fixture";
import { ensureRendererBuilt } from "../apps/desktop/test/renderer-build";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 5);
const exe = chromiumPath();
if (!exe) {
  process.stdout.write(`${JSON.stringify({ skipped: "chromium is not installed" })}\n`);
  process.exit(0);
}
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
/** Median, best and worst; "best" is the lowest for times and the highest for rates. */
const stats = (xs: number[], higherIsBetter = false) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  const [lo, hi] = [r(s[0]), r(s[s.length - 1])];
  return {
    runs: xs.map(r),
    median: r(s[Math.floor(s.length / 2)]),
    best: higherIsBetter ? hi : lo,
    worst: higherIsBetter ? lo : hi,
  };
};

/** Frames per second over `ms`, counted with requestAnimationFrame in the page, with the longest frame gap. */
async function measureFps(page: Page, ms: number): Promise<{ fps: number; maxGapMs: number; p95GapMs: number }> {
  return page.evaluate(
    (duration) =>
      new Promise((resolve) => {
        const gaps: number[] = [];
        let last = performance.now();
        const start = last;
        let frames = 0;
        const tick = (t: number) => {
          frames++;
          gaps.push(t - last);
          last = t;
          if (t - start < duration) requestAnimationFrame(tick);
          else {
            gaps.sort((a, b) => a - b);
            resolve({
              fps: (frames * 1000) / (t - start),
              maxGapMs: gaps[gaps.length - 1],
              p95GapMs: gaps[Math.floor(gaps.length * 0.95)],
            });
          }
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

// tsx compiles this file with esbuild's keepNames, which wraps functions in a __name() helper that does not exist in
// the page: functions handed to page.evaluate need it defined there.
const NAME_SHIM = { content: "globalThis.__name = (f) => f;" };

const log = (m: string) => process.stderr.write(`[bench dashboard] ${m}\n`);
const dashboardDir = await ensureRendererBuilt();
const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: "development machine: 2 cores, shared with other engineers' jobs",
  loadAverageAtStart: loadavg().map((x) => Math.round(x * 10) / 10),
};

// ---- first load and the 1 M-point draw: a small fleet ----
if (!only || only === "load") {
  const tmp = tempDir("nqp-bench-dash-");
  const fleet = await startFleet({
    dir: tmp.path,
    dashboardDir,
    streams: 6,
    history: 1500,
    stepMs: 30 * 60_000,
    liveRate: 20,
  });
  const browser = await launchChromium(exe);
  try {
    const loads: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(NAME_SHIM);
      const page = await context.newPage();
      let transferred = 0;
      page.on("response", async (r) => {
        const b = await r.body().catch(() => Buffer.alloc(0));
        transferred += b.length;
      });
      await page.goto(fleet.url);
      // Time from the navigation's start to the fleet table on screen, read in the page.
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const check = () => {
              if (document.querySelector('[data-ready="fleet"] tr[data-agent]'))
                requestAnimationFrame(() => resolve(performance.now()));
              else requestAnimationFrame(check);
            };
            check();
          }),
      );
      loads.push(ms);
      log(`first load ${i + 1}: ${ms.toFixed(0)} ms`);
      bytes = transferred;
      await context.close();
    }
    result.firstLoad = {
      ...stats(loads),
      unit: "ms from navigation start to the fleet table painted",
      bar: 1500,
      bytesTransferred: bytes,
    };

    // 1 M points: a CSV imported into the explorer (the series an analyst brings), drawn and zoomed.
    const n = 1_000_000;
    const t0 = Date.UTC(2025, 0, 1);
    const lines = ["timestamp,value"];
    for (let i = 0; i < n; i++)
      lines.push(
        `${t0 + i * 60_000},${(Math.sin(i / 1440) * 10 + Math.sin(i / 97) + (i % 50_000 === 0 ? 25 : 0)).toFixed(3)}`,
      );
    const csv = Buffer.from(`${lines.join("\n")}\n`);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript(NAME_SHIM);
    const page = await context.newPage();
    await page.goto(`${fleet.url}#/explorer`);
    await page.waitForSelector('[data-ready="explorer"]');
    // Compare only the imported file: untick the hub streams the explorer picked on its first visit.
    const checked = page.locator('ul[aria-label="Streams"] input[type=checkbox]:checked');
    while ((await checked.count()) > 0) await checked.first().uncheck();
    log("importing 1 000 000 rows");
    const importStart = Date.now();
    await page.setInputFiles('[data-testid="explorer-import"]', {
      name: "million.csv",
      mimeType: "text/csv",
      buffer: csv,
    });
    const plot = page.locator('[data-stream="million.csv"] .uplot[data-rows]').first();
    await plot.waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-stream="million.csv"] .uplot')?.getAttribute("data-rows")) >= 1_000_000,
      null,
      { timeout: 120_000 },
    );
    const importMs = Date.now() - importStart;
    log(`imported in ${importMs} ms; zooming`);
    const parseMs = await page.evaluate(() => performance.getEntriesByName("explorer:parse").at(-1)?.duration ?? null);
    const firstDraw = Number(await plot.getAttribute("data-draw-ms"));
    // Zoom with the wheel over the plot: each step re-decimates the visible rows and redraws.
    const box = await page.locator('[data-stream="million.csv"] .u-over').first().boundingBox();
    const draws: number[] = [];
    const frames: number[] = [];
    const rowsSeen: number[] = [];
    if (box) {
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      for (let i = 0; i < 16; i++) {
        const before = await page.evaluate(() => performance.now());
        await page.mouse.wheel(0, i < 10 ? -300 : 600);
        const painted = await page.evaluate(
          () =>
            new Promise<number>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))),
        );
        frames.push(painted - before);
        draws.push(Number(await plot.getAttribute("data-draw-ms")));
        rowsSeen.push(Number(await plot.getAttribute("data-rows")));
      }
    }
    // The whole series again (double-click resets), the heaviest case: every one of the 1 M rows is visited.
    const fullDraws: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.getByRole("button", { name: "1 d" }).click();
      await page.getByRole("button", { name: "All" }).click();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      fullDraws.push(Number(await plot.getAttribute("data-draw-ms")));
    }
    result.million = {
      rows: n,
      importMs,
      parseMs: parseMs === null ? null : Math.round(parseMs),
      drawAllMs: stats([firstDraw, ...fullDraws]),
      zoomDrawMs: stats(draws),
      zoomToPaintMs: stats(frames),
      rowsVisibleDuringZooms: { min: Math.min(...rowsSeen), max: Math.max(...rowsSeen) },
      pointsDrawn: Number(await plot.getAttribute("data-points")),
      bar: 200,
      note: "draw = min/max decimation of the visible rows + uPlot draw (data-draw-ms); zoomToPaint = wheel event to the second animation frame after it, as measured from the page",
    };
    await context.close();
  } finally {
    await browser.close();
    await fleet.stop();
    tmp.remove();
  }
}

// ---- 50 live streams at 10 Hz ----
if (!only || only === "live") {
  const tmp = tempDir("nqp-bench-live-");
  const fleet = await startFleet({
    dir: tmp.path,
    dashboardDir,
    streams: 50,
    history: 250,
    stepMs: 100,
    liveRate: 500,
  });
  const browser = await launchChromium(exe);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(NAME_SHIM);
    // The instrument: counts the live points the page receives (the product's WebSocket, observed from outside).
    await page.addInitScript({
      content: `globalThis.__nqpPoints = 0;
        const Native = WebSocket;
        globalThis.WebSocket = class extends Native {
          constructor(...a) {
            super(...a);
            this.addEventListener("message", (e) => {
              const m = JSON.parse(e.data);
              if (m.t === "event" && m.event === "streams.points") globalThis.__nqpPoints += m.data.ts.length;
            });
          }
        };`,
    });
    await page.goto(`${fleet.url}#/explorer`);
    await page.waitForSelector('[data-ready="explorer"]');
    const idle = await measureFps(page, 3000);
    log(`idle page ${idle.fps.toFixed(1)} fps; selecting 50 streams`);
    for (const box of await page.locator('ul[aria-label="Streams"] input[type=checkbox]').all())
      if (!(await box.isChecked())) await box.check();
    await page.waitForFunction(() => document.querySelectorAll("[data-stream] .uplot").length >= 50, null, {
      timeout: 60_000,
    });
    await page.getByRole("button", { name: "Live" }).click();
    await page.selectOption("#live-span", String(600_000));
    const rowsOf = () => page.evaluate(() => (globalThis as unknown as { __nqpPoints: number }).__nqpPoints);
    const samples: { fps: number; maxGapMs: number; p95GapMs: number }[] = [];
    await page.waitForTimeout(2000);
    const rows0 = await rowsOf();
    const t0 = Date.now();
    for (let i = 0; i < Math.max(3, runs); i++) samples.push(await measureFps(page, 10_000));
    const rowsPerSecond = ((await rowsOf()) - rows0) / ((Date.now() - t0) / 1000);
    const panels = await page.locator("[data-stream]").count();
    // Same-run control: the same fleet load (50 streams at 10 Hz through agent and hub), 4 streams plotted.
    const boxes = page.locator('ul[aria-label="Streams"] input[type=checkbox]:checked');
    while ((await boxes.count()) > 4) await boxes.last().uncheck();
    await page.waitForTimeout(2000);
    const control: number[] = [];
    for (let i = 0; i < Math.max(2, Math.ceil(runs / 2)); i++) control.push((await measureFps(page, 10_000)).fps);
    result.live = {
      streams: panels,
      publishedRate: 500,
      rowsReceivedPerSecond: Math.round(rowsPerSecond),
      fps: stats(
        samples.map((s) => s.fps),
        true,
      ),
      maxFrameGapMs: stats(samples.map((s) => s.maxGapMs)),
      p95FrameGapMs: stats(samples.map((s) => s.p95GapMs)),
      idlePageFps: Math.round(idle.fps * 10) / 10,
      control4StreamsFps: stats(control, true),
      bar: 50,
      note: "fps = requestAnimationFrame callbacks per second in the explorer following live, 10 s windows; agent, hub, simulator and Chromium share the 2 cores",
    };
  } finally {
    await browser.close();
    await fleet.stop();
    tmp.remove();
  }
}
result.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 10) / 10);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
