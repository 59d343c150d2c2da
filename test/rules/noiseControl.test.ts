import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { loadStatefulRules, type StatefulRuleset } from "../../detector/src/stateful";
import { bundledRulesFiles } from "../support/bundledRules";
import { describeWithSharedData, sharedData } from "../support/sharedData";
import { alertsOf, s3 } from "../support/stateful";

/**
 * Noise control built into the bundled rules: AWS itself never feeds rules about people, and one
 * episode (a root session) is one alert, not one per call.
 */

async function bundled(): Promise<StatefulRuleset> {
  const loaded = loadStatefulRules(await bundledRulesFiles(), { ruleMatching: "all", hostname: "h" });
  if (!loaded.stateful) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
  return loaded.stateful;
}

const count = (alerts: { rule: string }[], rule: string) => alerts.filter((a) => a.rule === rule).length;

const rootIdentity = (signedInAt: string, key: string) => ({
  type: "Root",
  principalId: "123456789012",
  arn: "arn:aws:iam::123456789012:root",
  accountId: "123456789012",
  accessKeyId: key,
  sessionContext: { attributes: { creationDate: signedInAt, mfaAuthenticated: "false" } },
});

/** Read-only console browsing by root: ListBuckets, GetBucketLocation, GetBucketPolicy... */
function rootBrowsing(calls: number, signedInAt: string, key: string, startAt: number) {
  const names = ["ListBuckets", "GetBucketLocation", "GetBucketPolicy", "GetBucketVersioning", "GetBucketAcl", "ListObjects"];
  return Array.from({ length: calls }, (_, i) =>
    s3({
      name: names[i % names.length],
      at: startAt + i * 20,
      extra: { userIdentity: rootIdentity(signedInAt, key), readOnly: true, eventCategory: "Management", managementEvent: true, sessionCredentialFromConsole: "true" },
    }),
  );
}

describe("one alert per episode", () => {
  // The root rule's condition, with its alerts grouped by the credentials' session.
  async function rootPerSession(): Promise<StatefulRuleset> {
    const files = [
      ...(await bundledRulesFiles()).filter((f) => f.name.endsWith("00-s3guard-lists.yaml")),
      {
        name: "root-session.yaml",
        content: `
- rule: Root session
  desc: The root user used S3, once per session.
  condition: s3guard_s3_event and ct.user.identitytype = Root
  output: root call %ct.name in session %s3guard.session
  priority: ERROR
  source: aws_cloudtrail
  suppress: {window: 12h, group_by: [s3guard.session]}
`,
      },
    ];
    const loaded = loadStatefulRules(files, { ruleMatching: "all", hostname: "h" });
    if (!loaded.stateful) throw new Error(loaded.errors.map((e) => e.text).join("\n"));
    return loaded.stateful;
  }

  it("a root console session browsing buckets is one alert, not one per call", async () => {
    const alerts = await alertsOf(await rootPerSession(), rootBrowsing(74, "2024-05-01T11:59:30Z", "ASIAROOTSESSION1", 0));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].details?.suppress).toMatchObject({ group: { "s3guard.session": "arn:aws:iam::123456789012:root@2024-05-01T11:59:30Z" } });
  });

  it("the next sign-in is a new episode with its own alert", async () => {
    const alerts = await alertsOf(await rootPerSession(), [
      ...rootBrowsing(30, "2024-05-01T11:59:30Z", "ASIAROOTSESSION1", 0),
      ...rootBrowsing(30, "2024-05-01T14:00:00Z", "ASIAROOTSESSION2", 7300),
    ]);
    expect(alerts.map((a) => a.message)).toEqual([
      "root call ListBuckets in session arn:aws:iam::123456789012:root@2024-05-01T11:59:30Z",
      "root call ListBuckets in session arn:aws:iam::123456789012:root@2024-05-01T14:00:00Z",
    ]);
  });

  it("the bundled root rule groups the same way: 74 calls of one session are one alert", async () => {
    const alerts = await alertsOf(await bundled(), rootBrowsing(74, "2024-05-01T11:59:30Z", "ASIAROOTSESSION1", 0));
    expect(count(alerts, "S3 API Call by Root User")).toBe(1);
  });
});

describe("AWS's own calls never feed rules about people", () => {
  /** Log delivery (an AWS service principal) failing to write flow logs into a bucket. */
  const logDeliveryDenied = (i: number) =>
    s3({
      name: "PutObject",
      at: i * 5,
      error: "AccessDenied",
      bucket: "flow-logs-bucket",
      extra: {
        userIdentity: { type: "AWSService", invokedBy: "delivery.logs.amazonaws.com" },
        sourceIPAddress: "delivery.logs.amazonaws.com",
        userAgent: "delivery.logs.amazonaws.com",
      },
    });

  it("75 denials of AWS log delivery raise no access-denied burst", async () => {
    const alerts = await alertsOf(await bundled(), Array.from({ length: 75 }, (_, i) => logDeliveryDenied(i)));
    expect(count(alerts, "S3 Access Denied Burst")).toBe(0);
  });

  it("while 20 denials of one person do", async () => {
    const alerts = await alertsOf(
      await bundled(),
      Array.from({ length: 20 }, (_, i) => s3({ name: "GetObject", at: i * 5, error: "AccessDenied", user: "mallory" })),
    );
    expect(count(alerts, "S3 Access Denied Burst")).toBe(1);
  });
});

describeWithSharedData("s3guard_aws_service_call on real records", () => {
  async function matching(records: Record<string, unknown>[]): Promise<boolean[]> {
    const files = [
      ...(await bundledRulesFiles()).filter((f) => f.name.endsWith("00-s3guard-lists.yaml")),
      {
        name: "probe.yaml",
        content: "- rule: probe\n  desc: d\n  condition: s3guard_aws_service_call\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n",
      },
    ];
    const loaded = loadStatefulRules(files, { ruleMatching: "all" });
    return records.map((r) => loaded.ruleset!.evaluate(r).length > 0);
  }

  function invictus(): Record<string, unknown>[] {
    const dir = sharedData("invictus-ir-aws-dataset", "raw", "CloudTrail");
    const out: Record<string, unknown>[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      out.push(...(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { Records: Record<string, unknown>[] }).Records);
    }
    return out;
  }

  it("holds for service principals, calls made on someone's behalf and service-linked roles", async () => {
    const records = invictus();
    const identity = (r: Record<string, unknown>) => r.userIdentity as Record<string, unknown> | undefined;
    const service = records.filter(
      (r) => identity(r)?.type === "AWSService" || identity(r)?.invokedBy !== undefined || String((identity(r)?.arn as string) ?? "").includes("AWSServiceRoleFor"),
    );
    expect(service.length).toBeGreaterThan(10);
    expect(await matching(service)).toEqual(service.map(() => true));
  });

  it("does not hold for people calling from their own address", async () => {
    const people = invictus().filter((r) => {
      const id = r.userIdentity as Record<string, unknown> | undefined;
      return (id?.type === "IAMUser" || id?.type === "Root") && id.invokedBy === undefined && /^\d+\.\d+\.\d+\.\d+$/.test(String(r.sourceIPAddress));
    });
    expect(people.length).toBeGreaterThan(10);
    expect(await matching(people)).toEqual(people.map(() => false));
  });
});
