import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Alert } from "../engine";
import type { BuildJob, FileJob, FileResult, FromWorker, ToWorker, WorkerSetup } from "./protocol";
import { unpackSteps } from "./stepWire";

/** The cores this process may use: the default number of workers. */
export function availableCores(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

/** The compiled worker script (tests run the sources; the worker always runs the build). */
function workerScript(): string {
  const here = path.join(__dirname, "evaluatorWorker.js");
  if (existsSync(here)) return here;
  const built = path.resolve(__dirname, "..", "..", "dist", "parallel", "evaluatorWorker.js");
  if (existsSync(built)) return built;
  throw new Error(`the worker script was not found (${here}): run npm run build`);
}

interface Pending {
  resolve(v: FileResult | Alert[]): void;
  reject(e: Error): void;
}

/**
 * Worker threads that read and evaluate files (see protocol.ts). A file goes to a worker that has
 * loaded the rules, the one with the fewest files in hand; its matches stay with that worker until
 * `build` or `drop`.
 */
export class EvaluatorPool {
  private readonly workers: { worker: Worker; files: number; ready: boolean }[] = [];
  private closing = false;
  private readonly owner = new Map<number, number>();
  private readonly pending = new Map<string, Pending>();
  private nextJob = 0;
  private failure?: Error;

  constructor(size: number, setup: WorkerSetup) {
    const script = workerScript();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(script, { workerData: setup });
      worker.on("message", (m: FromWorker) => this.receive(i, m));
      worker.on("error", (e) => this.fail(e));
      worker.on("exit", (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`a worker thread exited with code ${code}`));
      });
      this.workers.push({ worker, files: 0, ready: false });
    }
  }

  /** A worker that has loaded the rules and has fewer than `depth` files in hand, if any (the one with fewest). */
  available(depth: number): number | undefined {
    let best: number | undefined;
    this.workers.forEach((w, i) => {
      if (w.ready && w.files < depth && (best === undefined || w.files < this.workers[best].files)) best = i;
    });
    return best;
  }

  /** Evaluates a file with the run as it stands before it; resolves with what the worker found. */
  evaluate(input: string | Uint8Array, learned: string[], firstTimeNs: bigint | undefined, accounts?: readonly string[], worker?: number): Promise<FileResult> {
    const job = this.nextJob++;
    let w = worker ?? 0;
    if (worker === undefined) for (let i = 1; i < this.workers.length; i++) if (this.workers[i].files < this.workers[w].files) w = i;
    this.workers[w].files++;
    this.owner.set(job, w);
    const result = this.wait<FileResult>(`file ${job}`);
    const m: FileJob = { type: "file", job, learned, ...(typeof input === "string" ? { path: input } : { bytes: input }) };
    if (firstTimeNs !== undefined) m.firstTimeNs = firstTimeNs;
    if (accounts) m.accounts = [...accounts];
    // Bytes that own their whole buffer move to the worker instead of being copied.
    const own = typeof input !== "string" && input.buffer instanceof ArrayBuffer && input.byteOffset === 0 && input.byteLength === input.buffer.byteLength;
    this.workers[w].worker.postMessage(m, own ? [input.buffer as ArrayBuffer] : []);
    return result;
  }

  /** The alerts of these matches of a file; its other matches are forgotten. */
  build(job: number, items: BuildJob["items"]): Promise<Alert[]> {
    const result = this.wait<Alert[]>(`built ${job}`);
    this.post(this.owner.get(job)!, { type: "build", job, items });
    this.owner.delete(job);
    return result;
  }

  /** Forgets a file's matches. */
  drop(job: number): void {
    const w = this.owner.get(job);
    if (w === undefined) return;
    this.owner.delete(job);
    this.post(w, { type: "drop", job });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private post(w: number, m: ToWorker): void {
    this.workers[w].worker.postMessage(m);
  }

  private wait<T>(key: string): Promise<T> {
    const p = this.failure ? Promise.reject(this.failure) : new Promise<T>((resolve, reject) => this.pending.set(key, { resolve: resolve as Pending["resolve"], reject }));
    // A failure rejects every pending job: it surfaces where a job is awaited, not as an unhandled rejection.
    p.catch(() => undefined);
    return p;
  }

  private receive(w: number, m: FromWorker): void {
    if (m.type === "ready") {
      this.workers[w].ready = true;
      return;
    }
    if (m.type === "failed") {
      const key = m.job === undefined ? undefined : [`file ${m.job}`, `built ${m.job}`].find((k) => this.pending.has(k));
      const p = key === undefined ? undefined : this.pending.get(key);
      if (p && key) {
        this.pending.delete(key);
        p.reject(new Error(m.message));
      } else this.fail(new Error(m.message));
      return;
    }
    const key = m.type === "file" ? `file ${m.job}` : `built ${m.job}`;
    if (m.type === "file") {
      this.workers[w].files--;
      if (m.packed) {
        m.steps = unpackSteps(m.packed, m.ids);
        delete m.packed;
      }
    }
    const p = this.pending.get(key);
    this.pending.delete(key);
    p?.resolve(m.type === "file" ? m : m.alerts);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
