import { keepAccounts, logKeyAccount } from "../../../detector/src/connector/accountFilter";
import { readConnectorConfig } from "../../../detector/src/connector/config";

const QUEUE = "https://sqs.us-east-1.amazonaws.com/111122223333/s3guard-events";

describe("which accounts' records the connector evaluates", () => {
  it("reads the account of a log file from CloudTrail's key layouts, and nothing from other keys", () => {
    expect(logKeyAccount("AWSLogs/111122223333/CloudTrail/us-east-1/2026/12/05/111122223333_CloudTrail_us-east-1_20261205T0800Z_abc.json.gz")).toBe("111122223333");
    expect(logKeyAccount("org/AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/eu-west-1/2026/12/05/x.json.gz")).toBe("444455556666");
    expect(logKeyAccount("AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail-Digest/eu-west-1/x.json.gz")).toBe("444455556666");
    expect(logKeyAccount("exports/AWSLogs-copy/111122223333/CloudTrail/x.json.gz")).toBeUndefined();
    expect(logKeyAccount("AWSLogs/o-a1b2c3d4e5/CloudTrail/x.json.gz")).toBeUndefined();
  });

  it("keeps the listed accounts' records, drops the others and those that name no account", () => {
    const records = [
      { record: { eventID: "1", recipientAccountId: "111122223333" } },
      { record: { eventID: "2", recipientAccountId: "999988887777" } },
      { record: { eventID: "3" } },
    ];
    const { kept, dropped } = keepAccounts(records, new Set(["111122223333"]));
    expect(kept.map((r) => r.record.eventID)).toEqual(["1"]);
    expect(dropped).toBe(2);
    expect(keepAccounts(records, undefined)).toEqual({ kept: records, dropped: 0 });
  });

  it("reads the read role and the accounts from the environment", () => {
    const r = readConnectorConfig({
      S3GUARD_QUEUE_URL: QUEUE,
      S3GUARD_READ_ROLE_ARN: "arn:aws:iam::222233334444:role/s3guard-log-reader",
      S3GUARD_READ_ROLE_EXTERNAL_ID: "s3guard-prod",
      S3GUARD_READ_ROLE_BUCKETS: "org-trail-logs, other-logs",
      S3GUARD_ACCOUNT_IDS: "111122223333,444455556666",
    });
    expect(r.ok && r.config.readRole).toEqual({
      arn: "arn:aws:iam::222233334444:role/s3guard-log-reader",
      externalId: "s3guard-prod",
      buckets: ["org-trail-logs", "other-logs"],
    });
    expect(r.ok && [...(r.config.accountIds ?? [])]).toEqual(["111122223333", "444455556666"]);
    const plain = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE });
    expect(plain.ok && plain.config.readRole).toBeUndefined();
    expect(plain.ok && plain.config.accountIds).toBeUndefined();
  });

  it("names each bad variable and what it takes", () => {
    expect(
      readConnectorConfig({
        S3GUARD_QUEUE_URL: QUEUE,
        S3GUARD_READ_ROLE_EXTERNAL_ID: "s3guard-prod",
        S3GUARD_ACCOUNT_IDS: "111122223333,1111-2222-3333",
      }),
    ).toEqual({
      ok: false,
      errors: [
        "S3GUARD_READ_ROLE_EXTERNAL_ID is set without S3GUARD_READ_ROLE_ARN: set the role to assume, or unset S3GUARD_READ_ROLE_EXTERNAL_ID",
        'S3GUARD_ACCOUNT_IDS="111122223333,1111-2222-3333": must be a comma list of 12-digit account ids (not one: "1111-2222-3333")',
      ],
    });
    const badRole = readConnectorConfig({ S3GUARD_QUEUE_URL: QUEUE, S3GUARD_READ_ROLE_ARN: "arn:aws:iam::222233334444:user/reader" });
    expect(badRole).toEqual({
      ok: false,
      errors: ['S3GUARD_READ_ROLE_ARN="arn:aws:iam::222233334444:user/reader": must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)'],
    });
  });
});
