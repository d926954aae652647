import { createServer } from "node:net";

/** `preferred` when it is free on `host`, else a free port the OS picks (the demo's "default or free" ports). */
export async function preferredPort(preferred: number, host = "127.0.0.1"): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(undefined));
      s.listen(port, host, () => {
        const a = s.address();
        const p = typeof a === "object" && a ? a.port : undefined;
        s.close(() => resolve(p));
      });
    });
  return (await tryPort(preferred)) ?? ((await tryPort(0)) as number);
}
