import { PublishBatchCommand } from "@aws-sdk/client-sns";
import { SNS_MAX_PAYLOAD_BYTES, snsEntries, snsSubject } from "../../../detector/src/alerts/sns";
import { makeAlert } from "../support/alerts";

describe("SNS messages for alerts", () => {
  it("carries Falco's JSON as the message and the alert id, priority and rule as attributes", () => {
    const [entry] = new PublishBatchCommand({ TopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", PublishBatchRequestEntries: snsEntries([makeAlert()]) }).input.PublishBatchRequestEntries!;
    expect(JSON.parse(entry.Message!)).toMatchObject({ rule: "S3 object deleted", priority: "Warning" });
    expect(entry.MessageAttributes).toEqual({
      alert_id: { DataType: "String", StringValue: "alert-000001" },
      priority: { DataType: "String", StringValue: "Warning" },
      rule: { DataType: "String", StringValue: "S3 object deleted" },
    });
  });

  it("uses an ASCII subject of at most 100 characters", () => {
    expect(snsSubject(makeAlert({ rule: "Bucket “public” ✓" }))).toBe("s3guard Warning: Bucket ?public? ?");
    expect(snsSubject(makeAlert({ rule: "R".repeat(200) }))).toHaveLength(100);
  });

  it("keeps a huge alert's message within SNS's 256 KB", () => {
    const [entry] = snsEntries([makeAlert({ outputFields: { big: "x".repeat(400_000) } })]);
    expect(Buffer.byteLength(entry.Message!, "utf8")).toBeLessThan(SNS_MAX_PAYLOAD_BYTES);
    expect(JSON.parse(entry.Message!).truncated).toBe(true);
  });
});
