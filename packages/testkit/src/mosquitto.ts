import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";

/** A free TCP port on 127.0.0.1 (there is a small race between closing it here and its next use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface MosquittoOptions {
  /** Where its config, persistence file and log go. */
  dir: string;
  port?: number;
  /** Extra mosquitto.conf lines (password_file, acl_file, …). */
  extra?: string[];
  /** max_inflight_messages (default 0: no limit; Mosquitto's own default is 20). */
  maxInflight?: number;
}

/**
 * Debian's mosquitto on 127.0.0.1 with a config of its own: persistence on (so a restart keeps persistent
 * sessions and their queued messages), no limit on queued or in-flight messages.
 */
export class Mosquitto {
  readonly port: number;
  private child: ChildProcess | undefined;
  private readonly conf: string;

  private constructor(
    private readonly program: string,
    private readonly o: MosquittoOptions,
    port: number,
  ) {
    this.port = port;
    mkdirSync(o.dir, { recursive: true });
    this.conf = join(o.dir, "mosquitto.conf");
    writeFileSync(
      this.conf,
      [
        `listener ${port} 127.0.0.1`,
        // Started as root, mosquitto drops to the user 'mosquitto', which cannot write this directory.
        `user ${userInfo().username}`,
        "allow_anonymous true",
        "persistence true",
        `persistence_location ${o.dir}/`,
        "autosave_interval 1",
        "max_queued_messages 0",
        `max_inflight_messages ${o.maxInflight ?? 0}`,
        "log_type error",
        "log_type warning",
        `log_dest file ${join(o.dir, "mosquitto.log")}`,
        ...(o.extra ?? []),
        "",
      ].join("\n"),
    );
  }

  static async start(program: string, o: MosquittoOptions): Promise<Mosquitto> {
    const m = new Mosquitto(program, o, o.port ?? (await freePort()));
    await m.launch();
    return m;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  private async launch(): Promise<void> {
    this.child = spawn(this.program, ["-c", this.conf], { stdio: "ignore" });
    // Ready when the port accepts connections.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(this.port, "127.0.0.1");
        s.once("connect", () => {
          s.destroy();
          resolve(true);
        });
        s.once("error", () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline || this.child.exitCode !== null)
        throw new Error(`mosquitto did not start on port ${this.port} (see ${this.o.dir}/mosquitto.log)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops it (SIGTERM: it saves its persistence file) and waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill(signal);
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }
}
