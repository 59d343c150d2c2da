import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO, type Run } from "./cli";

const MEASURE = path.join(REPO, "test", "bench", "measure.js");
const LAUNCHER = path.join(REPO, "detector", "bin", "s3guard.js");

/** Runs the built `s3guard` command and reports the process's peak resident memory. */
export function s3guardMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run & { maxRssMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEASURE, LAUNCHER, ...args], { cwd: REPO, env: { ...process.env, FALCO_HOSTNAME: "cli-test", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /\n?bench-maxrss-kb=(\d+)\n/.exec(stderr);
      resolve({ code, stdout, stderr: m ? stderr.replace(m[0], "") : stderr, maxRssMb: m ? Number(m[1]) / 1024 : NaN });
    });
    child.stdin.end();
  });
}
