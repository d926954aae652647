import { readFileSync } from "node:fs";
import { ValidationReportSchema } from "@nqp/contract";
import { addDashboardUser } from "@nqp/hub";
import { chromiumPath, runNqp, sharedDataPath, sharedDataSkipReason, tempDir, waitFor } from "@nqp/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServices } from "../src/main/services";
import { runAxe } from "./axe";
import { launchChromium, VIEW_ORDER, watchErrors } from "./browser";
import { attachDesktopMain } from "./desktop-bridge";
import { type Fleet, startFleet } from "./fleet-fixture";
import { ensureRendererBuilt } from "./renderer-build";

const exe = chromiumPath();
const nabFile = sharedDataPath("nab/data/realKnownCause/ec2_request_latency_system_failure.csv");
const nabLabels = sharedDataPath("nab/labels/combined_windows.json");
if (exe && !nabFile) console.warn(sharedDataSkipReason("nab"));
const tmp = tempDir("nqp-e2e-");
let fleet: Fleet;
let browser: Browser;
let page: Page;
let errors: string[];

async function openView(view: (typeof VIEW_ORDER)[number]): Promise<void> {
  await page.keyboard.press(String(VIEW_ORDER.indexOf(view) + 1));
  await page.waitForSelector(`main[data-view="${view}"]`);
}

/** Paths where two JSON values differ, numbers compared to a relative 1e-9. */
function differences(a: unknown, b: unknown, path = "$"): string[] {
  if (typeof a === "number" && typeof b === "number")
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${path}: ${a} ≠ ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} ≠ ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`)).slice(0, 20);
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) =>
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`),
    );
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`];
}

async function expectAccessible(label: string): Promise<void> {
  await expectAccessibleOn(page, label);
}

async function expectAccessibleOn(p: Page, label: string): Promise<void> {
  const violations = await runAxe(p);
  expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe.skipIf(!exe)("the dashboard in Chromium against a real hub and agent", () => {
  beforeAll(async () => {
    const dashboardDir = await ensureRendererBuilt();
    fleet = await startFleet({
      dir: tmp.path,
      dashboardDir,
      streams: 6,
      history: 1500,
      stepMs: 30 * 60_000,
      liveRate: 60,
    });
    browser = await launchChromium(exe as string);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: "dark" });
    errors = watchErrors(page);
    await page.goto(fleet.url);
    await page.waitForSelector('[data-ready="fleet"]');
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await fleet?.stop();
    tmp.remove();
  });

  it("loads every view with real data, accessibly, in both themes", async () => {
    // Fleet: the agent, online, with its records.
    const row = page.locator('tr[data-agent="press-line-1"]');
    await expect.poll(() => row.textContent()).toMatch(/online/);
    // Each stream's online validation, computed by the agent, synced in its status records, stored by the hub.
    const stored = () => fleet.hub.store.agent("press-line-1")?.status?.validation ?? {};
    await waitFor(() => Object.keys(stored()).length === 6, "validation metrics of 6 streams at the hub");
    const online = page.locator("tr[data-online-validation]");
    await expect.poll(() => online.count(), { timeout: 15_000 }).toBe(6);
    const shown = await online.evaluateAll((rows) =>
      rows.map((r) => ({
        key: r.getAttribute("data-online-validation"),
        cells: [...r.querySelectorAll("td")].map((td) => td.textContent ?? ""),
      })),
    );
    expect(shown.map((r) => r.key).sort()).toEqual(
      Object.keys(stored())
        .map((k) => `press-line-1/${k}`)
        .sort(),
    );
    for (const r of shown) {
      const m = stored()[(r.key as string).slice("press-line-1/".length)];
      // agent, stream, score, NRMSE, …, forecasts scored: the page shows what the agent reported (or an older report).
      const count = Number(r.cells[9].replace(/[^\d]/g, ""));
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(m.count);
      expect(Number(r.cells[2])).toBeGreaterThan(0);
      expect(r.cells[6]).toMatch(/^\d+\.\d % \(\d+ %\)$/);
    }
    await expectAccessible("fleet (dark)");

    await openView("explorer");
    await page.waitForSelector('[data-ready="explorer"]');
    const plots = page.locator("[data-stream] .uplot[data-rows]");
    await expect.poll(() => plots.count()).toBeGreaterThanOrEqual(2);
    const rows = Number(await plots.first().getAttribute("data-rows"));
    expect(rows).toBeGreaterThan(1000);
    // Zoom to a day: the detail range is fetched and drawn.
    await page.getByRole("button", { name: "1 d" }).click();
    await expect.poll(async () => Number(await plots.first().getAttribute("data-rows"))).toBeLessThan(rows);
    await expect
      .poll(() => page.locator("[aria-labelledby=explorer-validation-title] tr[data-online-validation]").count())
      .toBeGreaterThanOrEqual(2);
    await expectAccessible("explorer");

    await openView("spikes");
    await page.waitForSelector('[data-ready="spikes"]', { timeout: 60_000 });
    expect(Number(await page.locator("canvas.raster").first().getAttribute("data-spikes"))).toBeGreaterThan(0);
    await expectAccessible("spikes");

    await openView("inbox");
    await page.waitForSelector('[data-ready="inbox"]');
    await expect.poll(() => page.locator("tr[data-event]").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expectAccessible("inbox");

    await openView("optimizer");
    await page.click('[data-testid="opt-sample"]');
    await page.click('[data-testid="job-run"]');
    await page.waitForSelector('[data-ready="optimizer"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="opt-result"]').textContent()).toMatch(/Feasibleyes/);
    await expectAccessible("optimizer");

    await openView("validation");
    await expect
      .poll(() => page.locator("[aria-labelledby=val-online-title] tr[data-online-validation]").count())
      .toBe(1);
    await page.click('[data-testid="job-run"]');
    await page.waitForSelector('[data-ready="validation"]', { timeout: 120_000 });
    expect(await page.locator('[data-testid="val-result"]').textContent()).toMatch(/Validation score[\d.]+ \/ 100/);
    await expectAccessible("validation");

    await openView("config");
    await page.waitForSelector('[data-ready="config"]');
    await expectAccessible("config");

    await openView("audit");
    await page.waitForSelector('[data-ready="audit"]');
    await expect.poll(() => page.locator('[data-testid="audit-verify"]').getAttribute("data-ok")).toBe("true");
    await expectAccessible("audit");

    await page.keyboard.press("t");
    for (const view of VIEW_ORDER.filter((v) => v !== "optimizer" && v !== "validation")) {
      await openView(view);
      await page.waitForSelector(`[data-ready^="${view}"]`, { timeout: 60_000 });
      await expectAccessible(`${view} (light)`);
    }
    await page.keyboard.press("t");
    expect(errors).toEqual([]);
  }, 300_000);

  it("pushes a signed config from the Config view that the agent applies", async () => {
    await openView("config");
    await page.waitForSelector('[data-ready="config"]');
    await page.fill('[data-testid="config-editor"]', "log:\n  level: warn\npipeline:\n  warmup: 150\n");
    await expect.poll(() => page.locator('[data-testid="config-check"]').textContent()).toBe("valid");
    await page.click('[data-testid="config-push"]');
    const version = await waitFor(
      () => fleet.hub.store.latestConfig("press-line-1")?.version,
      "config stored at the hub",
    );
    await waitFor(() => fleet.agent.configVersion === version, "config applied by the agent");
    expect(fleet.agent.config.pipeline.warmup).toBe(150);
    // The agent's status carries the applied version back to the hub, and the view shows it.
    await expect
      .poll(() => page.locator('[data-testid="config-status"]').getAttribute("data-applied"), { timeout: 30_000 })
      .toBe("true");
    expect(errors).toEqual([]);
  }, 120_000);

  it("annotates an anomaly in the inbox; the annotation reaches the hub and its audit log", async () => {
    await openView("inbox");
    await page.waitForSelector("tr[data-event]");
    const id = (await page.locator("tr[data-event]").first().getAttribute("data-event")) as string;
    const [agent, seq] = id.split("/");
    await page.getByRole("button", { name: "True positive" }).click();
    await page.fill("#event-note", "bearing wear, checked on site");
    await page.click('[data-testid="annotation-ack"]');
    const row = await waitFor(
      () =>
        fleet.hub.store.db.prepare("SELECT * FROM annotations WHERE agent = ? AND seq = ?").get(agent, Number(seq)) as
          | { note: string; label: string; acknowledged: number }
          | undefined,
      "annotation at the hub",
    );
    expect(row).toMatchObject({ note: "bearing wear, checked on site", label: "true-positive", acknowledged: 1 });
    const audit = fleet.hub.store.db
      .prepare("SELECT actor, detail FROM audit WHERE action = 'anomaly-annotated' ORDER BY idx DESC LIMIT 1")
      .get() as { actor: string; detail: string };
    expect(audit.actor).toBe("local");
    expect(JSON.parse(audit.detail)).toMatchObject({ agent, seq: Number(seq), note: "bearing wear, checked on site" });
    expect(errors).toEqual([]);
  }, 60_000);

  it("keeps a logical focus order: skip link, views, top bar, then the view", async () => {
    await page.goto(`${fleet.url}?reload#/fleet`);
    await page.waitForSelector('[data-ready="fleet"]');
    const order: string[] = [];
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press("Tab");
      order.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          if (!el) return "";
          const area = el.closest("nav")
            ? "nav"
            : el.closest("header")
              ? "header"
              : el.closest("main")
                ? "main"
                : "other";
          return `${area}:${el.getAttribute("data-view") ?? el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 20)}`;
        }),
      );
    }
    expect(order[0]).toMatch(/^other:Skip to content/);
    expect(order.slice(1, 9).map((o) => o.split(":")[1])).toEqual([...VIEW_ORDER]);
    expect(order[9]).toMatch(/^header:/);
    expect(order.slice(9).findIndex((o) => o.startsWith("main:"))).toBeGreaterThan(0);
  }, 60_000);

  it("sets the theme in the settings panel, kept in localStorage; the hub and token are the page's in a browser", async () => {
    await page.evaluate("document.activeElement && document.activeElement.blur()");
    await page.keyboard.press(",");
    const dialog = page.locator('[data-testid="settings"]');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toMatch(/served by the hub at http:\/\/127\.0\.0\.1/);
    await expectAccessible("settings panel");
    await page.selectOption("#settings-theme", "light");
    expect(await page.evaluate("document.documentElement.dataset.theme")).toBe("light");
    expect(await page.evaluate("localStorage.getItem('nqp.theme')")).toBe("light");
    await page.selectOption("#settings-theme", "dark");
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.evaluate("localStorage.getItem('nqp.theme')")).toBe("dark");
    expect(errors).toEqual([]);
  }, 30_000);

  it("runs over the desktop's main process: settings reconnect it, offline zooms come from its cache", async () => {
    const services = startServices({
      dataDir: `${tmp.path}/desktop`,
      settings: { hubUrl: fleet.url },
      workerPath: `${tmp.path}/no-jobs-here.cjs`,
    });
    const desk = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: "dark" });
    const deskErrors = watchErrors(desk);
    const detach = await attachDesktopMain(desk, services.api);
    const pill = desk.locator('[data-testid="connection"]');
    try {
      await desk.goto(fleet.url);
      await desk.waitForSelector('[data-ready="fleet"]');
      await expect.poll(() => pill.textContent(), { timeout: 15_000 }).toMatch(/Online · hub/);
      await expect.poll(() => desk.locator("tr[data-online-validation]").count(), { timeout: 15_000 }).toBe(6);
      await desk.keyboard.press("2");
      await desk.waitForSelector('[data-ready="explorer"]');
      const plots = desk.locator("[data-stream] .uplot[data-rows]");
      await expect.poll(() => plots.count()).toBeGreaterThanOrEqual(2);
      const stream = (await desk.locator("[data-stream]").first().getAttribute("data-stream")) as string;

      // The settings panel: the hub it was started with; a hub that is not there drops the link.
      await desk.keyboard.press(",");
      await expect.poll(() => desk.inputValue("#settings-hub")).toBe(fleet.url);
      await expectAccessibleOn(desk, "settings panel (desktop)");
      await desk.fill("#settings-hub", "http://127.0.0.1:9/");
      await desk.click('[data-testid="settings-save"]');
      await expect.poll(() => pill.getAttribute("data-connected"), { timeout: 15_000 }).toBe("false");
      expect(JSON.parse(readFileSync(`${tmp.path}/desktop/settings.json`, "utf8")).hubUrl).toBe("http://127.0.0.1:9/");

      // Offline: a zoom never fetched online is answered from the cached overview, decimated in the main process.
      const extent = fleet.hub.store.db
        .prepare("SELECT min(ts) AS first, max(ts) AS last FROM predictions WHERE agent = ? AND stream = ?")
        .get("press-line-1", stream) as { first: number; last: number };
      const zoom = await desk.evaluate(
        ([s, from, to]) =>
          (window as unknown as { nqp: { call(m: string, p: unknown): Promise<unknown> } }).nqp.call("streams.series", {
            agent: "press-line-1",
            stream: s,
            from,
            to,
            maxPoints: 50,
          }),
        [
          stream,
          extent.first + (extent.last - extent.first) / 3,
          extent.first + (extent.last - extent.first) / 2,
        ] as const,
      );
      expect(zoom).toMatchObject({ ok: true, result: { decimated: true, cachedAt: expect.any(Number) } });
      const r = (zoom as { result: { rows: number; ts: number[] } }).result;
      expect(r.rows).toBeGreaterThan(100);
      expect(r.ts.length).toBeLessThanOrEqual(50);

      // Back to the hub, and a token it does not know: refused, said so; forgetting it reconnects.
      await desk.fill("#settings-hub", fleet.url);
      await desk.fill("#settings-token", "nqpd_not-a-user");
      await desk.click('[data-testid="settings-save"]');
      await expect.poll(() => pill.getAttribute("title"), { timeout: 15_000 }).toMatch(/refused the token/);
      await desk.getByRole("button", { name: "Forget the token" }).click();
      await expect.poll(() => pill.getAttribute("data-connected"), { timeout: 15_000 }).toBe("true");
      await desk.selectOption("#settings-theme", "light");
      await expect
        .poll(() => JSON.parse(readFileSync(`${tmp.path}/desktop/settings.json`, "utf8")))
        .toEqual({ hubUrl: fleet.url, theme: "light" });
      expect(deskErrors).toEqual([]);
    } finally {
      detach();
      await desk.close();
      await services.close();
    }
  }, 90_000);

  it.skipIf(!nabFile || !nabLabels)(
    "validates a labelled NAB file in the browser: the report `nqp validate` writes, NAB-style event scores shown",
    async () => {
      await page.goto(`${fleet.url}?nab#/validation`);
      await page.waitForSelector('main[data-view="validation"] [data-ready^="validation"]');
      await page.getByRole("button", { name: "Labelled file" }).click();
      await page.setInputFiles('[data-testid="val-file"]', nabFile as string);
      await page.setInputFiles('[data-testid="val-labels"]', nabLabels as string);
      await page.click('[data-testid="job-run"]');
      await page.waitForSelector('[data-ready="validation"]', { timeout: 120_000 });
      const events = page.locator('[aria-label="NAB-style event scores"] tbody tr');
      await expect.poll(() => events.count()).toBe(2);
      expect(await events.first().textContent()).toMatch(/\d+ \/ \d+/);
      await expectAccessible("validation of a labelled file");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Report JSON" }).click(),
      ]);
      const shown = ValidationReportSchema.parse(JSON.parse(readFileSync(await download.path(), "utf8")));
      // The CLI with the view's defaults, on the same file and labels (read in file order, as the view reads files:
      // this one repeats a wall-clock hour).
      const out = `${tmp.path}/nab-cli.json`;
      const cli = runNqp([
        "validate",
        "--input",
        nabFile as string,
        "--labels",
        nabLabels as string,
        "--time-order",
        "file",
        "--report",
        out,
      ]);
      expect(cli.stderr).toBe("");
      const written = ValidationReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));
      const same = (r: typeof shown) => ({
        ...r,
        generatedBy: "",
        seconds: 0,
        input: { ...r.input, file: "" },
        labels: r.labels && { ...r.labels, file: "" },
      });
      // Figure for figure, to the last few bits: Chromium's V8 computes Math.exp and its kin a few ulps apart from
      // Node's (in Node, analysis.test.ts finds the reports identical).
      expect(differences(same(shown), same(written))).toEqual([]);
      expect(shown.events?.[0].windows).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    },
    120_000,
  );

  it("gives a viewer a read-only dashboard", async () => {
    const { token } = addDashboardUser(fleet.hub.store.db, "vera", "viewer");
    const viewer = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const viewerErrors = watchErrors(viewer);
    await viewer.goto(`${fleet.url}#token=${token}`);
    await viewer.waitForSelector('[data-ready="fleet"]');
    await expect.poll(() => viewer.locator(".topbar").textContent()).toMatch(/vera · viewer/);
    await viewer.keyboard.press("4");
    await viewer.waitForSelector("tr[data-event]");
    expect(await viewer.locator('[data-testid="annotation-ack"]').isDisabled()).toBe(true);
    await viewer.keyboard.press("7");
    await viewer.waitForSelector('[data-ready="config"]');
    expect(await viewer.locator('[data-testid="config-push"]').isDisabled()).toBe(true);
    // The hub refuses the write even when a page tries it directly.
    const refused = await viewer.evaluate(async (t) => {
      const ws = new WebSocket(`ws://${location.host}/api/v1/ws?token=${t}`);
      return new Promise<string>((resolve) => {
        ws.onmessage = (e) => {
          const m = JSON.parse(String(e.data));
          if (m.t === "hello")
            ws.send(JSON.stringify({ t: "call", id: 1, method: "config.push", params: { target: "*", config: {} } }));
          else if (m.t === "error") resolve(m.error.code);
        };
      });
    }, token);
    expect(refused).toBe("forbidden");
    expect(viewerErrors).toEqual([]);
    await viewer.close();
  }, 60_000);
});
