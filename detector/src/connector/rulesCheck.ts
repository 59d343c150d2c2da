import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EngineLoadOptions, RulesFile } from "../engine";

/**
 * A rules update comes from outside the service (the rules bucket), so it is first loaded in a
 * worker thread with its own memory limit and a deadline: a file that would exhaust memory or run
 * for minutes (a macro bomb the engine's limits did not foresee) is refused there, while the
 * running rules keep evaluating and /healthz keeps answering. Only an update that loads within
 * the limits is then loaded for real.
 */

export interface RulesCheckLimits {
  /** Time the load may take. */
  timeoutMs: number;
  /** Heap the load may use. */
  memoryMb: number;
}

/** Far above what the bundled rules need (a fraction of a second, tens of MB) on the smallest task. */
export const RULES_CHECK_DEFAULTS: RulesCheckLimits = { timeoutMs: 20_000, memoryMb: 192 };

export type RulesCheck = { ok: true } | { ok: false; error: string };

/** The worker's script: compiled next to this file; tests running the sources use the build. */
function workerScript(): string {
  return __filename.endsWith(".ts") ? path.resolve(__dirname, "..", "..", "dist", "connector", "rulesCheckWorker.js") : path.join(__dirname, "rulesCheckWorker.js");
}

export function checkRulesIsolated(files: readonly RulesFile[], options: EngineLoadOptions, limits: RulesCheckLimits = RULES_CHECK_DEFAULTS): Promise<RulesCheck> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RulesCheck) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const worker = new Worker(workerScript(), {
      workerData: { files, options },
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, limits.memoryMb >> 3)), stackSizeMb: 4 },
    });
    const timer = setTimeout(
      () => done({ ok: false, error: `the rules took longer than ${limits.timeoutMs / 1000} s to load and were stopped; simplify them (s3guard validate shows what they expand to)` }),
      limits.timeoutMs,
    );
    worker.once("message", (m: { ok: boolean; errors: string[] }) => done(m.ok ? { ok: true } : { ok: false, error: m.errors.join("\n") || "unknown load error" }));
    worker.once("error", (e: Error & { code?: string }) =>
      done({
        ok: false,
        error:
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `the rules needed more than ${limits.memoryMb} MB to load and were stopped; simplify them (s3guard validate shows what they expand to)`
            : `the rules could not be loaded: ${e.message}`,
      }),
    );
    worker.once("exit", (code) => done({ ok: false, error: `the rules check stopped (exit code ${code}) before it answered` }));
  });
}
