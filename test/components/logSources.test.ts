import { logSources } from "../../components/connector/logSources";

const own = { logBucketName: "kit-logs", topicArn: "arn:aws:sns:us-east-1:111122223333:kit-notes", kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/k-1" };
const existing = {
  logBucketName: "org-logs",
  snsTopicArn: "arn:aws:sns:us-east-1:222233334444:org-delivery",
  readRoleArn: "arn:aws:iam::222233334444:role/s3guard-log-reader",
  readRoleExternalId: "s3guard-prod",
  kmsKeyArn: "arn:aws:kms:us-east-1:222233334444:key/k-2",
};

describe("the connector's log sources", () => {
  it("is the kit's own trail alone by default", () => {
    expect(logSources(own)).toEqual({
      logBuckets: ["kit-logs"],
      ownCredentialBuckets: ["kit-logs"],
      topicArns: [own.topicArn],
      notifyingBuckets: [],
      kmsKeyArns: [own.kmsKeyArn],
    });
  });

  it("adds an existing trail read through its role: its topic, its key, and its bucket behind the role", () => {
    expect(logSources(own, existing)).toEqual({
      logBuckets: ["kit-logs", "org-logs"],
      ownCredentialBuckets: ["kit-logs"],
      topicArns: [own.topicArn, existing.snsTopicArn],
      notifyingBuckets: [],
      kmsKeyArns: [own.kmsKeyArn, existing.kmsKeyArn],
      readRole: { arn: existing.readRoleArn, externalId: "s3guard-prod", buckets: ["org-logs"] },
    });
  });

  it("reads an existing trail without a role or topic with the task role, notified by its bucket", () => {
    expect(logSources({}, { logBucketName: "org-logs" })).toEqual({
      logBuckets: ["org-logs"],
      ownCredentialBuckets: ["org-logs"],
      topicArns: [],
      notifyingBuckets: ["org-logs"],
      kmsKeyArns: [],
    });
  });
});
