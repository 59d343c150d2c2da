import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { REPO, s3guard } from "../support/cli";
import { baseEvent } from "../support/events";

/** The command line as a pipeline sees it: version, short usage errors, exit statuses. */

const dir = mkdtempSync(path.join(tmpdir(), "s3guard-usage-"));
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
  output: bucket %s3.bucket created
  priority: WARNING
  source: aws_cloudtrail
- rule: Bucket listed
  desc: a bucket was listed
  condition: ct.name = ListObjects
  output: bucket %s3.bucket listed
  priority: NOTICE
  source: aws_cloudtrail
`,
);
const created = write("created.json", JSON.stringify({ Records: [baseEvent("E1")] }));
const listed = write("listed.json", JSON.stringify({ Records: [{ ...baseEvent("E1"), eventName: "ListObjects" }] }));

describe("s3guard --version", () => {
  it("prints the package's version", async () => {
    const r = await s3guard(["--version"]);
    expect(r.code).toBe(0);
    const { version } = JSON.parse(readFileSync(path.join(REPO, "detector", "package.json"), "utf8"));
    expect(r.stdout).toBe(`s3guard ${version}\n`);
  });
});

describe("usage errors", () => {
  it("suggest the option a misspelt one meant, in two lines", async () => {
    const r = await s3guard(["scan", "--minimum-priorty", "warning", created]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`s3guard scan: unknown option '--minimum-priorty' (did you mean "--minimum-priority"?)\nRun 's3guard scan --help' for its options.\n`);
  });

  it("suggest the command a misspelt one meant", async () => {
    const r = await s3guard(["valdate", rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown command 'valdate' (did you mean "validate"?)`);
  });

  it("name a missing option value", async () => {
    const r = await s3guard(["scan", created, "--rules"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("s3guard scan: Option '--rules <value>' argument missing");
  });

  it("list the exit statuses in the help", async () => {
    const top = await s3guard(["--help"]);
    expect(top.stdout).toMatch(/Exit status[^]*3 scan --fail-on/);
    const scan = await s3guard(["scan", "--help"]);
    for (const status of ["0", "1", "2", "3"]) expect(scan.stdout).toMatch(new RegExp(`\\n  ${status}  `));
  });
});

describe("scan --fail-on", () => {
  it("exits 3 when an alert at or above the priority was raised", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--fail-on", "warning", created]);
    expect(r.stdout).toContain('"priority":"Warning"');
    expect(r.code).toBe(3);
    expect((await s3guard(["scan", "--rules", rules, "--fail-on", "notice", created])).code).toBe(3);
  });

  it("exits 0 when every alert is below it", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--fail-on", "warning", listed]);
    expect(r.stdout).toContain('"priority":"Notice"');
    expect(r.code).toBe(0);
    expect((await s3guard(["scan", "--rules", rules, "--fail-on", "error", created])).code).toBe(0);
  });

  it("refuses a word that is not a priority, suggesting the right one", async () => {
    const r = await s3guard(["scan", "--rules", rules, "--fail-on", "warnig", created]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--fail-on must be a priority (emergency, alert, critical, error, warning, notice, info, debug), not 'warnig' (did you mean "warning"?)`);
  });
});
