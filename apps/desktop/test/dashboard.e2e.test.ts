import { addDashboardUser } from "@nqp/hub";
import { chromiumPath, tempDir, waitFor } from "@nqp/testkit";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAxe } from "./axe";
import { launchChromium, VIEW_ORDER, watchErrors } from "./browser";
import { type Fleet, startFleet } from "./fleet-fixture";
import { ensureRendererBuilt } from "./renderer-build";

const exe = chromiumPath();
const tmp = tempDir("nqp-e2e-");
let fleet: Fleet;
let browser: Browser;
let page: Page;
let errors: string[];

async function openView(view: (typeof VIEW_ORDER)[number]): Promise<void> {
  await page.keyboard.press(String(VIEW_ORDER.indexOf(view) + 1));
  await page.waitForSelector(`main[data-view="${view}"]`);
}

async function expectAccessible(label: string): Promise<void> {
  const violations = await runAxe(page);
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
    await page.click('[data-testid="job-run"]');
    await page.waitForSelector('[data-ready="validation"]', { timeout: 120_000 });
    expect(await page.locator('[data-testid="val-result"]').textContent()).toMatch(/Test NRMSE/);
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
    for (let i = 0; i < 12; i++) {
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
