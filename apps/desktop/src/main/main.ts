// The Electron main process: one window on the renderer bundle, the services of ./services, IPC between them.
// Bundled by scripts/build.mjs to dist/main/main.cjs; everything it does beyond wiring is in plain Node modules.
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { app, BrowserWindow, ipcMain, Menu, protocol, shell } from "electron";
import { registerIpc } from "./ipc";
import { startServices } from "./services";
import { loadSettings } from "./settings";

const SCHEME = "nqp";
const rendererDir = join(__dirname, "..", "renderer");
const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

// A privileged app scheme instead of file://: module scripts and workers load, and nothing else on disk is reachable.
protocol.registerSchemesAsPrivileged([
  { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
]);

function trusted(url: string): boolean {
  return url.startsWith(`${SCHEME}://app/`);
}

async function start(): Promise<void> {
  const dataDir = app.getPath("userData");
  const settings = loadSettings(dataDir, process.argv, process.env);
  const services = startServices({
    dataDir,
    settings,
    workerPath: join(__dirname, "analysis.worker.cjs"),
  });

  protocol.handle(SCHEME, async (request) => {
    const path = normalize(decodeURIComponent(new URL(request.url).pathname)).replace(/^([/\\])+/, "");
    const file = join(rendererDir, path || "index.html");
    if (!file.startsWith(rendererDir)) return new Response("not found", { status: 404 });
    try {
      return new Response(await readFile(file), {
        headers: { "content-type": TYPES[extname(file)] ?? "application/octet-stream" },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });

  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: "#0d1117",
    title: "NQP",
    webPreferences: {
      preload: join(__dirname, "preload.cjs"),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const unregister = registerIpc(
    ipcMain,
    services.api,
    (channel, data) => {
      if (!window.isDestroyed()) window.webContents.send(channel, data);
    },
    trusted,
  );
  // Links open in the system browser; the window never navigates away from the app.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: "deny" };
  });
  window.webContents.on("will-navigate", (e, url) => {
    if (!trusted(url)) e.preventDefault();
  });
  Menu.setApplicationMenu(null);
  await window.loadURL(`${SCHEME}://app/index.html`);

  app.on("window-all-closed", async () => {
    unregister();
    await services.close();
    app.quit();
  });
}

app.whenReady().then(start, (err) => {
  console.error(err);
  app.exit(1);
});
