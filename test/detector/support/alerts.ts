import type { Alert, Priority } from "../../../detector/src/engine";

/** An alert as the engine builds it, for sink tests; `event` defaults to an S3 data event. */
export function makeAlert(over: Partial<Alert> & { n?: number } = {}): Alert {
  const n = over.n ?? 1;
  const timeNs = over.timeNs ?? BigInt(Date.parse("2024-05-01T12:00:00Z") + n) * 1_000_000n;
  const priority: Priority = over.priority ?? "Warning";
  const message = over.message ?? `Object deleted (bucket=payroll key=file-${n}.csv user=mallory)`;
  return {
    id: over.id ?? `alert-${String(n).padStart(6, "0")}`,
    rule: over.rule ?? "S3 object deleted",
    desc: "An object was deleted.",
    priority,
    source: "aws_cloudtrail",
    tags: over.tags ?? ["aws", "s3"],
    time: new Date(Number(timeNs / 1_000_000n)).toISOString(),
    timeNs,
    message,
    output: `2024-05-01T12:00:00.000000000+0000: ${priority} ${message}`,
    outputFields: over.outputFields ?? { "s3.bucket": "payroll", "s3.key": `file-${n}.csv`, "ct.user": "mallory", "evt.time.iso8601": timeNs },
    hostname: "test-host",
    event: over.event ?? {
      eventID: `event-${n}`,
      eventName: "DeleteObject",
      awsRegion: "eu-west-1",
      recipientAccountId: "123456789012",
      requestParameters: { bucketName: "payroll", key: `file-${n}.csv` },
      resources: [
        { type: "AWS::S3::Object", ARN: `arn:aws:s3:::payroll/file-${n}.csv` },
        { type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::payroll", accountId: "123456789012" },
      ],
    },
  };
}
