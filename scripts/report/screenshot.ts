import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { openReport } from "./chromium";

/**
 * `npm run report:screenshot`: scans samples/ with the bundled rules into an HTML report and
 * photographs it in headless Chromium, for the README (docs/report.png by default).
 */
const REPO = path.resolve(__dirname, "..", "..", "..");

async function main(): Promise<number> {
  const out = path.resolve(process.argv[2] ?? path.join(REPO, "docs", "report.png"));
  const report = path.join(mkdtempSync(path.join(tmpdir(), "s3guard-report-")), "report.html");
  const scan = spawnSync(process.execPath, [path.join(REPO, "detector", "bin", "s3guard.js"), "scan", "--report", report, "samples"], {
    cwd: REPO,
    env: { ...process.env, FALCO_HOSTNAME: "s3guard-demo" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (scan.status !== 0) {
    process.stderr.write(`report:screenshot: the scan of samples/ exited ${scan.status}\n`);
    return 1;
  }
  const { browser, page, requests, problems } = await openReport(report, { width: 1280, height: 1120 });
  try {
    if (requests.length || problems.length) {
      process.stderr.write(`report:screenshot: the report is not clean:\n${[...requests, ...problems].join("\n")}\n`);
      return 1;
    }
    await page.screenshot({ path: out });
    process.stdout.write(`${path.relative(process.cwd(), out)}\n`);
    return 0;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`report:screenshot: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
