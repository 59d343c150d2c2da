/**
 * The README's "verify that alerts flow" step: one harmless call (GetCallerIdentity with a user agent naming an
 * attack tool) that the bundled rules report. docs/examples/verify-alerts.json is that call as CloudTrail
 * records it; scanned with the bundled rules it raises exactly the alert the README promises.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const EXAMPLE = "docs/examples/verify-alerts.json";
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const command = /^AWS_SDK_UA_APP_ID=(\S+) aws sts get-caller-identity$/m.exec(readme);

describe("the README's test event", () => {
  it("is a read-only call with an application id the AWS SDKs accept (at most 50 of their characters)", () => {
    expect(command).not.toBeNull();
    expect(command![1]).toMatch(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,50}$/);
  });

  it("is recorded as the example shows: the application id in the user agent, the call read-only", () => {
    const [record] = JSON.parse(readFileSync(path.join(ROOT, EXAMPLE), "utf8")).Records;
    expect(record).toMatchObject({ eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", readOnly: true, managementEvent: true });
    expect(record.userAgent).toContain(` app/${command![1]} `);
  });

  it("raises one alert with the bundled rules, the Warning the README names, and nothing else", () => {
    const scan = spawnSync(process.execPath, [path.join(ROOT, "detector/bin/s3guard.js"), "scan", "--rule-matching", "all", EXAMPLE], { cwd: ROOT, encoding: "utf8" });
    expect(scan.status).toBe(0);
    const alerts = scan.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(alerts.map((a) => [a.rule, a.priority])).toEqual([["AWS Call from an Attack Tool", "Warning"]]);
    expect(readme).toContain('"AWS Call from an Attack Tool"');
    expect(readme).toContain(`npx s3guard scan --format text ${EXAMPLE}`);
  });
});
