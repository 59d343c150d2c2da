import { loadRules, type RulesFile } from "../../detector/src/engine";
import { sessionOf } from "../../detector/src/engine/fields/s3guard";
import { baseEvent } from "../support/events";

/**
 * The deployment context: lists a context file fills (loaded after every rules file, whatever the
 * order), and the s3guard.* fields that read them at run time, learning log buckets from trails.
 */

const RULES = `
- list: s3guard_cloudtrail_log_buckets
  items: []
- list: s3guard_trusted_networks
  items: []
- list: s3guard_watched_buckets
  items: []
- list: s3guard_account_ids
  items: []
- list: s3guard_trusted_external_accounts
  items: [s3guard_account_ids]
- rule: Log bucket touched
  desc: d
  condition: s3guard.log_bucket = true
  output: log bucket %s3.bucket
  priority: WARNING
  source: aws_cloudtrail
- rule: Untrusted network
  desc: d
  condition: s3guard.trusted_network = false
  output: from %ct.srcip
  priority: WARNING
  source: aws_cloudtrail
- rule: Watched bucket
  desc: d
  condition: s3guard.watched_bucket = true
  output: watched %s3.bucket
  priority: WARNING
  source: aws_cloudtrail
- rule: Foreign account
  desc: d
  condition: ct.user.accountid exists and not ct.user.accountid in (s3guard_trusted_external_accounts)
  output: foreign %ct.user.accountid
  priority: WARNING
  source: aws_cloudtrail
`;

const CONTEXT = `
- list: s3guard_cloudtrail_log_buckets
  items: [org-trail-logs]
  override: {items: append}
- list: s3guard_trusted_networks
  items: ["198.51.100.0/24"]
  override: {items: append}
- list: s3guard_watched_buckets
  items: [finance-records]
  override: {items: append}
- list: s3guard_account_ids
  items: ["123456789012"]
  override: {items: append}
`;

const rulesFile: RulesFile = { name: "rules.yaml", content: RULES };
const contextFile: RulesFile = { name: "s3guard-context.yaml", content: CONTEXT, context: true };

function ruleset(files: RulesFile[]) {
  const r = loadRules(files, { ruleMatching: "all" });
  if (!r.ok || !r.ruleset) throw new Error(r.errors.map((e) => e.text).join("\n"));
  return r.ruleset;
}

const s3Call = (bucket: string, extra: Record<string, unknown> = {}) => ({
  ...baseEvent("E1"),
  eventName: "GetBucketPolicy",
  requestParameters: { bucketName: bucket },
  ...extra,
});

const trailCall = (eventName: string, bucket: string, extra: Record<string, unknown> = {}) => ({
  ...baseEvent("E1"),
  eventSource: "cloudtrail.amazonaws.com",
  eventName,
  requestParameters: { name: "t", s3BucketName: bucket },
  ...extra,
});

const rulesOf = (alerts: { rule: string }[]) => alerts.map((a) => a.rule);

describe("a context file", () => {
  it("fills the lists whatever the order the files are given in", () => {
    for (const files of [
      [rulesFile, contextFile],
      [contextFile, rulesFile],
    ]) {
      const rs = ruleset(files);
      expect(rulesOf(rs.evaluate(s3Call("org-trail-logs")))).toContain("Log bucket touched");
      expect(rulesOf(rs.evaluate(s3Call("finance-records")))).toContain("Watched bucket");
    }
  });

  it("appends to what the rules files define (a user's own items stay)", () => {
    const own: RulesFile = { name: "mine.yaml", content: "- list: s3guard_cloudtrail_log_buckets\n  items: [legacy-logs]\n  override: {items: append}\n" };
    const rs = ruleset([contextFile, rulesFile, own]);
    expect(rs.context.lists.logBuckets).toEqual(["legacy-logs", "org-trail-logs"]);
    expect(rulesOf(rs.evaluate(s3Call("legacy-logs")))).toContain("Log bucket touched");
    expect(rulesOf(rs.evaluate(s3Call("org-trail-logs")))).toContain("Log bucket touched");
  });

  it("defines the lists no rules file defines, instead of failing the load, and never warns they are unused", () => {
    const r = loadRules([{ name: "other.yaml", content: "- rule: r\n  desc: d\n  condition: ct.name = X\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n" }, contextFile]);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.text)).toEqual([]);
    expect(r.ruleset!.context.lists.watchedBuckets).toEqual(["finance-records"]);
  });

  it("is an ordinary Falco rules file when not marked as context: an append to an undefined list fails, as in Falco", () => {
    const r = loadRules([{ ...contextFile, context: false }]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].message).toContain("no list by that name already exists");
  });

  it("refuses a trusted network that is not one, naming the file, the list and the value", () => {
    const bad: RulesFile = { name: "ctx.yaml", content: '- list: s3guard_trusted_networks\n  items: ["10.0.0/8"]\n  override: {items: append}\n', context: true };
    const r = loadRules([rulesFile, bad]);
    expect(r.ok).toBe(false);
    expect(r.errors[0].code).toBe("LOAD_ERR_VALIDATE");
    expect(r.errors[0].location.file).toBe("ctx.yaml");
    expect(r.errors[0].message).toContain("list s3guard_trusted_networks: '10.0.0/8' is not an IP network");
  });

  it("makes the deployment's own accounts trusted, through the nested list", () => {
    const foreign = { ...s3Call("x"), userIdentity: { ...(baseEvent("E1").userIdentity as object), accountId: "999999999999" } };
    const own = { ...s3Call("x"), userIdentity: { ...(baseEvent("E1").userIdentity as object), accountId: "123456789012" } };
    const rs = ruleset([rulesFile, contextFile]);
    expect(rulesOf(rs.evaluate(foreign))).toContain("Foreign account");
    expect(rulesOf(rs.evaluate(own))).not.toContain("Foreign account");
  });
});

describe("s3guard.log_bucket", () => {
  it("is false for other buckets and missing without a bucket", () => {
    const rs = ruleset([rulesFile]);
    expect(rulesOf(rs.evaluate(s3Call("some-bucket")))).not.toContain("Log bucket touched");
    const r = loadRules([{ name: "x.yaml", content: "- rule: r\n  desc: d\n  condition: not s3guard.log_bucket exists\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n" }]);
    expect(r.ruleset!.evaluate({ ...baseEvent("E1"), requestParameters: null })).toHaveLength(1);
  });

  it("learns the bucket a successful CreateTrail or UpdateTrail names, from that record on", () => {
    const rs = ruleset([rulesFile]);
    expect(rulesOf(rs.evaluate(s3Call("acme-audit-2024")))).not.toContain("Log bucket touched");
    rs.evaluate(trailCall("CreateTrail", "acme-audit-2024"));
    expect(rulesOf(rs.evaluate(s3Call("acme-audit-2024")))).toContain("Log bucket touched");
    rs.evaluate(trailCall("UpdateTrail", "acme-audit-2025"));
    expect(rulesOf(rs.evaluate(s3Call("acme-audit-2025")))).toContain("Log bucket touched");
    expect(rs.context.learnedLogBuckets()).toEqual(["acme-audit-2024", "acme-audit-2025"]);
  });

  it("does not learn from a failed call, another service's event, or an UpdateTrail that keeps its bucket", () => {
    const rs = ruleset([rulesFile]);
    rs.evaluate(trailCall("CreateTrail", "denied-bucket", { errorCode: "AccessDenied" }));
    rs.evaluate(trailCall("CreateTrail", "spoofed-bucket", { eventSource: "s3.amazonaws.com" }));
    rs.evaluate({ ...trailCall("UpdateTrail", "x"), requestParameters: { name: "t", isMultiRegionTrail: true } });
    expect(rs.context.learnedLogBuckets()).toEqual([]);
  });

  it("is learned per ruleset: a scan starts with nothing learned", () => {
    ruleset([rulesFile]).evaluate(trailCall("CreateTrail", "first-scan-bucket"));
    expect(ruleset([rulesFile]).context.learnedLogBuckets()).toEqual([]);
  });
});

describe("s3guard.trusted_network", () => {
  const from = (ip: string) => ({ ...s3Call("b"), sourceIPAddress: ip });

  it("is missing until trusted networks are listed, so a rule on `= false` stays quiet", () => {
    const rs = ruleset([rulesFile]);
    expect(rulesOf(rs.evaluate(from("203.0.113.9")))).not.toContain("Untrusted network");
  });

  it("is true inside the trusted networks and false outside them", () => {
    const rs = ruleset([rulesFile, contextFile]);
    expect(rulesOf(rs.evaluate(from("203.0.113.9")))).toContain("Untrusted network");
    expect(rulesOf(rs.evaluate(from("198.51.100.40")))).not.toContain("Untrusted network");
  });

  it("is missing for AWS's own calls (no address)", () => {
    const rs = ruleset([rulesFile, contextFile]);
    expect(rulesOf(rs.evaluate(from("AWS Internal")))).not.toContain("Untrusted network");
  });
});

describe("s3guard.session", () => {
  const root = (creationDate: string | undefined, accessKeyId = "ASIAEXAMPLE") => ({
    type: "Root",
    principalId: "123456789012",
    arn: "arn:aws:iam::123456789012:root",
    accountId: "123456789012",
    accessKeyId,
    ...(creationDate ? { sessionContext: { attributes: { creationDate, mfaAuthenticated: "false" } } } : {}),
  });

  it("names who and which issuance of credentials", () => {
    expect(sessionOf({ userIdentity: root("2024-05-01T11:58:02Z") })).toBe("arn:aws:iam::123456789012:root@2024-05-01T11:58:02Z");
    expect(sessionOf({ userIdentity: root(undefined, "AKIAROOTKEY") })).toBe("arn:aws:iam::123456789012:root@AKIAROOTKEY");
    expect(sessionOf({ userIdentity: { type: "AWSService", invokedBy: "delivery.logs.amazonaws.com" } })).toBe("delivery.logs.amazonaws.com");
    expect(sessionOf({ userIdentity: { type: "Root", accountId: "123456789012", accessKeyId: "" } })).toBe("Root:123456789012");
    expect(sessionOf({ eventName: "x" })).toBeUndefined();
  });

  it("is the same for every call of one sign-in and differs for the next sign-in", () => {
    const first = sessionOf({ userIdentity: root("2024-05-01T11:58:02Z", "ASIAONE") });
    expect(sessionOf({ userIdentity: root("2024-05-01T11:58:02Z", "ASIAONE") })).toBe(first);
    expect(sessionOf({ userIdentity: root("2024-05-01T15:30:00Z", "ASIATWO") })).not.toBe(first);
  });
});
