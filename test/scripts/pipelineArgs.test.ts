import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO } from "../support/cli";

/** `npm start` checks what it was given before it starts the local endpoint and the connector. */

function pipeline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "scripts", "dist", "pipeline.js"), ...args], { cwd: REPO });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm start", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "s3guard-start-"));

  it.each([
    [["--samples", "MISSING"], "--samples MISSING: no such folder"],
    [["--samples", dir], `--samples ${dir}: the folder holds no CloudTrail log file`],
    [["--rules", "MISSING.yaml"], "--rules MISSING.yaml: no such file or folder"],
    [["--sample", "samples"], "Unknown option '--sample'"],
  ])("%j fails before starting anything", async (args, message) => {
    const r = await pipeline(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`npm start: ${message}`);
    expect(r.stderr).toContain("nothing was started");
    expect(r.stdout).toBe("");
  });
});
