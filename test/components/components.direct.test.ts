/**
 * The components used on their own, as a library user would: the rules upload, and the checks the
 * components make themselves.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { autoName } from "./helpers/mockCloud";
import { ofType, one } from "./helpers/query";
import { REPO_ROOT, runProgram } from "./helpers/runProgram";

const components = path.join(REPO_ROOT, "components");

function connectorWithRules(rulesDir: string, context?: object) {
  return runProgram({}, () => {
    const { CloudConnector } = require(path.join(components, "cloudConnector.ts"));
    const connector = new CloudConnector("watch", {
      topicArn: "arn:aws:sns:us-east-1:111122223333:notes",
      logBucketName: "trail-logs",
      rulesDir,
      image: `public.ecr.aws/acme/detector@sha256:${"0".repeat(64)}`,
      maxTasks: 1,
      alerts: ["stdout"],
      ...(context ? { context } : {}),
    });
    return { rulesBucketName: connector.rulesBucketName };
  });
}

describe("CloudConnector rules upload", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3guard-rules-"));
    fs.writeFileSync(path.join(dir, "aws_cloudtrail_rules.yaml"), "- rule: Bucket made public\n  priority: WARNING\n");
    fs.writeFileSync(path.join(dir, "s3_exfil.yml"), "- macro: big_read\n");
    fs.writeFileSync(path.join(dir, "notes.txt"), "not a rule\n");
    fs.mkdirSync(path.join(dir, "tests"));
    fs.writeFileSync(path.join(dir, "tests", "bucket_public.yaml"), "fixture: true\n");
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("uploads each rules file, and only those, under rules/ with its content", async () => {
    const run = await connectorWithRules(dir);
    const objects = ofType(run, "aws:s3/bucketObjectv2:BucketObjectv2")
      .filter((o) => String(o.inputs.key).startsWith("rules/"))
      .map((o) => [o.name, o.inputs]);
    expect(objects).toEqual([
      [
        "watch-rules-aws_cloudtrail_rules.yaml",
        {
          bucket: autoName("watch-rules"),
          key: "rules/aws_cloudtrail_rules.yaml",
          content: "- rule: Bucket made public\n  priority: WARNING\n",
          contentType: "application/yaml",
        },
      ],
      [
        "watch-rules-s3_exfil.yml",
        { bucket: autoName("watch-rules"), key: "rules/s3_exfil.yml", content: "- macro: big_read\n", contentType: "application/yaml" },
      ],
    ]);
    expect(run.outputs.rulesBucketName).toBe(autoName("watch-rules"));
  });

  it("writes what it knows of the deployment beside the rules, even without a context: the log bucket and the account", async () => {
    const context = one(await connectorWithRules(dir), "aws:s3/bucketObjectv2:BucketObjectv2", "watch-rules-context");
    expect(context.inputs).toMatchObject({ bucket: autoName("watch-rules"), key: "context/s3guard-context.yaml", contentType: "application/yaml" });
    expect(String(context.inputs.content).split("\n").filter((l) => !l.startsWith("#"))).toEqual([
      "- list: s3guard_cloudtrail_log_buckets",
      '  items: ["trail-logs"]',
      "  override: {items: append}",
      "- list: s3guard_account_ids",
      '  items: ["111122223333"]',
      "  override: {items: append}",
      "- list: s3guard_trusted_external_principals",
      '  items: ["arn:aws:iam::111122223333:*", "arn:aws:sts::111122223333:*", "arn:aws:kms:*:111122223333:*", "111122223333"]',
      "  override: {items: append}",
      "",
    ]);
  });

  it("adds the facts it is given: watched buckets, trails, organization, trusted accounts and networks", async () => {
    const run = await connectorWithRules(dir, {
      watchedBuckets: ["payroll"],
      trails: ["org-trail"],
      organizationId: "o-a1b2c3d4e5",
      trustedAccounts: ["444455556666"],
      trustedNetworks: ["198.51.100.0/24"],
    });
    const content = String(one(run, "aws:s3/bucketObjectv2:BucketObjectv2", "watch-rules-context").inputs.content);
    for (const [list, items] of [
      ["s3guard_watched_buckets", '["payroll"]'],
      ["s3guard_data_event_trails", '["org-trail"]'],
      ["s3guard_organization_ids", '["o-a1b2c3d4e5"]'],
      ["s3guard_trusted_external_accounts", '["444455556666"]'],
      ["s3guard_trusted_networks", '["198.51.100.0/24"]'],
    ]) {
      expect(content).toContain(`- list: ${list}\n  items: ${items}\n`);
    }
  });

  it("changes the object's inputs when a rule changes, so the change shows in pulumi preview", async () => {
    const before = one(await connectorWithRules(dir), "aws:s3/bucketObjectv2:BucketObjectv2", "watch-rules-s3_exfil.yml");
    fs.writeFileSync(path.join(dir, "s3_exfil.yml"), "- macro: big_read\n  condition: ct.name = GetObject\n");
    const after = one(await connectorWithRules(dir), "aws:s3/bucketObjectv2:BucketObjectv2", "watch-rules-s3_exfil.yml");
    expect(before.inputs.content).not.toEqual(after.inputs.content);
    expect(after.inputs.content).toBe("- macro: big_read\n  condition: ct.name = GetObject\n");
  });

  it("says where the Dockerfile was looked for when it is not there, rather than build something else", async () => {
    const run = await runProgram({}, () => {
      const { CloudConnector } = require(path.join(components, "cloudConnector.ts"));
      new CloudConnector("watch", { topicArn: "arn:aws:sns:us-east-1:111122223333:notes", logBucketName: "trail-logs", rulesDir: dir, dockerContext: dir, maxTasks: 1 });
      return {};
    });
    expect((run.error as Error).message).toBe(
      `connector image: no detector/Dockerfile under ${dir}; set dockerContext to the s3guard repository, or give image pinned by digest`,
    );
    expect(ofType(run, "awsx:ecr:Image")).toEqual([]);
  });

  it("pulls a public image without any ECR permission", async () => {
    const run = await connectorWithRules(dir);
    const execution = JSON.parse(one(run, "aws:iam/rolePolicy:RolePolicy", "watch-execution").inputs.policy);
    expect(execution.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["WriteContainerLogs"]);
  });
});

describe("AuditTrail on its own", () => {
  it("refuses, at construction, more watched buckets than a trail's selectors can hold", async () => {
    const run = await runProgram({}, () => {
      const { AuditTrail } = require(path.join(components, "auditTrail.ts"));
      const buckets = Array.from({ length: 499 }, (_, i) => ({ name: `bucket-${i}`, access: "read-write" }));
      new AuditTrail("audit", { trailName: "audit", watchedBuckets: buckets });
      return {};
    });
    expect(run.error).toMatchObject({ name: "SelectorLimitError", valueCount: 502 });
    expect(ofType(run, "aws:cloudtrail/trail:Trail")).toEqual([]);
  });

  it("refuses to record nothing rather than fall back to CloudTrail's default selector", async () => {
    const run = await runProgram({}, () => {
      const { AuditTrail } = require(path.join(components, "auditTrail.ts"));
      new AuditTrail("audit", { trailName: "audit", watchedBuckets: [], managementEvents: "none" });
      return {};
    });
    expect((run.error as Error).message).toBe("AuditTrail records nothing: watch at least one bucket or record management events.");
    expect(ofType(run, "aws:cloudtrail/trail:Trail")).toEqual([]);
  });

  it("refuses a KMS key given and created at once", async () => {
    const both = await runProgram({}, () => {
      const { AuditTrail } = require(path.join(components, "auditTrail.ts"));
      new AuditTrail("audit", {
        trailName: "audit",
        watchedBuckets: [{ name: "data", access: "write" }],
        kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        createKmsKey: true,
      });
      return {};
    });
    expect((both.error as Error).message).toBe("AuditTrail: give kmsKeyArn or createKmsKey, not both.");
    expect(ofType(both, "aws:kms/key:Key")).toEqual([]);
  });
});
