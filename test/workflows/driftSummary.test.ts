import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = join(__dirname, "../../.github/scripts/drift-summary.js");
const { driftSummary } = require(script) as {
  driftSummary: (run: { stack: string; exitCode: number; preview: string; stderr?: string }) => string;
};

const urn = (type: string, name: string) => `urn:pulumi:dev::s3guard::s3guard:index:PublicAccessGuard$${type}::${name}`;

/** `pulumi preview --json` after someone turned a block setting off and deleted the ownership controls in the console. */
const drifted = JSON.stringify({
  steps: [
    { op: "same", urn: "urn:pulumi:dev::s3guard::pulumi:pulumi:Stack::s3guard-dev" },
    {
      op: "update",
      urn: urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "invoices"),
      diffReasons: ["blockPublicPolicy"],
      detailedDiff: { blockPublicPolicy: { kind: "update", inputDiff: false } },
    },
    { op: "create", urn: urn("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "invoices"), detailedDiff: null },
  ],
  changeSummary: { same: 14, update: 1, create: 1 },
});

describe(".github/scripts/drift-summary.js", () => {
  it("lists each drifted resource with the properties that differ and what `pulumi up` would do", () => {
    expect(driftSummary({ stack: "acme/dev", exitCode: 255, preview: drifted })).toBe(
      [
        "### Drift in acme/dev: 2 resources differ from the program",
        "",
        "`pulumi preview --refresh --expect-no-changes` compared the live resources with the program on this branch; the stack's state was not changed.",
        "",
        "| Operation | Type | Resource | Properties that differ | What it means |",
        "| --- | --- | --- | --- | --- |",
        "| update | `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock` | invoices | `blockPublicPolicy` | changed outside Pulumi; `pulumi up` would set it back |",
        "| create | `aws:s3/bucketOwnershipControls:BucketOwnershipControls` | invoices | — | missing (deleted outside Pulumi?); `pulumi up` would create it |",
        "",
        "Either undo the change made outside Pulumi by running `pulumi up` after review, or adopt it: change the program or " +
          "`Pulumi.dev.yaml` in a pull request so the preview shows no difference. A merge not yet deployed shows here too.",
        "",
      ].join("\n"),
    );
  });

  it("falls back to the diff reasons when the provider gives no detailed diff, and escapes table cells", () => {
    const preview = JSON.stringify({ steps: [{ op: "replace", urn: urn("aws:cloudtrail/trail:Trail", "a|b"), replaceReasons: ["name"] }] });
    expect(driftSummary({ stack: "dev", exitCode: 255, preview })).toContain(
      "| replace | `aws:cloudtrail/trail:Trail` | a\\|b | `name` | changed outside Pulumi in a way that `pulumi up` would fix by replacing it |",
    );
  });

  it("says there is no drift when the preview found nothing to change", () => {
    const preview = JSON.stringify({ steps: [{ op: "same", urn: urn("aws:cloudtrail/trail:Trail", "trail") }], changeSummary: { same: 1 } });
    expect(driftSummary({ stack: "prod", exitCode: 0, preview })).toBe(
      "### No drift in prod\n\n`pulumi preview --refresh --expect-no-changes` found the live resources as the program declares them.\n",
    );
  });

  it("says the check could not run, with the errors, when the preview failed without a plan", () => {
    const preview = JSON.stringify({ diagnostics: [{ message: "error: no credentials\n", severity: "error" }, { message: "note", severity: "info" }] });
    expect(driftSummary({ stack: "prod", exitCode: 255, preview, stderr: "error: preview failed\n" })).toBe(
      [
        "### The drift check of prod could not run",
        "",
        "`pulumi preview` exited with 255 before it could compare the live resources with the program. Its last messages:",
        "",
        "```",
        "error: no credentials",
        "error: preview failed",
        "```",
        "",
      ].join("\n"),
    );
    expect(driftSummary({ stack: "prod", exitCode: 255, preview: "" })).toContain("```\n(no output)\n```");
  });

  it("runs from the command line as the workflow calls it", () => {
    const dir = mkdtempSync(join(tmpdir(), "drift-"));
    writeFileSync(join(dir, "preview.json"), drifted);
    writeFileSync(join(dir, "preview.err"), "error: the preview expected no changes\n");
    const run = spawnSync(process.execPath, [script, "dev", "255", join(dir, "preview.json"), join(dir, "preview.err")], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(driftSummary({ stack: "dev", exitCode: 255, preview: drifted }));
  });
});
