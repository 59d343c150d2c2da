import { contextLists, deploymentContextFile, type DeploymentContextInput } from "../../components/deploymentContext";
import { loadStatefulRules } from "../../detector/src/stateful";
import { bundledRulesFiles } from "../support/bundledRules";

/** The context file the program writes: its text, and what it does to the bundled rules. */

const input: DeploymentContextInput = {
  stack: "prod",
  partition: "aws",
  logBuckets: ["s3guard-prod-audit-logs"],
  watchedBuckets: ["customer-data-prod", "static-site-prod"],
  accountIds: ["111122223333"],
  organizationIds: ["o-a1b2c3d4e5"],
  trails: ["s3guard-prod-audit", "arn:aws:cloudtrail:us-east-1:111122223333:trail/s3guard-prod-audit"],
  trustedAccounts: ["444455556666"],
  trustedNetworks: ["203.0.113.0/24", "2001:db8::/32"],
};

describe("deploymentContextFile", () => {
  it("appends each fact to its list, as a Falco rules file", () => {
    expect(deploymentContextFile(input)).toBe(
      [
        "# s3guard deployment context for stack prod, written by the s3guard Pulumi program.",
        "# Do not edit: `pulumi up` rewrites it. Set what it holds in the stack configuration (s3guard:context),",
        "# or add items in a rules file of your own with `override: {items: append}`.",
        "- list: s3guard_cloudtrail_log_buckets",
        '  items: ["s3guard-prod-audit-logs"]',
        "  override: {items: append}",
        "- list: s3guard_watched_buckets",
        '  items: ["customer-data-prod", "static-site-prod"]',
        "  override: {items: append}",
        "- list: s3guard_account_ids",
        '  items: ["111122223333"]',
        "  override: {items: append}",
        "- list: s3guard_organization_ids",
        '  items: ["o-a1b2c3d4e5"]',
        "  override: {items: append}",
        "- list: s3guard_data_event_trails",
        '  items: ["s3guard-prod-audit", "arn:aws:cloudtrail:us-east-1:111122223333:trail/s3guard-prod-audit"]',
        "  override: {items: append}",
        "- list: s3guard_trusted_external_accounts",
        '  items: ["444455556666"]',
        "  override: {items: append}",
        "- list: s3guard_trusted_external_principals",
        '  items: ["arn:aws:iam::111122223333:*", "arn:aws:sts::111122223333:*", "arn:aws:kms:*:111122223333:*", "111122223333", "arn:aws:iam::444455556666:*", "arn:aws:sts::444455556666:*", "arn:aws:kms:*:444455556666:*", "444455556666"]',
        "  override: {items: append}",
        "- list: s3guard_trusted_networks",
        '  items: ["203.0.113.0/24", "2001:db8::/32"]',
        "  override: {items: append}",
        "",
      ].join("\n"),
    );
  });

  it("leaves out lists it has nothing for, and says each item once", () => {
    const lists = contextLists({ ...input, organizationIds: [], trustedNetworks: [], trustedAccounts: [], watchedBuckets: ["a", "a", ""] });
    expect(lists.map((l) => l.list)).toEqual([
      "s3guard_cloudtrail_log_buckets",
      "s3guard_watched_buckets",
      "s3guard_account_ids",
      "s3guard_data_event_trails",
      "s3guard_trusted_external_principals",
    ]);
    expect(lists[1].items).toEqual(["a"]);
  });

  it("writes ARN patterns in the deployment's partition", () => {
    const principals = contextLists({ ...input, partition: "aws-us-gov" }).find((l) => l.list === "s3guard_trusted_external_principals")!;
    expect(principals.items[0]).toBe("arn:aws-us-gov:iam::111122223333:*");
  });
});

describe("the bundled rules with the context file", () => {
  async function load() {
    const files = [...(await bundledRulesFiles()), { name: "s3guard-context.yaml", content: deploymentContextFile(input), context: true }];
    const loaded = loadStatefulRules(files, { ruleMatching: "all", hostname: "h" });
    if (!loaded.ruleset) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
    return loaded;
  }

  const call = (eventName: string, requestParameters: object, extra: object = {}) => ({
    eventVersion: "1.09",
    userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLE", arn: "arn:aws:iam::111122223333:user/ops", accountId: "111122223333", userName: "ops" },
    eventTime: "2024-05-01T12:00:00Z",
    eventSource: "s3.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.20",
    userAgent: "aws-cli/2.15.0",
    requestParameters,
    responseElements: null,
    eventID: `evt-${eventName}-${JSON.stringify(requestParameters).length}`,
    eventType: "AwsApiCall",
    recipientAccountId: "111122223333",
    ...extra,
  });
  const rulesOn = (ruleset: NonNullable<Awaited<ReturnType<typeof load>>["ruleset"]>, record: object) => ruleset.evaluate(record).map((a) => a.rule);
  const grantTo = (account: string) => ({
    bucketName: "customer-data-prod",
    bucketPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::customer-data-prod/*" }] },
  });

  it("load without errors or warnings, and the engine sees the deployment", async () => {
    const loaded = await load();
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings.map((w) => w.text)).toEqual([]);
    expect(loaded.ruleset!.context.lists).toMatchObject({
      logBuckets: ["s3guard-prod-audit-logs"],
      watchedBuckets: ["customer-data-prod", "static-site-prod"],
      accountIds: ["111122223333"],
      organizationIds: ["o-a1b2c3d4e5"],
      trustedNetworks: ["203.0.113.0/24", "2001:db8::/32"],
    });
  });

  it("protect the deployment's log bucket whatever its name", async () => {
    const { ruleset } = await load();
    expect(rulesOn(ruleset!, call("PutBucketPolicy", { bucketName: "s3guard-prod-audit-logs", bucketPolicy: {} }))).toContain("CloudTrail Log Bucket Policy or Lifecycle Changed");
  });

  it("trust the trusted account's principals in bucket policies, and still flag any other account", async () => {
    const { ruleset } = await load();
    expect(rulesOn(ruleset!, call("PutBucketPolicy", grantTo("444455556666")))).not.toContain("S3 Bucket Policy Grants Access to Another Account");
    expect(rulesOn(ruleset!, call("PutBucketPolicy", grantTo("999988887777")))).toContain("S3 Bucket Policy Grants Access to Another Account");
  });

  it("let data flow to the trusted account by replication, and flag replication anywhere else", async () => {
    const { ruleset } = await load();
    const replicateTo = (account: string) => ({
      bucketName: "customer-data-prod",
      ReplicationConfiguration: { Role: "arn:aws:iam::111122223333:role/replication", Rule: { Status: "Enabled", Destination: { Bucket: "arn:aws:s3:::dr", Account: account } } },
    });
    expect(rulesOn(ruleset!, call("PutBucketReplication", replicateTo("444455556666")))).not.toContain("S3 Bucket Replication to Another Account");
    expect(rulesOn(ruleset!, call("PutBucketReplication", replicateTo("999988887777")))).toContain("S3 Bucket Replication to Another Account");
  });
});
