import { EventContext } from "../../detector/src/engine/event";
import { bindField, FIELDS } from "../../detector/src/engine/fields";
import { parseJsonExact } from "../../detector/src/engine";
import { baseEvent } from "../support/events";

/** Every field of shared/spec/cloudtrail-fields.md, extracted with the cloudtrail plugin's logic. */

function extract(field: string, record: Record<string, unknown>, arg?: string) {
  return bindField(field, arg).extract(new EventContext(record, 7n, { hostname: "h", firstTimeNs: 1714564790000000000n }));
}

const E1 = baseEvent("E1");
const E2 = baseEvent("E2");
const E3 = baseEvent("E3");
const E4 = baseEvent("E4");
const E5 = baseEvent("E5");
const E6 = baseEvent("E6");

const withIdentity = (identity: object) => ({ ...E1, userIdentity: identity });

describe("ct.* fields", () => {
  it.each([
    ["ct.id", E1, "EVT123"],
    ["ct.id", E4, undefined],
    ["ct.error", E1, undefined],
    ["ct.error", E2, "AccessDenied"],
    ["ct.error", { ...E1, errorCode: null }, ""],
    ["ct.errormessage", E2, "Access Denied"],
    ["ct.time", E1, "2024-05-01T12:00:00Z"],
    ["ct.src", E1, "s3.amazonaws.com"],
    ["ct.shortsrc", E1, "s3"],
    ["ct.shortsrc", { ...E1, eventSource: ".amazonaws.com" }, ".amazonaws.com"],
    ["ct.shortsrc", { ...E1, eventSource: "custom.example" }, "custom.example"],
    ["ct.name", E1, "CreateBucket"],
    ["ct.name", { ...E1, eventName: 12 }, ""],
    ["ct.user", E1, "Alice"],
    ["ct.user", E3, "AdminRole"],
    ["ct.user", E4, "cloudtrail.amazonaws.com"],
    ["ct.user", E5, undefined],
    ["ct.user", withIdentity({ type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R/s" }), "AssumedRole"],
    ["ct.user", withIdentity({ type: "AWSAccount" }), "AWSAccount"],
    ["ct.user", withIdentity({ type: "FederatedUser", userName: "x" }), "FederatedUser"],
    ["ct.user", withIdentity({ type: "SAMLUser", userName: "x" }), undefined],
    ["ct.user", withIdentity({ type: 3 }), undefined],
    ["ct.originaluser", E3, "alice-session"],
    ["ct.originaluser", withIdentity({ type: "AssumedRole", arn: "arn:aws:sts::1:assumed-role/R", principalId: "AROA:sess" }), "sess"],
    ["ct.originaluser", withIdentity({ type: "AssumedRole", arn: "x", principalId: "AROA" }), undefined],
    ["ct.originaluser", E1, "Alice"],
    ["ct.user.accountid", E1, "123456789012"],
    ["ct.user.accountid", E4, "123456789012"],
    ["ct.user.identitytype", E3, "AssumedRole"],
    ["ct.user.principalid", E1, "AIDAEXAMPLEID"],
    ["ct.user.arn", E3, "arn:aws:sts::123456789012:assumed-role/AdminRole/alice-session"],
    ["ct.region", E4, "eu-west-1"],
    ["ct.response.reservationid", E5, "r-123"],
    ["ct.response.subnetid", E5, undefined],
    ["ct.response", E1, "null"],
    ["ct.response", E3, '{"ConsoleLogin":"Success"}'],
    ["ct.request", E1, '{"bucketName":"my-bucket","Host":"my-bucket.s3.amazonaws.com"}'],
    ["ct.request", E3, "null"],
    ["ct.request.host", E1, "my-bucket.s3.amazonaws.com"],
    ["ct.request.documentname", E5, undefined],
    ["ct.srcip", E4, "cloudtrail.amazonaws.com"],
    ["ct.useragent", E1, "aws-cli/2.15.0 Python/3.11"],
    ["ct.managementevent", E1, "true"],
    ["ct.managementevent", E4, "false"],
    ["ct.managementevent", E6, undefined],
    ["ct.readonly", E1, "false"],
    ["ct.readonly", E4, "true"],
    ["ct.readonly", { ...E1, readOnly: "true" }, "false"],
    ["ct.readonly", E6, undefined],
    ["ct.requestid", E1, "REQ123"],
    ["ct.eventtype", E1, "AwsApiCall"],
    ["ct.apiversion", E1, undefined],
    ["ct.resources", E1, '{"ARN":"arn:aws:s3:::my-bucket","type":"AWS::S3::Bucket"}'],
    ["ct.resources", { ...E1, resources: [] }, undefined],
    ["ct.resources", E4, undefined],
    ["ct.recipientaccountid", E1, "123456789012"],
    ["ct.serviceeventdetails", { ...E1, serviceEventDetails: { a: 1 } }, ""],
    ["ct.eventcategory", E4, "Data"],
    ["ct.addendum.reason", { ...E1, addendum: { reason: "DELIVERY_DELAY" } }, "DELIVERY_DELAY"],
    ["ct.sessioncredentialfromconsole", { ...E1, sessionCredentialFromConsole: "true" }, "false"],
    ["ct.sessioncredentialfromconsole", { ...E1, sessionCredentialFromConsole: true }, "true"],
    ["ct.tlsdetails.tlsversion", { ...E1, tlsDetails: { tlsVersion: "TLSv1.3" } }, "TLSv1.3"],
    ["ct.additionaleventdata", E3, '{"MFAUsed":"No","LoginTo":"https://console.aws.amazon.com/"}'],
    ["ct.additionaleventdata", E4, '{"bytesTransferredIn":0,"bytesTransferredOut":2048.0,"a/b":"slash-key"}'],
    ["ct.info", E6, "Alice via 205.251.233.176 ← StartInstances"],
    ["ct.info", E1, "Alice via 203.0.113.10 → CreateBucket Bucket=my-bucket"],
    ["ct.info", E2, "Alice via 203.0.113.10 !→ DeleteBucket Bucket=my-bucket"],
    ["ct.info", E4, "cloudtrail.amazonaws.com ← GetObject Size=2048 URI=s3://logs-bucket/logs/2024/app.log"],
    ["ct.info", E5, "<invalid cloudtrail event: userIdentity field missing>"],
  ] as const)("%s", (field, event, expected) => {
    expect(extract(field, event as Record<string, unknown>)).toEqual(expected);
  });
});

describe("s3.*, ec2.*, ecr.*, iam.* fields", () => {
  it.each([
    ["s3.bucket", E1, "my-bucket"],
    ["s3.key", E4, "logs/2024/app.log"],
    ["s3.key", E1, undefined],
    ["s3.uri", E4, "s3://logs-bucket/logs/2024/app.log"],
    ["s3.uri", E1, undefined],
    ["s3.bytes", E4, 2048n],
    ["s3.bytes", E1, undefined],
    ["s3.bytes.in", E4, 0n],
    ["s3.bytes.out", E4, 2048n],
    ["s3.bytes.out", { ...E4, additionalEventData: { bytesTransferredOut: "12" } }, 0n],
    ["s3.cnt.get", E4, 1n],
    ["s3.cnt.get", E1, undefined],
    ["s3.cnt.put", { ...E4, eventName: "PutObject" }, 1n],
    ["s3.cnt.other", E1, 1n],
    ["s3.cnt.other", E4, undefined],
    ["ec2.imageids", E5, ["ami-111", "ami-222"]],
    ["ec2.imageid", E5, "ami-111"],
    ["ec2.imageids", { ...E1, requestParameters: { imageId: "ami-req" } }, ["ami-req"]],
    ["ec2.imageids", { ...E1, requestParameters: { launchSpecification: { imageId: "ami-spot" } } }, ["ami-spot"]],
    ["ec2.imageids", E1, undefined],
    ["ec2.name", { ...E1, requestParameters: { tagSpecificationSet: { items: [{ resourceType: "volume", tags: [{ key: "Name", value: "v" }] }, { resourceType: "instance", tags: [{ key: "Name", value: "web" }] }] } } }, "web"],
    ["ec2.name", E5, undefined],
    ["ecr.repository", { ...E1, requestParameters: { repositoryName: "repo" } }, "repo"],
    ["ecr.imagetag", { ...E1, requestParameters: { imageTag: "v1" } }, "v1"],
    ["iam.role", { ...E1, requestParameters: { roleName: "Admin" } }, "Admin"],
    ["iam.policy", { ...E1, requestParameters: { policyName: "P" } }, "P"],
  ] as const)("%s", (field, event, expected) => {
    expect(extract(field, event as Record<string, unknown>)).toEqual(expected);
  });

  it("ec2.imageids[N] picks one instance's image, or nothing out of range", () => {
    expect(extract("ec2.imageids", E5, "1")).toEqual(["ami-222"]);
    expect(extract("ec2.imageids", E5, "2")).toBeUndefined();
    expect(() => bindField("ec2.imageids", "01")).toThrow(/numeric index/);
  });
});

describe("json.* and jevt.* fields", () => {
  it("follows RFC 6901 pointers, with or without the leading slash", () => {
    expect(extract("json.value", E4, "/additionalEventData/a~1b")).toBe("slash-key");
    expect(extract("json.value", E1, "eventName")).toBe("CreateBucket");
    expect(extract("jevt.value", E5, "/responseElements/instancesSet/items/1/instanceId")).toBe("i-2");
    expect(extract("json.value", E5, "/responseElements/instancesSet/items/9")).toBeUndefined();
  });

  it("reads only the record's own members, never what every object inherits", () => {
    for (const key of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
      expect([key, extract("json.value", E1, `/${key}`)]).toEqual([key, undefined]);
      expect([key, extract("json.value", E1, `/userIdentity/${key}`)]).toEqual([key, undefined]);
    }
    const own = JSON.parse('{"eventName":"X","constructor":"c","__proto__":{"toString":"t"}}');
    expect(extract("json.value", own, "/constructor")).toBe("c");
    expect(extract("json.value", own, "/__proto__/toString")).toBe("t");
  });

  it("prints non-strings as compact JSON, numbers as written", () => {
    expect(extract("json.value", E1, "/readOnly")).toBe("false");
    expect(extract("json.value", E1, "/responseElements")).toBe("null");
    expect(extract("json.value", E4, "/additionalEventData/bytesTransferredOut")).toBe("2048.0");
    expect(extract("json.value", E1, "/resources/0")).toBe('{"ARN":"arn:aws:s3:::my-bucket","type":"AWS::S3::Bucket"}');
  });

  it("json.obj indents the record by two spaces", () => {
    const small = parseJsonExact('{"a":1.50,"b":[],"c":{"d":"e"}}') as Record<string, unknown>;
    expect(extract("json.obj", small)).toBe('{\n  "a": 1.50,\n  "b": [],\n  "c": {\n    "d": "e"\n  }\n}');
  });

  it("json.rawtime is the event time in nanoseconds, as a string", () => {
    expect(extract("json.rawtime", E1)).toBe("1714564800000000000");
    expect(extract("jevt.rawtime", E1)).toBe("1714564800000000000");
  });
});

describe("evt.* fields", () => {
  it.each([
    ["evt.num", 7n],
    ["evt.time.iso8601", "2024-05-01T12:00:00.000000000+0000"],
    ["evt.rawtime", 1714564800000000000n],
    ["evt.rawtime.s", 1714564800n],
    ["evt.rawtime.ns", 0n],
    ["evt.reltime", 10000000000n],
    ["evt.reltime.s", 10n],
    ["evt.pluginname", "cloudtrail"],
    ["evt.source", "aws_cloudtrail"],
    ["evt.is_async", false],
    ["evt.asynctype", undefined],
    ["evt.hostname", "h"],
    ["evt.plugininfo", "us-east-1 Alice s3 CreateBucket Alice via 203.0.113.10 → CreateBucket Bucket=my-bucket"],
  ] as const)("%s", (field, expected) => {
    expect(extract(field, E1)).toEqual(expected);
  });

  it("evt.time and evt.datetime are local times with nanoseconds", () => {
    expect(extract("evt.time", E1)).toMatch(/^\d\d:00:00\.000000000$/);
    expect(extract("evt.time.s", E1)).toMatch(/^\d\d:00:00$/);
    expect(extract("evt.datetime", E1)).toMatch(/^2024-05-0[12] \d\d:00:00\.000000000$/);
  });

  it("evt.plugininfo matches the plugin's rendering of Falco's test trace", () => {
    expect(extract("evt.plugininfo", E6)).toBe("us-east-2 Alice ec2 StartInstances Alice via 205.251.233.176 ← StartInstances");
  });
});

describe("the field catalogue", () => {
  it("has every field of the cloudtrail and json plugins and the generic evt fields", () => {
    const names = [...FIELDS.keys()];
    expect(names.filter((n) => n.startsWith("ct."))).toHaveLength(57);
    expect(names.filter((n) => /^(s3|ec2|ecr|iam)\./.test(n))).toHaveLength(16);
    expect(names.filter((n) => /^(json|jevt)\./.test(n))).toHaveLength(6);
    expect(names.filter((n) => n.startsWith("evt."))).toHaveLength(18);
  });

  it("rejects an argument on a field that takes none, and a missing one where required", () => {
    expect(() => bindField("ct.name", "x")).toThrow(/does not allow nor require an argument/);
    expect(() => bindField("json.value", undefined)).toThrow(/requires an argument/);
    expect(() => bindField("ct.namex", undefined)).toThrow("filter_check called with nonexistent field ct.namex");
  });
});
