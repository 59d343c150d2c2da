import { alertFacts } from "../../../detector/src/alerts/facts";
import { headingAnchor, runbookUrl } from "../../../detector/src/alerts/runbook";
import type { Alert } from "../../../detector/src/engine";

const alertOf = (event: Record<string, unknown>): Alert =>
  ({ id: "x", rule: "r", desc: "", priority: "Warning", source: "aws_cloudtrail", tags: [], time: "", timeNs: 0n, message: "", output: "", outputFields: {}, hostname: "h", event }) as Alert;

describe("alertFacts", () => {
  it("reads principal, bucket, address, account and region from the record", () => {
    const facts = alertFacts(
      alertOf({
        userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", userName: "alice", accountId: "111122223333" },
        requestParameters: { bucketName: "invoices" },
        sourceIPAddress: "198.51.100.7",
        recipientAccountId: "111122223333",
        awsRegion: "eu-west-1",
      }),
    );
    expect(facts).toEqual({ principal: "arn:aws:iam::111122223333:user/alice", bucket: "invoices", sourceIp: "198.51.100.7", account: "111122223333", region: "eu-west-1" });
  });

  it("falls back to the calling service and to the bucket among the resources", () => {
    const facts = alertFacts(
      alertOf({ userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" }, resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::logs/a" }, { type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::logs" }] }),
    );
    expect(facts.principal).toBe("cloudtrail.amazonaws.com");
    expect(facts.bucket).toBe("logs");
    expect(facts.sourceIp).toBeUndefined();
  });
});

describe("runbookUrl", () => {
  it("links the rule's heading in docs/rules.md, or in a published copy", () => {
    expect(headingAnchor("S3 Bucket Policy Grants Access to Another Account")).toBe("s3-bucket-policy-grants-access-to-another-account");
    expect(headingAnchor("S3 Data Access from Unexpected Network (disabled by default)")).toBe("s3-data-access-from-unexpected-network-disabled-by-default");
    expect(runbookUrl("CloudTrail Logging Stopped", "https://example.com/rules")).toBe("https://example.com/rules#cloudtrail-logging-stopped");
    expect(runbookUrl("CloudTrail Logging Stopped", undefined)).toBe("docs/rules.md#cloudtrail-logging-stopped");
  });
});
