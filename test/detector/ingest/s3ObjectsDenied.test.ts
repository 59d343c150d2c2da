import type { S3Client } from "@aws-sdk/client-s3";
import { openLogObject } from "../../../detector/src/ingest/s3Objects";

/** An S3 client whose every call is refused as S3 refuses it. */
const denying = { send: async () => Promise.reject(Object.assign(new Error("Access Denied"), { name: "AccessDenied" })) } as unknown as S3Client;
const ref = { bucket: "org-trail-logs", key: "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2026/12/05/x.json.gz" };

describe("a log object the reader may not read", () => {
  it("says the task role needs the grant when it read with its own credentials", async () => {
    await expect(openLogObject(denying, ref, 1024)).rejects.toThrow(
      `s3://org-trail-logs/${ref.key}: access denied: the task role needs s3:GetObject on the log bucket (and kms:Decrypt if it is encrypted with a KMS key)`,
    );
  });

  it("names the read role, and what the log archive stack grants it, when it read through one", async () => {
    await expect(openLogObject(denying, ref, 1024, undefined, { role: "arn:aws:iam::222233334444:role/s3guard-log-reader" })).rejects.toThrow(
      "access denied to the read role arn:aws:iam::222233334444:role/s3guard-log-reader: its policy needs s3:GetObject on the bucket's AWSLogs/* (and kms:Decrypt with the logs' key, which the key policy must allow); the log archive stack grants both",
    );
  });
});
