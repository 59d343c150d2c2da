import { createHash } from "node:crypto";

/** CloudTrail S3 data events made up for tests and the benchmark, shaped like the real ones. */
export interface S3EventSpec {
  eventName: "GetObject" | "PutObject" | "DeleteObject" | "HeadObject" | "ListObjects" | string;
  bucket: string;
  key?: string;
  user?: string;
  time?: Date;
  /** Deterministic ids make alert ids predictable: give a seed to get the same id every time. */
  seed?: string;
  account?: string;
  errorCode?: string;
}

export function eventIdFor(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function s3DataEvent(spec: S3EventSpec): Record<string, unknown> {
  const account = spec.account ?? "123456789012";
  const user = spec.user ?? "alice";
  const seed = spec.seed ?? `${spec.eventName}/${spec.bucket}/${spec.key}/${Math.random()}`;
  const key = spec.key ?? "data/report.csv";
  const readOnly = ["GetObject", "HeadObject", "ListObjects"].includes(spec.eventName);
  const record: Record<string, unknown> = {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLE" + user.toUpperCase(),
      arn: `arn:aws:iam::${account}:user/${user}`,
      accountId: account,
      accessKeyId: "AKIAEXAMPLE",
      userName: user,
    },
    eventTime: (spec.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    eventSource: "s3.amazonaws.com",
    eventName: spec.eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.10",
    userAgent: "[aws-cli/2.15.0]",
    requestParameters: { bucketName: spec.bucket, Host: `${spec.bucket}.s3.us-east-1.amazonaws.com`, key },
    responseElements: null,
    additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: readOnly ? 1024 : 0 },
    requestID: eventIdFor(seed + "/request").slice(0, 16).toUpperCase(),
    eventID: eventIdFor(seed),
    readOnly,
    resources: [
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${spec.bucket}/${key}` },
      { accountId: account, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${spec.bucket}` },
    ],
    eventType: "AwsApiCall",
    managementEvent: false,
    recipientAccountId: account,
    eventCategory: "Data",
  };
  if (spec.errorCode) Object.assign(record, { errorCode: spec.errorCode, errorMessage: "Access Denied" });
  return record;
}

/** A log file's worth of ordinary traffic with one in `deleteEvery` records a DeleteObject. */
export function syntheticRecords(count: number, seed: string, deleteEvery = 50, time = new Date()): Record<string, unknown>[] {
  const names = ["GetObject", "PutObject", "HeadObject", "GetObject", "ListObjects"];
  return Array.from({ length: count }, (_, i) =>
    s3DataEvent({
      eventName: i % deleteEvery === deleteEvery - 1 ? "DeleteObject" : names[i % names.length],
      bucket: `watched-${i % 3}`,
      key: `data/${seed}/${i}.csv`,
      user: ["alice", "bob", "carol"][i % 3],
      seed: `${seed}/${i}`,
      time: new Date(time.getTime() + i * 10),
    }),
  );
}
