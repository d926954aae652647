import { type ChildProcess, spawn } from "node:child_process";
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Shared pieces of the edge benchmarks: mosquitto clients as load and as the raw-rate baseline, statistics. */
export const MOSQUITTO = "/usr/sbin/mosquitto";

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export function summary(xs: number[], digits = 0): { median: number; best: number; runs: number[] } {
  const r = (x: number) => Number(x.toFixed(digits));
  return { median: r(median(xs)), best: r(Math.max(...xs)), runs: xs.map(r) };
}

/**
 * Writes `streams` files of `messages / streams` lines each: one JSON payload per line, single samples or arrays
 * of `batch` samples, timestamps increasing per stream. mosquitto_pub -l publishes each line as a message.
 */
export function writeLoadFiles(dir: string, streams: number, messages: number, batch: number): string[] {
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(messages / streams);
  const files: string[] = [];
  for (let s = 0; s < streams; s++) {
    const lines: string[] = [];
    let t = 1_700_000_000_000;
    for (let m = 0; m < per; m++) {
      if (batch === 1) lines.push(JSON.stringify({ ts: t++, value: Math.sin(t / 50) + s }));
      else {
        const items = [];
        for (let b = 0; b < batch; b++) items.push({ ts: t++, value: Number((Math.sin(t / 50) + s).toFixed(6)) });
        lines.push(JSON.stringify(items));
      }
    }
    const f = join(dir, `load-${s}.txt`);
    writeFileSync(f, `${lines.join("\n")}\n`);
    files.push(f);
  }
  return files;
}

/** One mosquitto_pub -l per file, topic {prefix}/{i}, QoS 1; resolves when all have exited. */
export function publishFiles(port: number, files: string[], prefix = "sensors/bench"): Promise<number> {
  const t0 = performance.now();
  return Promise.all(
    files.map(
      (f, i) =>
        new Promise<void>((resolve, reject) => {
          const p = spawn("mosquitto_pub", ["-p", String(port), "-q", "1", "-t", `${prefix}/${i}`, "-l"], {
            stdio: ["pipe", "ignore", "inherit"],
          });
          createReadStream(f).pipe(p.stdin);
          p.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited ${code}`))));
        }),
    ),
  ).then(() => (performance.now() - t0) / 1000);
}

/** mosquitto_sub for `count` messages at QoS 1; resolves with the time from `start()` to the last message. */
export async function subscribeCount(
  port: number,
  filter: string,
  count: number,
): Promise<{ start: () => void; done: Promise<number> }> {
  const sub: ChildProcess = spawn("mosquitto_sub", ["-p", String(port), "-q", "1", "-t", filter, "-C", String(count)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await new Promise((r) => setTimeout(r, 400));
  let t0 = 0;
  const done = new Promise<number>((resolve, reject) =>
    sub.once("exit", (code) =>
      code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`mosquitto_sub exited ${code}`)),
    ),
  );
  return { start: () => (t0 = performance.now()), done };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { arg } from "../lib/cli";

/** Runs bench/edge/publisher.ts in a child process; resolves with its JSON report. */
export function runPublisher(args: string[]): { done: Promise<Record<string, number>>; kill: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "publisher.ts"), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(import.meta.dirname, "../../tsconfig.tests.json") },
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const done = new Promise<Record<string, number>>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop() ?? "{}"))
        : reject(new Error(`publisher exited ${code}`)),
    ),
  );
  return { done, kill: () => child.kill("SIGKILL") };
}
