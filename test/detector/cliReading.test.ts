import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { cliEnv, LAUNCHER, REPO, s3guard } from "../support/cli";
import { baseEvent } from "../support/events";

/** Reading a scan's results: text lines for people, the summary, its JSON form and Ctrl-C. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-reading-"));
const write = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const rules = write(
  "rules.yaml",
  `
- rule: Bucket created
  desc: a bucket was created
  condition: ct.name = CreateBucket
  output: bucket %s3.bucket created by %ct.user with %ct.useragent
  priority: WARNING
  source: aws_cloudtrail
- rule: Any S3 call
  desc: anything on S3
  condition: ct.src = s3.amazonaws.com
  output: s3 call %ct.name
  priority: DEBUG
  source: aws_cloudtrail
`,
);
const hostileAgent = "curl\x1b]0;pwned\x07\x1b[2J\n2024-05-01T12:00:00.000000000+0000: Emergency forged<script>alert(1)</script>";
const events = [
  { ...baseEvent("E1"), userAgent: hostileAgent },
  { ...baseEvent("E2"), eventID: "EVT124", sourceIPAddress: "192.0.2.7" },
  { ...baseEvent("E1"), eventID: "EVT125", userAgent: "x".repeat(500) },
];
const log = write("log.json", JSON.stringify({ Records: events }));

describe("s3guard scan --format text", () => {
  it("escapes control characters from the logs: one line per alert, no escape sequence reaches the terminal", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--format", "text", "--rule-matching", "all", log]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(lines[0]).toContain("with curl\\x1b]0;pwned\\x07\\x1b[2J\\n2024-05-01T12:00:00.000000000+0000: Emergency forged");
  });

  it("shortens long values in text but never in JSON", async () => {
    const text = await s3guard(["scan", "--rules", rules, "--format", "text", log]);
    expect(text.stdout).toContain(`with ${"x".repeat(120)}…(+380 chars)`);
    const whole = await s3guard(["scan", "--rules", rules, "--format", "text", "--max-value-length", "0", log]);
    expect(whole.stdout).toContain("x".repeat(500));
    const json = await s3guard(["scan", "--rules", rules, log]);
    expect(json.stdout).toContain("x".repeat(500));
    expect((await s3guard(["scan", "--max-value-length", "-3", log])).code).toBe(2);
  });

  it("colours only when forced or on a terminal, never JSON, and NO_COLOR wins", async () => {
    const piped = await s3guard(["scan", "--rules", rules, "--format", "text", log]);
    expect(piped.stdout).not.toContain("\x1b");
    const forced = await s3guard(["scan", "--rules", rules, "--format", "text", log], undefined, { FORCE_COLOR: "1" });
    expect(forced.stdout).toContain("\x1b[33mWarning\x1b[0m");
    const json = await s3guard(["scan", "--rules", rules, log], undefined, { FORCE_COLOR: "1" });
    expect(json.stdout).not.toContain("\x1b");
    const no = await s3guard(["scan", "--rules", rules, "--format", "text", log], undefined, { FORCE_COLOR: "1", NO_COLOR: "1" });
    expect(no.stdout).not.toContain("\x1b");
  });
});

describe("s3guard scan --summary and --summary-json", () => {
  it("counts by priority, rule, principal, bucket and source address, in text and JSON, matching the alerts printed", async () => {
    const file = path.join(dir, "summary.json");
    const r = await s3guard(["scan", "--rules", rules, "--rule-matching", "all", "--summary", "--summary-json", file, log]);
    expect(r.code).toBe(0);
    const alerts = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const summary = JSON.parse(readFileSync(file, "utf8"));
    expect(summary).toMatchObject({ interrupted: false, inputs: 1, inputsWithErrors: 0, events: 3, alerts: alerts.length, errors: 0 });
    const count = (key: (a: { rule: string; priority: string }) => string) => {
      const m = new Map<string, number>();
      for (const a of alerts) m.set(key(a), (m.get(key(a)) ?? 0) + 1);
      return m;
    };
    expect(new Map(summary.alertsBy.rule.values.map((c: { value: string; alerts: number }) => [c.value, c.alerts]))).toEqual(count((a) => a.rule));
    expect(new Map(summary.alertsBy.priority.values.map((c: { value: string; alerts: number }) => [c.value, c.alerts]))).toEqual(count((a) => a.priority));
    expect(summary.alertsBy.sourceAddress.values).toEqual([
      { value: "203.0.113.10", alerts: 4 },
      { value: "192.0.2.7", alerts: 1 },
    ]);
    expect(summary.alertsBy.bucket.values).toEqual([{ value: "my-bucket", alerts: 5 }]);
    expect(r.stderr).toMatch(/alerts by priority:\n +2 +Warning\n +3 +Debug\n/);
    expect(r.stderr).toMatch(/alerts by source address:\n +4 +203\.0\.113\.10\n +1 +192\.0\.2\.7\n/);
  });

  it("says before scanning when the summary file cannot be written", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--summary-json", path.join(dir, "no", "such", "dir.json"), log]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--summary-json ${path.join(dir, "no", "such", "dir.json")}: cannot write`);
    expect(r.stdout).toBe("");
  });
});

describe("Ctrl-C during a scan", () => {
  it("stops, prints the summary of what was read and exits 130", async () => {
    const file = path.join(dir, "interrupted.json");
    const first = write("first.json", JSON.stringify(baseEvent("E1")));
    // The file is read, then stdin, which stays open: the scan would wait for it forever.
    const child = spawn(process.execPath, [LAUNCHER, "scan", "--rules", rules, "--summary-json", file, first, "-"], { cwd: REPO, env: cliEnv() });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    // Once the file's alert is out, interrupt.
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("\n")) resolve();
      }),
    );
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(code).toBe(130);
    expect(JSON.parse(stdout.trim()).rule).toBe("Bucket created");
    expect(stderr).toContain("Summary (interrupted: not every input was read)");
    expect(stderr).toMatch(/alerts by rule:\n +1 +Bucket created\n/);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ interrupted: true, events: 1, alerts: 1 });
  });
});

describe("s3guard scan --report", () => {
  it("writes one HTML page with the timeline, the rule names and the values from the logs escaped", async () => {
    const file = path.join(dir, "report.html");
    const r = await s3guard(["scan", "--rules", rules, "--rule-matching", "all", "--report", file, log]);
    expect(r.code).toBe(0);
    const page = readFileSync(file, "utf8");
    expect(page).toContain('<svg id="timeline"');
    expect(page).toContain(">Bucket created</a>");
    expect(page).toContain(">Any S3 call</a>");
    expect(page).toContain('data-figure="alerts">5<');
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.match(/<script/g)).toHaveLength(1);
  });
});

describe("the exit status after Ctrl-C", () => {
  it("is listed in the help", async () => {
    expect((await s3guard(["scan", "--help"])).stdout).toMatch(/\n  130  interrupted \(Ctrl-C\)/);
    expect((await s3guard(["--help"])).stdout).toMatch(/130 scan interrupted/);
  });
});
