import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO, type Run } from "./cli";

const MEASURE = path.join(REPO, "test", "bench", "measure.js");
const LAUNCHER = path.join(REPO, "detector", "bin", "s3guard.js");

/**
 * The Node the product runs on (the `node` devDependency, the version of the image): memory is
 * measured there, since how far V8 lets the heap grow changes from one Node to the next.
 */
export const PRODUCT_NODE = path.join(REPO, "node_modules", "node", "bin", "node");
export const PRODUCT_NODE_VERSION = (JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies.node;

/** Runs the built `s3guard` command on the product's Node and reports the process's peak resident memory and Node version. */
export function s3guardMeasured(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run & { maxRssMb: number; node: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PRODUCT_NODE, [MEASURE, LAUNCHER, ...args], { cwd: REPO, env: { ...process.env, FALCO_HOSTNAME: "cli-test", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /\n?bench-maxrss-kb=(\d+)\n/.exec(stderr);
      const node = /bench-node=(\S+)\n/.exec(stderr)?.[1] ?? "";
      resolve({ code, stdout, stderr: m ? stderr.slice(0, m.index) : stderr, maxRssMb: m ? Number(m[1]) / 1024 : NaN, node });
    });
    child.stdin.end();
  });
}
