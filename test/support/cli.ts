import { spawn } from "node:child_process";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");
const LAUNCHER = path.join(REPO, "detector", "bin", "s3guard.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `s3guard` command (npm test builds it first), optionally feeding stdin. */
export function s3guard(args: string[], input?: string | Buffer, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: REPO, env: { ...process.env, FALCO_HOSTNAME: "cli-test", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}
