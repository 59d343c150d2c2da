import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");
export const LAUNCHER = path.join(REPO, "detector", "bin", "s3guard.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment the command runs with: this one, with a fixed host name and without the colour
 * settings a test runner may pass down (jest sets FORCE_COLOR for its workers on a terminal).
 */
export function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, FALCO_HOSTNAME: "cli-test", ...env };
}

/** Runs the built `s3guard` command (npm test builds it first), optionally feeding stdin. */
export function s3guard(args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: REPO, env: cliEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}
