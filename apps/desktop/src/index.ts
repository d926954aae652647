// @nqp/desktop: the analyst workstation. The main-process services are plain Node modules (tested without
// Electron); the renderer is built by Vite (vite.config.ts) and served by the hub as its web dashboard too.
export { type IpcMainLike, registerIpc } from "./main/ipc";
export { DesktopApi, HubClient, JobRunner, LocalStore, startServices } from "./main/services";
export { type DesktopSettings, loadSettings } from "./main/settings";
