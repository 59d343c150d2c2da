import { EventContext } from "../../detector/src/engine/event";
import { bindField, FIELDS } from "../../detector/src/engine/fields";
import { loadRules } from "../../detector/src/engine";
import { baseEvent } from "../support/events";

/**
 * Sysdig Cloud Connector's field names (aws.*): rules written for it load and fire unmodified,
 * and each name reads like the cloudtrail plugin field it stands for.
 */

const extract = (field: string, record: Record<string, unknown>) => bindField(field, undefined).extract(new EventContext(record, 1n, { hostname: "h" }));

// Rules in the Cloud Connector's dialect: aws.* fields, jevt.value, `source: k8s_audit` as its
// first rules were written, `not aws.errorCode exists` for success.
const SYSDIG_DIALECT = `
- list: disallowed_regions
  items: [ap-east-1, me-south-1]

- rule: Console sign-in without MFA
  desc: A console sign-in that did not use MFA.
  condition: >
    aws.eventName = "ConsoleLogin" and not aws.errorCode exists
    and jevt.value[/userIdentity/type] != "AssumedRole"
    and jevt.value[/additionalEventData/MFAUsed] = "No"
  output: Console sign-in without MFA (user=%aws.user ip=%aws.sourceIP region=%aws.region account=%aws.accountId)
  priority: critical
  source: k8s_audit

- rule: Call in a disallowed region
  desc: Any successful call in a region the organisation does not use.
  condition: not aws.errorCode exists and aws.region in (disallowed_regions)
  output: Call %aws.eventName to %aws.eventSource in %aws.region by %aws.user
  priority: warning
  source: aws_cloudtrail

- rule: Denied bucket policy read
  desc: A denied read of a bucket policy.
  condition: aws.eventSource = "s3.amazonaws.com" and aws.eventName = GetBucketPolicy and aws.errorCode = AccessDenied
  output: Denied (user=%aws.user error=%aws.errorCode)
  priority: notice
  source: aws_cloudtrail
`;

const consoleLogin = {
  ...baseEvent("E1"),
  eventSource: "signin.amazonaws.com",
  eventName: "ConsoleLogin",
  eventType: "AwsConsoleSignIn",
  awsRegion: "us-east-1",
  sourceIPAddress: "198.51.100.23",
  additionalEventData: { MFAUsed: "No", LoginTo: "https://console.aws.amazon.com/" },
  responseElements: { ConsoleLogin: "Success" },
  recipientAccountId: "123456789012",
};

describe("Sysdig Cloud Connector rules", () => {
  const loaded = loadRules([{ name: "sysdig.yaml", content: SYSDIG_DIALECT }], { ruleMatching: "all", hostname: "h" });

  it("load unmodified (the k8s_audit source with its warning that it is read as CloudTrail)", () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings.map((w) => w.code)).toEqual(["LOAD_SOURCE_ALIAS"]);
  });

  it("fire on the records they were written for, with their outputs filled", () => {
    const [alert] = loaded.ruleset!.evaluate(consoleLogin);
    expect(alert.rule).toBe("Console sign-in without MFA");
    expect(alert.message).toBe("Console sign-in without MFA (user=Alice ip=198.51.100.23 region=us-east-1 account=123456789012)");
    expect(alert.outputFields).toMatchObject({ "aws.user": "Alice", "aws.sourceIP": "198.51.100.23", "aws.region": "us-east-1", "aws.accountId": "123456789012" });

    const inRegion = loaded.ruleset!.evaluate({ ...baseEvent("E1"), awsRegion: "me-south-1" });
    expect(inRegion.map((a) => a.message)).toEqual(["Call CreateBucket to s3.amazonaws.com in me-south-1 by Alice"]);

    const denied = loaded.ruleset!.evaluate({ ...baseEvent("E2"), eventName: "GetBucketPolicy" });
    expect(denied.map((a) => a.message)).toEqual(["Denied (user=Alice error=AccessDenied)"]);
  });

  it("stay quiet on records they were not written for", () => {
    expect(loaded.ruleset!.evaluate({ ...consoleLogin, additionalEventData: { MFAUsed: "Yes" } })).toEqual([]);
    expect(loaded.ruleset!.evaluate({ ...consoleLogin, errorCode: "Failed authentication" })).toEqual([]);
  });
});

describe("aws.* fields", () => {
  const E1 = baseEvent("E1");
  const E2 = baseEvent("E2");
  const E3 = baseEvent("E3");
  const E4 = baseEvent("E4");

  it.each([
    ["aws.eventName", "ct.name"],
    ["aws.eventSource", "ct.src"],
    ["aws.errorCode", "ct.error"],
    ["aws.sourceIP", "ct.srcip"],
    ["aws.region", "ct.region"],
    ["aws.user", "ct.user"],
  ])("%s reads like %s, missing values included", (alias, of) => {
    expect(FIELDS.get(alias)).toMatchObject({ aliasOf: of, type: FIELDS.get(of)!.type });
    expect(FIELDS.get(alias)!.desc).toMatch(/^Sysdig Cloud Connector name of /);
    for (const record of [E1, E2, E3, E4, { ...E1, errorCode: 3 }, { eventTime: "2024-05-01T12:00:00Z", eventType: "AwsApiCall" }]) {
      expect(extract(alias, record)).toEqual(extract(of, record));
    }
  });

  it("aws.errorCode is missing when the call succeeded, so `not aws.errorCode exists` means success", () => {
    expect(extract("aws.errorCode", E1)).toBeUndefined();
    expect(extract("aws.errorCode", E2)).toBe("AccessDenied");
  });

  it("aws.accountId is the event's account: recipientAccountId, else the caller's", () => {
    expect(extract("aws.accountId", { ...E1, recipientAccountId: "111122223333" })).toBe("111122223333");
    const noRecipient = { ...E1 };
    delete noRecipient.recipientAccountId;
    expect(extract("aws.accountId", noRecipient)).toBe("123456789012");
    expect(extract("aws.accountId", { eventTime: "2024-05-01T12:00:00Z" })).toBeUndefined();
  });

  it("are listed among the fields, each saying which field it stands for", () => {
    const aliases = [...FIELDS.values()].filter((f) => f.name.startsWith("aws."));
    expect(aliases.map((f) => f.name).sort()).toEqual(["aws.accountId", "aws.errorCode", "aws.eventName", "aws.eventSource", "aws.region", "aws.sourceIP", "aws.user"]);
    for (const f of aliases) expect(FIELDS.has(f.aliasOf!)).toBe(true);
  });
});
