import { spawn, type ChildProcess } from "node:child_process";
import { promises as fs, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { NODE_FLAGS } from "s3guard";
import { REPO_ROOT } from "./localAws";

/** One parsed line the connector wrote: alerts on stdout, JSON logs on stderr. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const LAUNCHER = path.join(REPO_ROOT, "detector", "bin", "s3guard.js");
const BUILT_CLI = path.join(REPO_ROOT, "detector", "dist", "cli.js");

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? await newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The connector runs from detector/dist: refuse to test a build older than the sources. */
export async function assertDetectorBuilt(): Promise<void> {
  try {
    statSync(BUILT_CLI);
  } catch {
    throw new Error("detector/dist/cli.js is missing: run `npm run build` first");
  }
  // A build rewrites the outputs of what changed, so the newest output is newer than any source.
  const built = await newestMtime(path.dirname(BUILT_CLI));
  if ((await newestMtime(path.join(REPO_ROOT, "detector", "src"))) > built) throw new Error("detector/dist is older than detector/src: run `npm run build` first");
}

/** `s3guard run` in a child process, with what it prints collected for the caller. */
export class ConnectorProcess {
  readonly alerts: Json[] = [];
  readonly logs: Json[] = [];
  healthPort?: number;
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly listeners = new Set<() => void>();

  constructor(
    env: Record<string, string>,
    private readonly echo: { alert?: (a: Json) => void; log?: (l: Json) => void } = {},
  ) {
    // As the container starts it: node with the launcher's flags.
    this.child = spawn(process.execPath, [...NODE_FLAGS, LAUNCHER, "run"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", NODE_NO_WARNINGS: "1", S3GUARD_HEALTH_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const a = parse(line);
      this.alerts.push(a);
      this.echo.alert?.(a);
      this.notify();
    });
    createInterface({ input: this.child.stderr! }).on("line", (line) => {
      const l = parse(line);
      if (l.msg === "health server listening") this.healthPort = l.port;
      this.logs.push(l);
      this.echo.log?.(l);
      this.notify();
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }

  /** Alerts from rules on CloudTrail records (not the service's own, about rules changes). */
  get detections(): Json[] {
    return this.alerts.filter((a) => a.source !== "s3guard");
  }

  /** The service's own alerts (rules loaded, rules rejected). */
  get serviceAlerts(): Json[] {
    return this.alerts.filter((a) => a.source === "s3guard");
  }

  get pid(): number {
    return this.child.pid!;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  /** The most memory the process has held so far, in MB (Linux: VmHWM in /proc), or undefined once it is gone. */
  peakRssMb(): number | undefined {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, "utf8"));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  /** Resolves when `check` holds, re-checked on every line printed; rejects after `timeoutMs`. */
  until<T>(what: string, check: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const v = check();
        if (v !== undefined && v !== false) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last logs:\n${this.logs.slice(-8).map((l) => JSON.stringify(l)).join("\n")}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(test);
      };
      this.listeners.add(test);
      void this.exited.then(() => {
        if (!this.listeners.has(test)) return;
        cleanup();
        reject(new Error(`the connector exited (code ${this.child.exitCode}) while waiting for ${what}; last logs:\n${this.logs.slice(-8).map((l) => JSON.stringify(l)).join("\n")}`));
      });
      test();
    });
  }

  waitForLog(msg: string | RegExp, timeoutMs?: number, filter: (l: Json) => boolean = () => true): Promise<Json> {
    const matches = (l: Json) => (typeof msg === "string" ? l.msg === msg : msg.test(String(l.msg))) && filter(l);
    return this.until(`log "${msg}"`, () => this.logs.find(matches), timeoutMs);
  }

  /** Polls /healthz until it answers 200. */
  async waitReady(timeoutMs = 30_000): Promise<Json> {
    const port = await this.until("the health server", () => this.healthPort, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (res?.status === 200) return (await res.json()) as Json;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`the connector did not become ready: ${res ? await res.text() : "no answer"}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The /metrics page as `series -> value` (series as printed, e.g. `s3guard_records_total`). */
  async metrics(): Promise<Map<string, number>> {
    const text = await (await fetch(`http://127.0.0.1:${this.healthPort}/metrics`)).text();
    const out = new Map<string, number>();
    for (const line of text.split("\n")) {
      if (!line || line.startsWith("#")) continue;
      const i = line.lastIndexOf(" ");
      out.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return out;
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }

  wait(): Promise<number | null> {
    return this.exited;
  }
}

function parse(line: string): Json {
  try {
    const v = JSON.parse(line);
    return v && typeof v === "object" ? v : { raw: line };
  } catch {
    return { raw: line };
  }
}
